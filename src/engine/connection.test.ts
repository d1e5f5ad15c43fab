import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';
import {
  backoffFor,
  clientOptions,
  openConnection,
  protocolRefusal,
  subscriptions,
  type BrokerConnection,
} from './connection';
import { DEFAULT_BACKOFF } from './backoff';
import type { ConnectionStatus } from './protocol';
import type { Connection } from '../twin/schema';

const connection = (extra: Partial<Connection> = {}): Connection => ({
  url: 'ws://127.0.0.1:1',
  mqtt: '3.1.1',
  subscribe: ['plant/north/#', { topic: 'plant/+site/alarms', qos: 1 }],
  credentials: 'none',
  keepalive: 30,
  ...extra,
});

describe('clientOptions', () => {
  it('maps the twin connection to mqtt.js options, reconnecting being ours', () => {
    const o = clientOptions(connection());
    expect(o).toMatchObject({ protocolVersion: 4, keepalive: 30, reconnectPeriod: 0, clean: true, resubscribe: false });
    expect(o.clientId).toMatch(/^twinview-[0-9a-f]{16}$/);
    expect(o.username).toBeUndefined();
    expect(o.password).toBeUndefined();
    expect(clientOptions(connection()).clientId).not.toBe(o.clientId);
  });

  it('uses MQTT 5, a fixed client id and credentials when given', () => {
    const o = clientOptions(connection({ mqtt: 5, clientId: 'wall-1', keepalive: 10 }), {
      username: 'op',
      password: 'pw',
    });
    expect(o).toMatchObject({ protocolVersion: 5, clientId: 'wall-1', keepalive: 10, username: 'op', password: 'pw' });
  });

  it('a clean session ignores the browser id (a random id per page)', () => {
    expect(clientOptions(connection(), undefined, 'twinview-browser1').clientId).not.toBe('twinview-browser1');
  });

  it('a persistent session turns clean start off and uses the browser id', () => {
    const o = clientOptions(connection({ session: 'persistent' }), undefined, 'twinview-browser1');
    expect(o).toMatchObject({ clean: false, clientId: 'twinview-browser1' });
    expect(o.properties).toBeUndefined();
    // The twin's own id wins over the browser's.
    expect(clientOptions(connection({ session: 'persistent', clientId: 'wall-2' }), undefined, 'b').clientId).toBe(
      'wall-2',
    );
  });

  it('MQTT 5 persistent sessions ask the broker to keep the session (default one hour)', () => {
    expect(clientOptions(connection({ mqtt: 5, session: 'persistent' })).properties).toEqual({
      sessionExpiryInterval: 3600,
    });
    expect(clientOptions(connection({ mqtt: 5, session: 'persistent', sessionExpiry: '10m' })).properties).toEqual({
      sessionExpiryInterval: 600,
    });
  });
});

describe('backoffFor', () => {
  it('reads the twin reconnect section over the defaults', () => {
    expect(backoffFor(connection())).toEqual(DEFAULT_BACKOFF);
    expect(backoffFor(connection({ reconnect: { initial: '250ms', max: '5s' } }))).toMatchObject({
      initialMs: 250,
      maxMs: 5000,
    });
  });
});

describe('subscriptions', () => {
  it('subscribes each filter with its QoS, captures made plain "+"', () => {
    expect(subscriptions(connection())).toEqual({ 'plant/north/#': { qos: 0 }, 'plant/+/alarms': { qos: 1 } });
  });
});

// --- against a real broker (aedes over WebSocket, MQTT 3.1.1) -------------------------------------

interface TestBroker {
  url: string;
  port: number;
  aedes: Aedes;
  close(): Promise<void>;
}

