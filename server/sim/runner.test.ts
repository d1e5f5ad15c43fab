import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../broker';
import type { CommandAck, PumpTelemetry } from './pumpStation';
import { startSimulator, type RunningSimulator } from './runner';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function broker(wsPort = 0): Promise<RunningBroker> {
  const b = await startBroker({ wsPort, host: '127.0.0.1' });
  cleanup.push(() => b.close());
  return b;
}

function simulator(brokerUrl: string, log: string[] = []): RunningSimulator {
  const sim = startSimulator({ brokerUrl, intervalMs: 100, seed: 1, faults: false, log: (l) => log.push(l) });
  cleanup.push(() => sim.stop());
  return sim;
}

async function subscriber(url: string, filter: string): Promise<MqttClient> {
  const c = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  cleanup.push(() => c.endAsync(true));
  await c.subscribeAsync(filter);
  return c;
}

function nextMessage<T>(
  c: MqttClient,
  match: (topic: string, body: T) => boolean,
  timeoutMs = 5000,
): Promise<T & { topic: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching message in time')), timeoutMs);
    const onMessage = (topic: string, payload: Buffer) => {
      const body = JSON.parse(payload.toString()) as T;
      if (match(topic, body)) {
        clearTimeout(timer);
        c.off('message', onMessage);
        resolve({ ...body, topic });
      }
    };
    c.on('message', onMessage);
  });
}

describe('simulator runner', () => {
  it('publishes retained telemetry that a later subscriber receives at once', async () => {
    const b = await broker();
    const sim = simulator(b.url);
    expect(await sim.connected(3000)).toBe(true);
    const c = await connectAsync(b.url, { protocolVersion: 4, reconnectPeriod: 0 });
    cleanup.push(() => c.endAsync(true));
    const retained = new Promise<boolean>((resolve) =>
      c.on('message', (topic, _p, packet) => topic === 'plant/north/tank1/telemetry' && resolve(packet.retain)),
    );
    await c.subscribeAsync('plant/north/#');
    expect(await retained).toBe(true);
  });

  it('obeys a start command from MQTT and acknowledges it', async () => {
    const b = await broker();
    const sim = simulator(b.url);
    await sim.connected(3000);
    const c = await subscriber(b.url, 'plant/north/#');
    // Which pump is on standby depends on the seed and the time of day: find one from its telemetry.
    const standby = await nextMessage<PumpTelemetry>(c, (t, p) => t.includes('/pump') && p.running === false);
    const id = standby.topic.split('/').at(-2)!;
    const ack = nextMessage<CommandAck>(c, (t) => t === `plant/north/pumps/${id}/cmd/ack`);
    await c.publishAsync(`plant/north/pumps/${id}/cmd`, JSON.stringify({ action: 'start' }));
    expect(await ack).toMatchObject({ action: 'start', ok: true });
    const running = await nextMessage<PumpTelemetry>(
      c,
      (t, p) => t === `plant/north/pumps/${id}/telemetry` && p.rpm > 0,
    );
    expect(running.running).toBe(true);
  });

  it('reconnects and republishes when the broker comes back', async () => {
    const first = await startBroker({ wsPort: 0, host: '127.0.0.1' });
    const log: string[] = [];
    const sim = simulator(first.url, log);
    await sim.connected(3000);
    await first.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(log.some((l) => l.includes('lost the broker'))).toBe(true);

    const second = await broker(first.wsPort);
    const c = await subscriber(second.url, 'plant/north/#');
    await nextMessage(c, (t) => t === 'plant/north/pumps/pump1/telemetry', 5000);
    expect(log.some((l) => l.includes('reconnected'))).toBe(true);
  });
});
