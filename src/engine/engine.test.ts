import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { SAMPLE_STRIDE, type TelemetryBatch } from './protocol';
import { demoTwin, makeTwin } from './testTwins';

const PUMP_TOPIC = 'plant/north/pumps/pump1/telemetry';
const pumpPayload = (temp: number, extra = '') =>
  `{"ts":1732540000000,"running":true,"rpm":1480,"flow":52.3,"bearing":{"temp":${temp}},"motor":{"current":41}${extra}}`;
const bytes = (text: string) => new TextEncoder().encode(text);

/** A settable clock. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v), advance: (ms: number) => (t += ms) };
}

function triples(batch: TelemetryBatch | null): [number, number, number][] {
  const out: [number, number, number][] = [];
  if (!batch) return out;
  for (let i = 0; i < batch.count; i++) {
    const at = i * SAMPLE_STRIDE;
    out.push([batch.samples[at], batch.samples[at + 1], batch.samples[at + 2]]);
  }
  return out;
}

describe('Engine with the demo twin', () => {
  it('turns one pump message into samples for temp, rpm, flow and running with stable indices', () => {
    const c = clock();
    const engine = new Engine(demoTwin(), { now: c.now });
    engine.handleMessage(PUMP_TOPIC, bytes(pumpPayload(61.2)));
    const out = engine.takeBatch();
    expect(out.added).toEqual([
      { index: 0, id: 'pump1.temp', def: 0, label: 'pump1 bearing temperature', unit: '°C' },
      { index: 1, id: 'pump1.rpm', def: 1, label: 'pump1 speed', unit: 'rpm' },
      { index: 2, id: 'pump1.flow', def: 2, label: 'pump1 flow', unit: 'm³/h' },
      { index: 3, id: 'pump1.running', def: 3, label: 'pump1 running', unit: '' },
    ]);
    expect(triples(out.batch)).toEqual([
      [0, 61.2, 1_000_000],
      [1, 1480, 1_000_000],
      [2, 52.3, 1_000_000],
      [3, 1, 1_000_000],
    ]);
    expect(out.batch?.samples.length).toBe(4 * SAMPLE_STRIDE);

    c.advance(100);
    engine.handleMessage('plant/north/pumps/pump2/telemetry', pumpPayload(70));
    engine.handleMessage(PUMP_TOPIC, pumpPayload(62));
    const next = engine.takeBatch();
    expect(next.added.map((s) => [s.index, s.id])).toEqual([
      [4, 'pump2.temp'],
      [5, 'pump2.rpm'],
      [6, 'pump2.flow'],
      [7, 'pump2.running'],
    ]);
    expect(triples(next.batch).filter(([i]) => i === 0)).toEqual([[0, 62, 1_000_100]]);
    expect(engine.value('pump1.temp')).toBe(62);
    expect(engine.signal('pump2.flow')?.index).toBe(6);
  });

  it('hands out nothing when nothing happened', () => {
    const engine = new Engine(demoTwin());
    expect(engine.hasOutput).toBe(false);
    expect(engine.takeBatch()).toEqual({ added: [], batch: null, alarms: null, quality: null });
  });

  it('leaves the latest value unchanged on bad payloads and counts them by reason', () => {
    const c = clock();
    const engine = new Engine(demoTwin(), { now: c.now, maxPayloadBytes: 1024 });
    engine.handleMessage(PUMP_TOPIC, pumpPayload(61.2));
    engine.takeBatch();

    engine.handleMessage(PUMP_TOPIC, '{"bearing":{"temp":'); // bad-json, once for the message
    engine.handleMessage(PUMP_TOPIC, '{"rpm":1500}'); // temp, flow, running missing; rpm fine
    engine.handleMessage(PUMP_TOPIC, '{"bearing":{"temp":"hot"},"rpm":1e999,"flow":1,"running":false}');
    engine.handleMessage(PUMP_TOPIC, pumpPayload(99, `,"pad":"${'x'.repeat(2000)}"`)); // too-large
    engine.handleMessage('plant/north/unknown/thing', '1');

    expect(engine.value('pump1.temp')).toBe(61.2);
    expect(engine.value('pump1.rpm')).toBe(1500);
    expect(engine.value('pump1.running')).toBe(0);
    const stats = engine.stats();
    expect(stats.rejected).toEqual({
      'bad-json': 1,
      'missing-path': 3,
      'wrong-type': 1,
      'not-finite': 1,
      'too-large': 1,
      'unknown-topic': 1,
    });
    expect(stats.messages).toBe(6);
    expect(stats.lastMessageAt).toBe(1_000_000);
    expect(stats.lastRejects).toHaveLength(5);
    const last = stats.lastRejects[stats.lastRejects.length - 1];
    expect(last).toEqual({ reason: 'unknown-topic', topic: 'plant/north/unknown/thing', sample: '1', at: 1_000_000 });
    expect(stats.lastRejects.find((r) => r.reason === 'too-large')?.sample).toHaveLength(200);
    expect(stats.lastRejects.find((r) => r.reason === 'wrong-type')?.signal).toBe('pump1.temp');
    // Only the good values of the bad messages are in the batch.
    expect(triples(engine.takeBatch().batch).map(([i, v]) => [i, v])).toEqual([
      [1, 1500],
      [2, 1],
      [3, 0],
    ]);
  });

  it('counts bytes of every message', () => {
    const engine = new Engine(demoTwin());
    engine.handleMessage(PUMP_TOPIC, bytes('{}'));
    engine.handleMessage('x', '°');
    expect(engine.stats().bytes).toBe(4);
  });

  it('samples the same repeated reject once a second, but counts every one', () => {
    const c = clock();
    const engine = new Engine(demoTwin(), { now: c.now });
    for (let i = 0; i < 10; i++) engine.handleMessage('other/topic', 'x');
    expect(engine.stats().rejected['unknown-topic']).toBe(10);
    expect(engine.stats().lastRejects).toHaveLength(1);
    c.advance(1000);
    engine.handleMessage('other/topic', 'y');
    expect(engine.stats().lastRejects.map((r) => r.sample)).toEqual(['x', 'y']);
  });

  it('holds many messages in one batch buffer that grows by doubling, not per message', () => {
    const engine = new Engine(demoTwin(), { initialSamples: 16 });
    const payload = bytes(pumpPayload(60));
    for (let i = 0; i < 5000; i++) engine.handleMessage(PUMP_TOPIC, payload);
    // 20,000 samples from 16: 11 doublings.
    expect(engine.bufferGrowths).toBe(11);
    const { batch } = engine.takeBatch();
    expect(batch?.count).toBe(20_000);
    expect(batch?.samples.buffer.byteLength).toBe(32_768 * SAMPLE_STRIDE * 8);
    // The next buffer is sized for that rate: the same load needs no growth at all.
    for (let i = 0; i < 5000; i++) engine.handleMessage(PUMP_TOPIC, payload);
    expect(engine.bufferGrowths).toBe(11);
  });

  it('gives the caller a batch the engine never writes into again', () => {
    const engine = new Engine(demoTwin());
    engine.handleMessage(PUMP_TOPIC, pumpPayload(60));
    const { batch } = engine.takeBatch();
    const copy = Array.from(batch!.samples);
    engine.handleMessage(PUMP_TOPIC, pumpPayload(70));
    expect(Array.from(batch!.samples)).toEqual(copy);
  });

  it('fills a buffer handed back (recycle) instead of a new one, with the right samples', () => {
    const engine = new Engine(demoTwin(), { initialSamples: 16 });
    engine.handleMessage(PUMP_TOPIC, pumpPayload(60));
    const first = engine.takeBatch().batch!;
    // The batch taken here was filled in the buffer allocated before it; the next one is new.
    engine.handleMessage(PUMP_TOPIC, pumpPayload(61));
    const second = engine.takeBatch().batch!;
    expect(second.samples.buffer).not.toBe(first.samples.buffer);
    const returned = first.samples.buffer as ArrayBuffer;
    engine.recycle(returned);
    // The buffer in use was allocated at the last takeBatch; the one after it is the returned one.
    engine.handleMessage(PUMP_TOPIC, pumpPayload(62));
    engine.takeBatch();
    engine.handleMessage(PUMP_TOPIC, pumpPayload(63));
    const reused = engine.takeBatch().batch!;
    expect(reused.samples.buffer).toBe(returned);
    expect(triples(reused).map(([, v]) => v)).toContain(63);
    expect(triples(reused).map(([, v]) => v)).not.toContain(60);
  });

  it('keeps only a few handed-back buffers, and none that could not hold samples', () => {
    const engine = new Engine(demoTwin(), { initialSamples: 16, maxSamples: 64 });
    const buffers = Array.from({ length: 6 }, () => new ArrayBuffer(16 * SAMPLE_STRIDE * 8));
    for (const b of buffers) engine.recycle(b);
    engine.recycle(new ArrayBuffer(8)); // not a whole sample
    engine.recycle(new ArrayBuffer(1024 * SAMPLE_STRIDE * 8)); // over maxSamples
    const used = new Set<ArrayBufferLike>();
    for (let i = 0; i < 8; i++) {
      engine.handleMessage(PUMP_TOPIC, pumpPayload(60 + i));
      used.add(engine.takeBatch().batch!.samples.buffer);
    }
    expect(buffers.filter((b) => used.has(b))).toHaveLength(3);
  });

  it('does not reuse a handed-back buffer far larger than the rate needs', () => {
    const engine = new Engine(demoTwin(), { initialSamples: 16 });
    const big = new ArrayBuffer(4096 * SAMPLE_STRIDE * 8);
    engine.recycle(big);
    for (let i = 0; i < 3; i++) {
      engine.handleMessage(PUMP_TOPIC, pumpPayload(60));
      expect(engine.takeBatch().batch!.samples.buffer).not.toBe(big);
    }
  });

  it('keeps memory bounded when nobody takes batches: each signal keeps its newest sample', () => {
    const c = clock();
    const engine = new Engine(demoTwin(), { now: c.now, initialSamples: 8, maxSamples: 64 });
    for (let i = 0; i < 100; i++) {
      c.advance(1);
      engine.handleMessage(PUMP_TOPIC, pumpPayload(i));
    }
    engine.handleMessage('plant/north/tank1/telemetry', '{"level":50}');
    const { batch } = engine.takeBatch();
    expect(batch!.samples.buffer.byteLength).toBe(64 * SAMPLE_STRIDE * 8);
    const temps = triples(batch).filter(([i]) => i === 0);
    expect(temps[temps.length - 1][1]).toBe(99);
    expect(engine.stats().droppedSamples).toBe(401 - batch!.count);
  });
});

describe('Engine rules and alarms', () => {
  it('raises a delayed alarm through tick() and reports the list once per change', () => {
    const c = clock(0);
    const engine = new Engine(demoTwin(), { now: c.now });
    engine.handleMessage(PUMP_TOPIC, pumpPayload(97));
    expect(engine.takeBatch().alarms).toBe(null);
    c.set(2999);
    engine.tick(c.now());
    expect(engine.takeBatch().alarms).toBe(null);
    c.set(3000);
    engine.tick(); // no new message: the on-delay runs out by time alone
    const alarms = engine.takeBatch().alarms;
    expect(alarms?.map((a) => [a.id, a.state, a.value, a.raisedAt])).toEqual([
      ['pump1.hot', 'active', 97, 3000],
      ['pump1.overheat', 'active', 97, 3000],
    ]);
    expect(alarms?.[0]).toMatchObject({ signal: 'pump1.temp', priority: 'medium', asset: 'station/Pump1' });
    engine.tick(4000);
    expect(engine.takeBatch().alarms).toBe(null);
  });

  it('clears with hysteresis and follows acknowledgement', () => {
    const c = clock(0);
    const engine = new Engine(demoTwin(), { now: c.now });
    engine.handleMessage(PUMP_TOPIC, pumpPayload(90));
    engine.tick(3000);
    expect(engine.alarms().map((a) => a.id)).toEqual(['pump1.hot']);
    c.set(4000);
    expect(engine.acknowledge('pump1.hot', 'ana')).toBe(true);
    expect(engine.alarms()[0]).toMatchObject({ state: 'acknowledged', acknowledgedAt: 4000, acknowledgedBy: 'ana' });
    engine.handleMessage(PUMP_TOPIC, pumpPayload(84)); // inside the deadband (85 - 2)
    expect(engine.alarms()).toHaveLength(1);
    engine.handleMessage(PUMP_TOPIC, pumpPayload(83));
    expect(engine.alarms()).toEqual([]);
    expect(engine.acknowledge('pump1.hot')).toBe(false);
  });

  it('evaluates rules on signals from plain topics and "<" conditions', () => {
    const c = clock(0);
    const engine = new Engine(demoTwin(), { now: c.now });
    engine.handleMessage('plant/north/tank1/telemetry', '{"level":9}');
    c.set(2000);
    engine.handleMessage('plant/north/tank1/telemetry', '{"level":9.5}');
    expect(engine.alarms().map((a) => [a.id, a.value])).toEqual([['tank1.low', 9.5]]);
  });

  it('works with the other decoders', () => {
    const twin = makeTwin({
      signals: [
        { id: '{dev}.on', topic: 'd/+dev/on', decoder: 'boolean' },
        { id: '{dev}.v', topic: 'd/+dev/v', decoder: 'number' },
      ],
      rules: [{ id: 'd1.high', when: 'd1.v > 10', message: 'high' }],
    });
    const engine = new Engine(twin, { now: () => 5 });
    engine.handleMessage('d/d1/on', 'ON');
    engine.handleMessage('d/d1/v', '11');
    expect(engine.value('d1.on')).toBe(1);
    expect(engine.alarms().map((a) => a.id)).toEqual(['d1.high']);
  });

  it('refuses a twin whose path does not parse, naming the signal', () => {
    const twin = makeTwin({ signals: [{ id: 'a', topic: 'a', path: 'x..y' }] });
    expect(() => new Engine(twin)).toThrow(/signals\[0\] "a"/);
  });
});

describe('Engine rule kinds and alarm actions', () => {
  const twin = () =>
    makeTwin({
      signals: [
        { id: '{dev}.v', topic: 'd/+dev/v', decoder: 'number' },
        { id: '{dev}.on', topic: 'd/+dev/on', decoder: 'number' },
      ],
      rules: [
        { id: 'low', when: 'd1.v < 5', suppressWhen: 'd1.on == 0', message: 'low flow', priority: 'high' },
        {
          id: 'fill',
          kind: 'forecast',
          signal: 'd2.v',
          limit: 100,
          window: '60s',
          horizon: '10m',
          message: 'Tank overflows in {eta}',
        },
        { id: 'hot', when: 'd3.v > 10', message: 'hot' },
      ],
    });

  it('suppresses by design: no alarm while the condition of suppressWhen holds', () => {
    const c = clock(0);
    const engine = new Engine(twin(), { now: c.now });
    engine.handleMessage('d/d1/on', '0');
    engine.handleMessage('d/d1/v', '1');
    expect(engine.alarms()).toMatchObject([{ id: 'low', state: 'suppressed' }]);
    engine.handleMessage('d/d1/on', '1');
    expect(engine.alarms()).toMatchObject([{ id: 'low', state: 'active' }]);
  });

  it('raises a predicted alarm whose message says when the limit is reached', () => {
    const c = clock(0);
    const engine = new Engine(twin(), { now: c.now });
    // +1 per 10 s from 40: 100 is reached ~10 min after the start.
    for (let t = 0; t <= 40_000; t += 5000) {
      c.set(t);
      engine.handleMessage('d/d2/v', String(40 + t / 10_000));
      engine.tick(t);
    }
    const [alarm] = engine.alarms();
    expect(alarm).toMatchObject({ id: 'fill', predicted: true, state: 'active' });
    expect(alarm.message).toMatch(/^Tank overflows in ~\d+ min$/);
  });

  it('shelves an alarm and brings it back unacknowledged when the shelve expires', () => {
    const c = clock(0);
    const engine = new Engine(twin(), { now: c.now });
    engine.handleMessage('d/d3/v', '11');
    expect(engine.alarmAction({ kind: 'shelve', alarmId: 'hot', durationMs: 5000, operator: 'ana' })).toBe(true);
    expect(engine.alarms()).toMatchObject([{ id: 'hot', state: 'shelved', shelvedUntil: 5000 }]);
    c.set(5000);
    engine.tick();
    expect(engine.alarms()).toMatchObject([{ id: 'hot', state: 'active', raisedAt: 5000 }]);
    expect(engine.takeAudit().map((e) => e.event)).toEqual(['raise', 'shelve', 'shelve-expired']);
  });

  it('restores alarms and signal indices into a new engine, so a restart loses and acknowledges nothing', () => {
    const c = clock(0);
    const first = new Engine(twin(), { now: c.now });
    first.handleMessage('d/d1/on', '1');
    first.handleMessage('d/d3/v', '11');
    first.acknowledge('hot', 'ana', 'checking');
    first.handleMessage('d/d1/v', '2');
    const saved = { alarms: first.alarms(), signals: [...first.signals()] };

    const second = new Engine(twin(), { now: c.now });
    second.restore(saved);
    expect(second.alarms()).toEqual(saved.alarms);
    expect(second.signal('d3.v')?.index).toBe(first.signal('d3.v')?.index);
    expect(second.takeBatch().added).toEqual([]);
    // Time without values clears nothing; still over the limit raises nothing new; back in range clears.
    second.tick(c.advance(1000));
    expect(second.alarms()).toEqual(saved.alarms);
    second.handleMessage('d/d3/v', '12');
    expect(second.alarms().find((a) => a.id === 'hot')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana' });
    second.handleMessage('d/d3/v', '3');
    expect(second.alarms().find((a) => a.id === 'hot')).toBeUndefined();
  });
});

describe('Engine: a topic routed again after its cached routing was evicted', () => {
  it('keeps writing to the signal the topic first made, not a new one', () => {
    const c = clock();
    const engine = new Engine(demoTwin(), { now: c.now, topicCacheSize: 1 });
    const other = PUMP_TOPIC.replace('pump1', 'pump2');
    engine.handleMessage(PUMP_TOPIC, bytes(pumpPayload(61)));
    engine.handleMessage(other, bytes(pumpPayload(62))); // evicts pump1's routing
    engine.handleMessage(PUMP_TOPIC, bytes(pumpPayload(63)));
    const out = engine.takeBatch();
    expect(out.added.map((s) => s.id)).toEqual([
      'pump1.temp',
      'pump1.rpm',
      'pump1.flow',
      'pump1.running',
      'pump2.temp',
      'pump2.rpm',
      'pump2.flow',
      'pump2.running',
    ]);
    const temps = triples(out.batch).filter(([index]) => index === 0 || index === 4);
    expect(temps.map(([index, value]) => [index, value])).toEqual([
      [0, 61],
      [4, 62],
      [0, 63],
    ]);
    expect(engine.value('pump1.temp')).toBe(63);
  });
});
