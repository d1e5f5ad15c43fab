import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBroker, type RunningBroker } from './broker';

const brokers: RunningBroker[] = [];
const clients: MqttClient[] = [];

async function broker(wsPort = 0): Promise<RunningBroker> {
  const b = await startBroker({ wsPort, host: '127.0.0.1' });
  brokers.push(b);
  return b;
}

async function client(url: string): Promise<MqttClient> {
  const c = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

/** Packs an MQTT remaining length (variable-length integer). */
function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function utf8Field(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, ...remainingLength(body.length)]), body]);
}

describe('embedded broker', () => {
  it('relays a publish from one WebSocket client to another', async () => {
    const b = await broker();
    expect(b.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const sub = await client(b.url);
    const pub = await client(b.url);
    await sub.subscribeAsync('plant/test/#');
    const received = new Promise<[string, string]>((resolve) =>
      sub.on('message', (t, p) => resolve([t, p.toString()])),
    );
    await pub.publishAsync('plant/test/a', '{"v":1}');
    expect(await received).toEqual(['plant/test/a', '{"v":1}']);
  });

  it('delivers a retained message to a subscriber that arrives later', async () => {
    const b = await broker();
    const pub = await client(b.url);
    await pub.publishAsync('plant/test/retained', '{"level":42}', { retain: true, qos: 1 });
    const late = await client(b.url);
    const received = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      late.on('message', (_t, p, pk) => resolve({ payload: p.toString(), retain: pk.retain })),
    );
    await late.subscribeAsync('plant/test/#');
    expect(await received).toEqual({ payload: '{"level":42}', retain: true });
  });

  it('sends each PUBLISH as a single WebSocket frame', async () => {
    const b = await broker();
    const pub = await client(b.url);
    const payload = JSON.stringify({ ts: 1, rpm: 1500, note: 'x'.repeat(300) });
    await pub.publishAsync('plant/test/frame', payload, { retain: true, qos: 1 });

    // A raw WebSocket client, so that frames can be counted (mqtt.js would reassemble them).
    const ws = new WebSocket(b.url, 'mqtt');
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const connectBody = Buffer.concat([utf8Field('MQTT'), Buffer.from([4, 2, 0, 60]), utf8Field('frame-counter')]);
    ws.send(packet(0x10, connectBody));
    ws.send(packet(0x82, Buffer.concat([Buffer.from([0, 1]), utf8Field('plant/test/frame'), Buffer.from([0])])));
    const deadline = Date.now() + 3000;
    while (!frames.some((f) => f[0] >> 4 === 3) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.terminate();

    const publishFrames = frames.filter((f) => f[0] >> 4 === 3);
    expect(publishFrames).toHaveLength(1);
    const frame = publishFrames[0];
    expect(frame.subarray(frame.length - payload.length).toString()).toBe(payload);
    // Nothing after the PUBLISH dribbles in as extra frames.
    expect(frames.every((f) => [2, 3, 9].includes(f[0] >> 4))).toBe(true);
  });

  it('rejects a second broker on a port in use with a clear message', async () => {
    const first = await broker();
    await expect(startBroker({ wsPort: first.wsPort, host: '127.0.0.1' })).rejects.toThrow(
      `port ${first.wsPort} on 127.0.0.1 is already in use (another broker or a previous Twinview?) — choose another with --broker-port`,
    );
  });

  it('frees its port and disconnects clients on close', async () => {
    const first = await startBroker({ wsPort: 0, host: '127.0.0.1' });
    const c = await client(first.url);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    await first.close();
    await closed;
    await first.close(); // a second close is harmless
    const again = await broker(first.wsPort);
    expect(again.wsPort).toBe(first.wsPort);
  });

  it('also listens on plain TCP when asked', async () => {
    const b = await startBroker({ wsPort: 0, tcpPort: 0, host: '127.0.0.1' });
    brokers.push(b);
    expect(b.tcpUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const tcp = await client(b.tcpUrl!);
    const ws = await client(b.url);
    await ws.subscribeAsync('x/#');
    const received = new Promise<string>((resolve) => ws.on('message', (_t, p) => resolve(p.toString())));
    await tcp.publishAsync('x/y', 'over tcp');
    expect(await received).toBe('over tcp');
  });
});
