import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, startPostgres, type Postgres } from '../../e2e/postgres';
import { freePort } from '../test/ports';
import { openHistory } from './open';
import { emptyBatch, type HistoryStore } from './store';

// The same statements must behave the same on every backend: one contract, run on each.
let pg: Postgres;
const dir = mkdtempSync(join(tmpdir(), 'twinview-history-store-'));
beforeAll(async () => {
  pg = await startPostgres({ port: await freePort() });
}, 60_000);
afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, () => Promise<string>][] = [
  ['duckdb', async () => `duckdb:${join(dir, 'a.duckdb')}`],
  ['pglite', async () => `pglite:${join(dir, 'pglite')}`],
  ['postgresql', () => createDatabase(pg.url, 'store_contract')],
];

const T0 = 1_700_000_000_000;

describe.each(backends)('history store on %s', (_name, target) => {
  let store: HistoryStore;
  beforeAll(async () => {
    store = await openHistory(await target());
    const ids = await store.signalIds('plant', ['tank.level', 'pump.state']);
    const level = ids.get('tank.level')!;
    const pump = ids.get('pump.state')!;
    const b = emptyBatch();
    // Ten seconds of tank level, a spike at second 4.
    for (let s = 0; s < 10; s++) {
      const peak = s === 4 ? 99 : 50 + s;
      b.buckets.sig.push(level);
      b.buckets.t.push(T0 + s * 1000);
      b.buckets.n.push(10);
      b.buckets.first.push(50 + s);
      b.buckets.min.push(50 + s - 1);
      b.buckets.max.push(peak);
      b.buckets.last.push(50 + s + 0.5);
      b.values.sig.push(level);
      b.values.t.push(T0 + s * 1000 + 10);
      b.values.v.push(50 + s);
      b.values.text.push(null);
      b.values.quality.push(0);
    }
    b.values.sig.push(pump);
    b.values.t.push(T0 + 2000);
    b.values.v.push(null);
    b.values.text.push("running'; drop table x");
    b.values.quality.push(0);
    b.events.twin.push('plant');
    b.events.t.push(T0 + 4000);
    b.events.kind.push('alarm');
    b.events.body.push(JSON.stringify({ t: T0 + 4000, alarmId: 'tank.high', event: 'raise' }));
    b.forecasts.sig.push(level);
    b.forecasts.rule.push('tank.overflow');
    b.forecasts.t.push(T0);
    b.forecasts.target.push(T0 + 5000);
    b.forecasts.predicted.push(60);
    await store.write(b);
  }, 60_000);
  afterAll(() => store?.close());

  it('gives the same id for a signal twice and lists the twins and span', async () => {
    const again = await store.signalIds('plant', ['tank.level']);
    expect((await store.signalIds('plant', ['tank.level'])).get('tank.level')).toBe(again.get('tank.level'));
    expect(await store.twins()).toEqual(['plant']);
    expect(await store.span()).toEqual({ oldest: T0, newest: T0 + 9000 });
  });

  it('aggregates buckets per column keeping first, min, max (with its time) and last', async () => {
    const cols = await store.series('plant', 'tank.level', T0, T0 + 10_000, 5000);
    expect(cols).toHaveLength(2);
    expect(cols[0]).toMatchObject({ col: 0, tFirst: T0, vFirst: 50, vMin: 49, tMin: T0, vMax: 99, tMax: T0 + 4000 });
    expect(cols[0]).toMatchObject({ tLast: T0 + 4000, vLast: 54.5 });
    expect(cols[1]).toMatchObject({ col: 1, vFirst: 55, vMax: 59, vLast: 59.5 });
    expect(await store.series('plant', 'no.such', T0, T0 + 10_000, 5000)).toEqual([]);
  });

  it('answers a snapshot with each signal last value at or before the moment, text as text', async () => {
    const snap = await store.snapshot('plant', T0 + 3500);
    expect(snap).toEqual([
      { signal: 'pump.state', t: T0 + 2000, v: null, text: "running'; drop table x", quality: 0 },
      { signal: 'tank.level', t: T0 + 3010, v: 53, quality: 0 },
    ]);
  });

  it('returns events, values and forecasts in their time range', async () => {
    expect(await store.events('plant', T0, T0 + 10_000, 'alarm')).toEqual([
      { t: T0 + 4000, alarmId: 'tank.high', event: 'raise' },
    ]);
    expect(await store.events('plant', T0 + 5000, T0 + 10_000)).toEqual([]);
    const values = await store.values('plant', T0, T0 + 2010, 100);
    expect(values.map((v) => [v.t, v.signal])).toEqual([
      [T0 + 10, 'tank.level'],
      [T0 + 1010, 'tank.level'],
      [T0 + 2000, 'pump.state'],
      [T0 + 2010, 'tank.level'],
    ]);
    expect(await store.forecasts('plant', 'tank.level', T0, T0 + 10_000)).toEqual([
      { rule: 'tank.overflow', t: T0, target: T0 + 5000, predicted: 60 },
    ]);
  });

  it('deletes what is older than a time and estimates the size', async () => {
    const before = await store.estimatedBytes();
    expect(before).toBeGreaterThan(0);
    expect(await store.deleteBefore(T0 + 5000)).toBe(5 + 6 + 1);
    expect(await store.span()).toEqual({ oldest: T0 + 5000, newest: T0 + 9000 });
    expect(await store.estimatedBytes()).toBeLessThan(before);
  });
});
