import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { clientOptions, openConnection, subscriptions, type BrokerConnection } from './connection';
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
  it('maps the twin connection to mqtt.js options', () => {
    const o = clientOptions(connection(), undefined, 1000);
    expect(o).toMatchObject({ protocolVersion: 4, keepalive: 30, reconnectPeriod: 1000, clean: true });
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

function open(url: string, extra: { credentials?: { username: string; password: string } } = {}) {
  const statuses: ConnectionStatus[] = [];
  const messages: [string, string][] = [];
  const problems: string[] = [];
  const conn: BrokerConnection = openConnection({
    connection: connection(),
    brokerUrl: url,
    credentials: extra.credentials,
    reconnectPeriodMs: 100,
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
    await new Promise((resolve) => setTimeout(resolve, 400)); // several reconnect periods
    expect(c.statuses.map((s) => s.state)).toEqual(['connecting', 'offline']);
    expect(c.statuses[1]).toMatchObject({ reason: expect.stringMatching(/Bad username or password/) });

    const ok = open(broker.url, { credentials: { username: 'op', password: 'x' } });
    await waitFor(() => ok.statuses.some((s) => s.state === 'online'));
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
});
