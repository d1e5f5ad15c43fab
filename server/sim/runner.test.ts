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
    // Once the tank's telemetry has been published, a subscriber that comes later gets it retained
    // (subscribing before the first publish would see it live).
    const early = await subscriber(b.url, 'plant/north/tank1/telemetry');
    await nextMessage(early, (t) => t === 'plant/north/tank1/telemetry');
    const c = await connectAsync(b.url, { protocolVersion: 4, reconnectPeriod: 0 });
    cleanup.push(() => c.endAsync(true));
    // Only the copy the broker kept is flagged retained (a live one may overtake it on a busy machine).
    const retained = new Promise<string>((resolve) =>
      c.on('message', (topic, payload, packet) => {
        if (topic === 'plant/north/tank1/telemetry' && packet.retain) resolve(payload.toString());
      }),
    );
    await c.subscribeAsync('plant/north/#');
    expect(JSON.parse(await retained)).toMatchObject({ ts: expect.any(Number) });
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
    // Waits for what the simulator says, not for a time in which it should have said it.
    await expect.poll(() => log.some((l) => l.includes('lost the broker'))).toBe(true);

    const second = await broker(first.wsPort);
    const c = await subscriber(second.url, 'plant/north/#');
    await nextMessage(c, (t) => t === 'plant/north/pumps/pump1/telemetry', 5000);
    await expect.poll(() => log.some((l) => l.includes('reconnected'))).toBe(true);
  });
});
