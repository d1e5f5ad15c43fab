import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { IClientOptions, MqttClient } from 'mqtt';
import { testBroker, urlProblem } from './brokerTest';

function fakeConnect(script: (client: EventEmitter) => void) {
  const calls: { url: string; options: IClientOptions; ended: boolean }[] = [];
  const connect = (url: string, options: IClientOptions) => {
    const client = new EventEmitter() as EventEmitter & { end(force?: boolean): void };
    const call = { url, options, ended: false };
    calls.push(call);
    client.end = () => {
      call.ended = true;
    };
    queueMicrotask(() => script(client));
    return client as unknown as MqttClient;
  };
  return { connect, calls };
}

describe('broker test', () => {
  it('says connected when the broker accepts, and closes the test connection', async () => {
    const { connect, calls } = fakeConnect((c) => c.emit('connect'));
    expect(await testBroker('ws://127.0.0.1:9001', connect)).toEqual({ ok: true });
    expect(calls[0].ended).toBe(true);
    expect(calls[0].options.reconnectPeriod).toBe(0);
  });

  it('refuses a URL that is not ws:// or wss:// without connecting', async () => {
    const { connect, calls } = fakeConnect(() => undefined);
    expect(await testBroker('mqtt://broker:1883', connect)).toEqual({ ok: false, reason: 'not-ws' });
    expect(await testBroker('ws://user:pw@broker:9001', connect)).toEqual({ ok: false, reason: 'credentials-in-url' });
    expect(calls).toHaveLength(0);
  });

  it('names a CONNACK "not authorised" as such', async () => {
    const { connect } = fakeConnect((c) =>
      c.emit('error', Object.assign(new Error('Connection refused: Not authorized'), { code: 5 })),
    );
    expect(await testBroker('ws://b:1', connect)).toMatchObject({ ok: false, reason: 'not-authorised' });
  });

  it('a socket closed before connecting is refused or unreachable', async () => {
    const { connect } = fakeConnect((c) => c.emit('close'));
    expect(await testBroker('ws://b:1', connect)).toEqual({ ok: false, reason: 'refused' });
  });

  it('gives up after the timeout', async () => {
    const { connect, calls } = fakeConnect(() => undefined);
    expect(await testBroker('ws://b:1', connect, { timeoutMs: 20 })).toEqual({ ok: false, reason: 'timeout' });
    expect(calls[0].ended).toBe(true);
  });

  it('passes credentials for the test only when given', async () => {
    const { connect, calls } = fakeConnect((c) => c.emit('connect'));
    await testBroker('wss://b/mqtt', connect, { username: 'op', password: 'secret' });
    await testBroker('wss://b/mqtt', connect);
    expect(calls[0].options).toMatchObject({ username: 'op', password: 'secret' });
    expect(calls[1].options.username).toBeUndefined();
  });

  it('urlProblem accepts ws and wss URLs', () => {
    expect(urlProblem('wss://plant.example/mqtt')).toBeNull();
    expect(urlProblem('ws://127.0.0.1:9001')).toBeNull();
    expect(urlProblem('')).toBe('not-ws');
  });
});
