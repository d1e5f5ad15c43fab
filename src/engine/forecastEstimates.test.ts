import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { validateTwin } from '../twin/validate';

const twin = (() => {
  const r = validateTwin({
    id: 'f',
    title: 'Forecast',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['d/#'], credentials: 'none' },
    signals: [{ id: 'level', topic: 'd/level', decoder: 'number' }],
    rules: [
      { id: 'fill', kind: 'forecast', signal: 'level', limit: 100, window: '60s', horizon: '10m', message: 'Overflow' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.twin;
})();

describe('Engine.forecastEstimates (the historian keeps them to measure forecast accuracy)', () => {
  it('gives the value the trend reaches at the horizon, and nothing without a trend', () => {
    let now = 0;
    const engine = new Engine(twin, { now: () => now });
    expect(engine.forecastEstimates()).toEqual([]);
    // +1 per 10 s from 40: in 10 minutes +60.
    for (let t = 0; t <= 40_000; t += 5000) {
      now = t;
      engine.handleMessage('d/level', String(40 + t / 10_000));
      engine.tick(t);
    }
    const [estimate] = engine.forecastEstimates();
    expect(estimate).toMatchObject({ rule: 'fill', signal: 'level', horizonMs: 600_000 });
    // The window's least-squares fit: within a unit of the straight line.
    expect(Math.abs(estimate.predicted - (44 + 60))).toBeLessThan(1);
  });
});