async function startBroker(port = 0, options: AedesOptions = {}): Promise<TestBroker> {
  const aedes = await Aedes.createBroker(options);
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket), req));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const actual = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${actual}`,
    port: actual,
    aedes,
    close: async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 4000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const publish = (broker: TestBroker, topic: string, payload: string) =>
  new Promise<void>((resolve) =>
    broker.aedes.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false },
      () => resolve(),
    ),
  );

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function open(
  url: string,
  extra: {
    credentials?: { username: string; password: string };
    connection?: Partial<Connection>;
    clientId?: string;
    connect?: (url: string, options: IClientOptions) => MqttClient;
  } = {},
) {
  const statuses: ConnectionStatus[] = [];
  const messages: [string, string][] = [];
  const problems: string[] = [];
  const conn: BrokerConnection = openConnection({
    connection: connection(extra.connection),
    brokerUrl: url,
    clientId: extra.clientId,
    credentials: extra.credentials,
    connect: extra.connect,
    backoff: { initialMs: 50, maxMs: 200, factor: 2, jitter: 0 },
    onMessage: (topic, payload) => messages.push([topic, new TextDecoder().decode(payload)]),
    onStatus: (s) => statuses.push(s),
    onProblem: (p) => problems.push(p),
  });
  cleanups.push(() => conn.close());
  return { conn, statuses, messages, problems };
}

describe('openConnection with a broker', () => {
  it('goes connecting → online, subscribes and delivers messages', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url);
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(c.statuses[1]).toMatchObject({ url: broker.url });
    // The subscription is in place once a publish reaches us.
    await waitFor(() => {
      void publish(broker, 'plant/north/pump1/telemetry', '{"rpm":1}');
      return c.messages.length > 0;
    });
    await publish(broker, 'plant/south/alarms', 'x');
    await publish(broker, 'elsewhere', 'y');
    await waitFor(() => c.messages.some(([t]) => t === 'plant/south/alarms'));
    expect(c.messages[0]).toEqual(['plant/north/pump1/telemetry', '{"rpm":1}']);
    expect(c.messages.some(([t]) => t === 'elsewhere')).toBe(false);

    await c.conn.close();
    expect(c.statuses[c.statuses.length - 1]).toEqual({ state: 'offline', url: broker.url, reason: 'stopped' });
  });

  it('publishes at QoS 1 once connected, and refuses at once (queues nothing) when not', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const seen: string[] = [];
    broker.aedes.on('publish', (packet) => {
      if (packet.topic === 'plant/north/pump1/cmd') seen.push(packet.payload.toString());
    });
    const c = open(broker.url);
    expect(await c.conn.publish('plant/north/pump1/cmd', '{"action":"stop"}', { qos: 1 })).toMatchObject({
      ok: false,
      reason: 'not connected to the broker',
    });
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    expect(await c.conn.publish('plant/north/pump1/cmd', '{"action":"start"}', { qos: 1 })).toEqual({ ok: true });
    await waitFor(() => seen.length > 0);
    expect(seen).toEqual(['{"action":"start"}']);
  });

  it("subscribes the extra filters beside the twin's own", async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const statuses: ConnectionStatus[] = [];
    const messages: string[] = [];
    const conn = openConnection({
      connection: connection(),
      brokerUrl: broker.url,
      extraSubscriptions: { 'twinview/v1/t/#': { qos: 1 } },
      onMessage: (topic) => messages.push(topic),
      onStatus: (st) => statuses.push(st),
    });
    cleanups.push(() => conn.close());
    await waitFor(() => {
      void publish(broker, 'twinview/v1/t/service', '{}');
      return messages.includes('twinview/v1/t/service');
    });
  });

  it('reports reconnect attempts while the broker is away and comes back online, resubscribed', async () => {
    let broker = await startBroker();
    const port = broker.port;
    cleanups.push(() => broker.close());
    const c = open(broker.url);
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    await broker.close();
    await waitFor(() => c.statuses.some((s) => s.state === 'reconnecting' && s.attempt >= 2));
    const reconnecting = c.statuses.filter((s) => s.state === 'reconnecting');
    expect(reconnecting.map((s) => s.state === 'reconnecting' && s.attempt).slice(0, 2)).toEqual([1, 2]);
    expect(reconnecting[0]).toMatchObject({ reason: expect.any(String) });

    broker = await startBroker(port);
    await waitFor(() => c.statuses[c.statuses.length - 1].state === 'online');
    await waitFor(() => {
      void publish(broker, 'plant/north/pump2/telemetry', '2');
      return c.messages.some(([t]) => t === 'plant/north/pump2/telemetry');
    });
  });

  it('goes offline without retrying when the broker refuses the credentials', async () => {
    const broker = await startBroker(0, {
      authenticate: (_client, username, _password, done) => {
        if (username === 'op') return done(null, true);
        done(Object.assign(new Error('bad'), { returnCode: 4 as const }), null);
      },
    });
    cleanups.push(() => broker.close());
    const c = open(broker.url, { credentials: { username: 'intruder', password: 'x' } });
    await waitFor(() => c.statuses.some((s) => s.state === 'offline'));
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'offline']);
    expect(c.statuses[1]).toMatchObject({ reason: expect.stringMatching(/Bad username or password/) });

    const ok = open(broker.url, { credentials: { username: 'op', password: 'x' } });
    await waitFor(() => ok.statuses.some((s) => s.state === 'online'));
  });

  it('schedules no retry after a refusal that retrying cannot fix (bad credentials)', async () => {
    // Timers faked so "no retry" is checked by what is scheduled, not by waiting a while.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = refusingBroker([4], { code: 4, message: 'Connection refused: Bad username or password' });
      const c = open('ws://fake', { connect: fake.connect });
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'offline']);
      expect(vi.getTimerCount()).toBe(0);
      vi.runAllTimers();
      expect(fake.reconnects()).toBe(0);
      expect(fake.versions).toEqual([4]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a subscription the broker refuses', async () => {
    const broker = await startBroker(0, {
      authorizeSubscribe: (_client, sub, callback) => callback(null, sub.topic.includes('alarms') ? null : sub),
    });
    cleanups.push(() => broker.close());
    const c = open(broker.url);
    await waitFor(() => c.problems.length > 0);
    expect(c.problems[0]).toMatch(/refused the subscription "plant\/\+\/alarms"/);
  });

  it('reports an unreachable broker as reconnecting', async () => {
    const broker = await startBroker();
    const url = broker.url;
    await broker.close();
    const c = open(url);
    await waitFor(() => c.statuses.some((s) => s.state === 'reconnecting'));
    expect(c.statuses[1]).toMatchObject({ state: 'reconnecting', attempt: 1 });
  });

  it('waits longer before each attempt (backoff) and says when the next try is', async () => {
    const broker = await startBroker();
    const url = broker.url;
    await broker.close();
    const c = open(url);
    await waitFor(() => c.statuses.some((s) => s.state === 'reconnecting' && s.attempt >= 3), 3000);
    const tries = c.statuses.filter((s) => s.state === 'reconnecting');
    // initial 50 ms, doubling, no jitter: each attempt is announced at least 50, 100, 200 ms ahead,
    // and an attempt is reported only after the previous announced time has come.
    const next = tries.map((s) => (s.state === 'reconnecting' ? s.nextRetryAt : 0));
    expect(next[1] - next[0]).toBeGreaterThanOrEqual(100);
    expect(next[2] - next[1]).toBeGreaterThanOrEqual(200);
  });

  it('a clean session marks the outage as a gap when it comes back', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url, { clientId: 'ignored-for-clean' });
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    expect(c.statuses[1]).toMatchObject({ state: 'online', resumed: false });
    expect(c.statuses[1]).not.toHaveProperty('gapSince');
    dropClients(broker);
    await waitFor(() => c.statuses.filter((s) => s.state === 'online').length === 2);
    const back = c.statuses.filter((s) => s.state === 'online')[1];
    expect(back).toMatchObject({ resumed: false, gapSince: expect.any(Number) });
    if (back.state === 'online') expect(back.gapSince!).toBeLessThanOrEqual(back.since);
    // Subscribed again: messages flow.
    await waitFor(() => {
      void publish(broker, 'plant/north/pump9/telemetry', '9');
      return c.messages.some(([t]) => t === 'plant/north/pump9/telemetry');
    });
  });

  it('a persistent session resumes without a gap and receives the QoS 1 messages sent while away', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url, {
      connection: { session: 'persistent', subscribe: [{ topic: 'plant/#', qos: 1 }], reconnect: { initial: '300ms' } },
      clientId: 'twinview-test-persistent',
    });
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    await waitFor(() => {
      void publishQos1(broker, 'plant/warmup', 'w');
      return c.messages.length > 0;
    });
    dropClients(broker);
    await waitFor(() => c.statuses.some((s) => s.state === 'reconnecting'));
    for (let i = 1; i <= 20; i++) await publishQos1(broker, 'plant/counter', String(i));
    await waitFor(() => c.statuses.filter((s) => s.state === 'online').length === 2);
    const back = c.statuses.filter((s) => s.state === 'online')[1];
    expect(back).toMatchObject({ resumed: true });
    expect(back).not.toHaveProperty('gapSince');
    await waitFor(() => c.messages.filter(([t]) => t === 'plant/counter').length === 20);
    expect(c.messages.filter(([t]) => t === 'plant/counter').map(([, p]) => Number(p))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});

describe('a broker that refuses the MQTT version', () => {
  it('a twin asking for MQTT 5 falls back to 3.1.1 on a 3.1.1-only broker (aedes), and says so', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url, { connection: { mqtt: 5 } });
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    // No offline or reconnecting detour: the fallback is part of connecting.
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(c.statuses[1]).toMatchObject({ mqttFallback: { refused: 5, using: '3.1.1' } });
    await waitFor(() => {
      void publish(broker, 'plant/north/pump1/telemetry', '1');
      return c.messages.length > 0;
    });
  });

  it('keeps 3.1.1 after a fallback when it reconnects, and says so again', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url, { connection: { mqtt: 5 } });
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    dropClients(broker);
    await waitFor(() => c.statuses.filter((s) => s.state === 'online').length === 2);
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'online', 'reconnecting', 'online']);
    expect(c.statuses[3]).toMatchObject({ mqttFallback: { refused: 5, using: '3.1.1' } });
  });

  it('a twin asking for 3.1.1 connects to aedes without a fallback note', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const c = open(broker.url);
    await waitFor(() => c.statuses.some((s) => s.state === 'online'));
    expect(c.statuses[1]).not.toHaveProperty('mqttFallback');
  });

  it('tries each version once and goes offline naming both and what to check when both are refused', async () => {
    const fake = refusingBroker([5, 4]);
    const c = open('ws://fake', { connection: { mqtt: 5 }, connect: fake.connect });
    await waitFor(() => c.statuses.some((s) => s.state === 'offline'));
    expect(fake.versions).toEqual([5, 4]);
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'offline']);
    expect(c.statuses[1]).toMatchObject({
      reason: expect.stringMatching(
        /refused MQTT 5 and MQTT 3\.1\.1 \(.*Unacceptable protocol version.*\).*MQTT 5 or 3\.1\.1/,
      ),
    });
  });

  it('a twin asking for 3.1.1 that the broker refuses is told to set "mqtt": 5', async () => {
    const fake = refusingBroker([4]);
    const c = open('ws://fake', { connect: fake.connect });
    await waitFor(() => c.statuses.some((s) => s.state === 'offline'));
    expect(fake.versions).toEqual([4]);
    expect(c.statuses[1]).toMatchObject({ reason: expect.stringContaining('set "mqtt": 5 in the twin\'s connection') });
  });
});

describe('protocolRefusal', () => {
  it("names the refused versions, the broker's words and the fix", () => {
    expect(protocolRefusal(['3.1.1'], 'Unacceptable protocol version')).toBe(
      'the broker refused MQTT 3.1.1 (Unacceptable protocol version): set "mqtt": 5 in the twin\'s connection',
    );
    expect(protocolRefusal([5, '3.1.1'], 'x')).toMatch(/^the broker refused MQTT 5 and MQTT 3\.1\.1 \(x\)/);
  });
});

/**
 * A stand-in for mqtt.connect whose broker refuses the listed protocol levels (5, or 4 for 3.1.1),
 * by default with CONNACK code 1 as a broker answers a version it cannot speak; it records each level
 * tried and counts reconnects.
 */
function refusingBroker(
  refuse: number[],
  refusal = { code: 1, message: 'Connection refused: Unacceptable protocol version' },
) {
  const versions: number[] = [];
  let reconnects = 0;
  const connect = (_url: string, options: IClientOptions): MqttClient => {
    const version = options.protocolVersion ?? 4;
    versions.push(version);
    const client = Object.assign(new EventEmitter(), {
      end: (_force?: boolean, _opts?: object, cb?: () => void) => {
        queueMicrotask(() => client.emit('close'));
        cb?.();
        return client;
      },
      reconnect: () => {
        reconnects++;
        return client;
      },
      subscribe: () => client,
    });
    queueMicrotask(() => {
      if (refuse.includes(version)) {
        client.emit('error', Object.assign(new Error(refusal.message), { code: refusal.code }));
        client.emit('close');
      } else client.emit('connect', { cmd: 'connack', sessionPresent: false });
    });
    return client as unknown as MqttClient;
  };
  return { connect, versions, reconnects: () => reconnects };
}

/** Closes every client connection from the broker's side, as a network drop would. */
function dropClients(broker: TestBroker): void {
  const clients = (broker.aedes as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients;
  for (const client of Object.values(clients)) client.conn.destroy();
}

const publishQos1 = (broker: TestBroker, topic: string, payload: string) =>
  new Promise<void>((resolve) =>
    broker.aedes.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false, messageId: 1 },
      () => resolve(),
    ),
  );
