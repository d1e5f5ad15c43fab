import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHistoryApi } from './api';
import { openHistory } from './open';
import { emptyBatch, type HistoryStore } from './store';

const T0 = 1_800_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'twinview-history-api-'));
let store: HistoryStore;
let api: Awaited<ReturnType<typeof startHistoryApi>>;
const logged: string[] = [];

beforeAll(async () => {
  store = await openHistory(`duckdb:${join(dir, 'h.duckdb')}`);
  const id = (await store.signalIds('plant', ['level'])).get('level')!;
  const b = emptyBatch();
  for (let s = 0; s < 120; s++) {
    b.buckets.sig.push(id);
    b.buckets.t.push(T0 + s * 1000);
    b.buckets.n.push(1);
    for (const col of [b.buckets.first, b.buckets.min, b.buckets.max, b.buckets.last]) col.push(s);
  }
  // Predictions made at T0 for T0 + 60 s and for T0 + 90 s (what happened: 60 and 90), and one past the data.
  for (const [target, predicted] of [
    [60_000, 58],
    [90_000, 95],
    [600_000, 1],
  ]) {
    b.forecasts.sig.push(id);
    b.forecasts.rule.push('overflow');
    b.forecasts.t.push(T0);
    b.forecasts.target.push(T0 + target);
    b.forecasts.predicted.push(predicted);
  }
  await store.write(b);
  api = await startHistoryApi({ store, port: 0, twins: ['plant', 'quiet'], log: (l) => logged.push(l) });
}, 30_000);

afterAll(async () => {
  await api?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, init?: RequestInit) => {
  const res = await fetch(`http://127.0.0.1:${api.port}${path}`, init);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
};

describe('history API', () => {
  it('compares forecasts with what happened: mean absolute error over the predictions with an actual value', async () => {
    const res = await get(`/api/history/v1/forecasts?twin=plant&signals=level&from=${T0}&to=${T0 + 3_600_000}`);
    expect(res.status).toBe(200);
    expect(res.body.forecasts).toEqual([
      {
        signal: 'level',
        rule: 'overflow',
        horizonMs: 60_000,
        n: 2,
        meanAbsError: 3.5,
        points: [
          { t: T0 + 60_000, predicted: 58, actual: 60 },
          { t: T0 + 90_000, predicted: 95, actual: 90 },
          { t: T0 + 600_000, predicted: 1, actual: null },
        ],
      },
    ]);
  });

  it('downsamples a series to the point budget and knows served twins without history', async () => {
    const res = await get(`/api/history/v1/series?twin=plant&signals=level&from=${T0}&to=${T0 + 120_000}&points=40`);
    const points = (res.body.series as { points: { v: number }[] }[])[0].points;
    expect(points.length).toBeLessThanOrEqual(40);
    expect(points[0]).toEqual({ t: T0, v: 0 });
    expect(points.at(-1)).toEqual({ t: T0 + 119_000, v: 119 });
    const quiet = await get(`/api/history/v1/snapshot?twin=quiet&at=${T0}`);
    expect(quiet).toMatchObject({ status: 200, body: { twin: 'quiet', values: [] } });
  });

  it('answers unknown endpoints 404, other methods 405, as JSON', async () => {
    expect(await get('/api/history/v1/drop')).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect(await get('/api/history/v1/status', { method: 'POST' })).toMatchObject({ status: 405 });
    expect((await get('/api/history/v1/status')).type).toMatch(/application\/json/);
  });
});
