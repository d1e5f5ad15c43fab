import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { validateTwin } from '../../src/twin/validate';
import type { Twin } from '../../src/twin/schema';
import { Recorder } from './recorder';
import { emptyBatch, type HistoryStore, type WriteBatch } from './store';

const twin = (() => {
  const r = validateTwin({
    id: 'lab',
    title: 'Lab',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['lab/#'], credentials: 'none' },
    signals: [
      { id: 'level', topic: 'lab/level', decoder: 'number', range: [0, 100] },
      { id: 'mode', topic: 'lab/mode', decoder: 'sparkplug', metric: 'mode' },
    ],
    rules: [{ id: 'high', when: 'level > 90', priority: 'high', message: 'High' }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.twin;
})();

/** A store that keeps what it is given; `fail` makes writes throw, `hold` keeps them waiting. */
class FakeStore {
  writes: WriteBatch[] = [];
  fail = false;
  hold: Promise<void> | null = null;
  async signalIds(_twin: string, names: readonly string[]) {
    return new Map(names.map((n) => [n, n === 'level' ? 100 : 200]));
  }
  async write(b: WriteBatch) {
    if (this.hold) await this.hold;
    if (this.fail) throw new Error('database away');
    this.writes.push(b);
  }
  rows(table: 'buckets' | 'values' | 'events') {
    return this.writes.flatMap((w) =>
      table === 'events'
        ? w.events.body.map((b) => JSON.parse(b) as unknown)
        : w[table].sig.map((sig, i) => ({ sig, t: w[table].t[i] })),
    );
  }
}

function setup(options: { maxPendingRows?: number } = {}) {
  let now = 1_700_000_000_000;
  const engine = new Engine(twin as Twin, { now: () => now });
  const store = new FakeStore();
  const lines: string[] = [];
  const recorder = new Recorder({
    twin,
    store: store as unknown as HistoryStore,
    now: () => now,
    log: (l) => lines.push(l),
    ...options,
  });
  const pump = () => {
    const out = engine.takeBatch();
    recorder.addSignals(out.added);
    if (out.batch) recorder.addBatch(out.batch);
    recorder.addAudit(engine.takeAudit().map((e) => ({ v: 1 as const, kind: 'alarm' as const, seq: 1, ...e })));
  };
  return { engine, store, recorder, pump, lines, advance: (ms: number) => (now += ms), now: () => now };
}

describe('Recorder', () => {
  it('writes closed seconds, changes beyond the deadband, texts and alarm transitions in one write, with database ids', async () => {
    const { engine, store, recorder, pump, advance } = setup();
    for (const v of [50, 50.5, 60, 95]) {
      engine.handleMessage('lab/level', String(v));
      advance(100);
    }
    pump();
    advance(1000);
    await recorder.flush();
    expect(store.writes).toHaveLength(1);
    const w = store.writes[0];
    expect(w.buckets).toMatchObject({ sig: [100], n: [4], first: [50], min: [50], max: [95], last: [95] });
    // 50.5 is within the deadband (2 % of 0..100).
    expect(w.values.v).toEqual([50, 60, 95]);
    expect(w.values.sig).toEqual([100, 100, 100]);
    expect(store.rows('events')).toMatchObject([{ kind: 'alarm', alarmId: 'high', event: 'raise', value: 95 }]);
    expect(recorder.stats()).toMatchObject({ written: 1 + 3 + 1, pending: 0, dropped: 0 });
  });

  it('writes text samples (Sparkplug strings) as text, beside no bucket', async () => {
    const { store, recorder, advance, now } = setup();
    recorder.addSignals([{ index: 0, id: 'mode', def: 1, label: 'Mode', unit: '' }]);
    recorder.addBatch({
      type: 'batch',
      samples: new Float64Array([0, Number.NaN, now()]),
      count: 1,
      texts: [{ index: 0, text: "auto'; drop table x" }],
    });
    advance(1000);
    await recorder.flush();
    expect(store.writes[0].values).toMatchObject({ sig: [200], v: [null], text: ["auto'; drop table x"] });
    expect(store.rows('buckets')).toEqual([]);
  });

  it('keeps the open second until it is over, and writes it on stop', async () => {
    const { engine, store, recorder, pump } = setup();
    engine.handleMessage('lab/level', '10');
    pump();
    await recorder.flush();
    expect(store.rows('buckets')).toEqual([]);
    await recorder.stop();
    expect(store.rows('buckets')).toHaveLength(1);
  });

  it('keeps rows after a failed write and writes them on the next flush, saying so once', async () => {
    const { engine, store, recorder, pump, advance, lines } = setup();
    store.fail = true;
    for (let s = 0; s < 3; s++) {
      engine.handleMessage('lab/level', String(10 + s * 10));
      pump();
      advance(1000);
      await recorder.flush();
    }
    expect(lines.filter((l) => l.includes('history write failed'))).toHaveLength(1);
    store.fail = false;
    await recorder.flush();
    expect(store.rows('buckets')).toHaveLength(3);
    expect(recorder.stats()).toMatchObject({ failures: 3, pending: 0, dropped: 0 });
    expect(lines.at(-1)).toMatch(/work again/);
  });

  it('drops the oldest buckets and values beyond its limit while the database is stuck, and counts every one', async () => {
    const { engine, store, recorder, pump, advance } = setup({ maxPendingRows: 1000 });
    let release = () => {};
    store.hold = new Promise((r) => (release = r));
    engine.handleMessage('lab/level', '1');
    pump();
    advance(1000);
    const first = recorder.flush(); // stuck in the database
    for (let s = 0; s < 1500; s++) {
      engine.handleMessage('lab/level', String(s % 2 === 0 ? 10 : 20));
      pump();
      advance(1000);
      void recorder.flush();
    }
    const stats = recorder.stats();
    expect(stats.pending).toBeLessThanOrEqual(1000);
    expect(stats.dropped).toBeGreaterThan(0);
    store.hold = null;
    release();
    await first;
    await recorder.flush();
    expect(stats.dropped + store.rows('buckets').length + store.rows('values').length).toBe(1 + 1500 + 1 + 1500);
  });

  it('writes a quality change with the last value kept', async () => {
    const { engine, store, recorder, pump, advance } = setup();
    engine.handleMessage('lab/level', '42');
    pump();
    recorder.addQuality([{ index: 0, bits: 1, on: true }]);
    recorder.addQuality([{ index: 0, bits: 1, on: true }]); // no change: nothing
    advance(1000);
    await recorder.flush();
    const v = store.writes[0].values;
    expect(v.v).toEqual([42, 42]);
    expect(v.quality).toEqual([0, 1]);
  });

  it('leaves an empty batch alone', async () => {
    const { store, recorder } = setup();
    await recorder.flush();
    expect(store.writes).toEqual([]);
    expect(emptyBatch().buckets.sig).toEqual([]);
  });
});

describe('Recorder forecasts', () => {
  it('keeps each forecast rule prediction for t + horizon, at most every ten seconds', async () => {
    const { store, recorder, advance, now } = setup();
    recorder.addSignals([{ index: 0, id: 'level', def: 0, label: 'Level', unit: '%' }]);
    const estimate = [{ rule: 'overflow', signal: 'level', horizonMs: 60_000, predicted: 88 }];
    const t0 = now();
    recorder.addForecasts(estimate, t0);
    recorder.addForecasts(estimate, t0 + 5000); // too soon
    recorder.addForecasts([{ ...estimate[0], signal: 'unknown' }], t0 + 20_000); // not a signal seen
    recorder.addForecasts(estimate, t0 + 10_000);
    advance(1000);
    await recorder.flush();
    expect(store.writes[0].forecasts).toEqual({
      sig: [100, 100],
      rule: ['overflow', 'overflow'],
      t: [t0, t0 + 10_000],
      target: [t0 + 60_000, t0 + 70_000],
      predicted: [88, 88],
    });
  });
});
