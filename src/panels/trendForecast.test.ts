import { describe, expect, it } from 'vitest';
import type { Rule } from '../twin/schema';
import { forecastRules, projectForecast } from './trendForecast';
import type { ChartPoint } from './trendData';

const rule = {
  id: 'fill',
  kind: 'forecast',
  signal: 'tank.level',
  limit: 90,
  window: '10m',
  horizon: '30m',
  direction: 'rising',
} as Rule;

/** A level rising 1 per minute over the last `minutes`, one sample every 5 s, ending at `end`. */
function rising(end: number, minutes: number, start = 50): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (let t = end - minutes * 60_000; t <= end; t += 5000)
    out.push({ t, v: start + (t - (end - minutes * 60_000)) / 60_000 });
  return out;
}

describe('projectForecast', () => {
  const end = 1_800_000_000_000;

  it('continues a rising line at its slope and says when it reaches the limit', () => {
    const line = projectForecast(rule, rising(end, 10), end, 5 * 60_000)!;
    expect(line.points[0].t).toBe(end);
    expect(line.points[0].v).toBeCloseTo(60, 0);
    expect(line.points[1].t).toBe(end + 5 * 60_000);
    expect(line.points[1].v! - line.points[0].v!).toBeCloseTo(5, 1);
    expect(line.etaMs! / 60_000).toBeCloseTo(30, 0);
  });

  it('reaches no further than the rule horizon', () => {
    const line = projectForecast(rule, rising(end, 10), end, 3 * 3_600_000)!;
    expect(line.points[1].t - end).toBe(30 * 60_000);
  });

  it('has no ETA when the line heads away from the limit', () => {
    const falling = rising(end, 10).map((p) => ({ t: p.t, v: 100 - p.v! }));
    expect(projectForecast(rule, falling, end, 60_000)!.etaMs).toBeNull();
  });

  it('draws nothing while the values span less than half the rule window, as the rule would not forecast', () => {
    expect(projectForecast(rule, rising(end, 4), end, 60_000)).toBeNull();
    expect(projectForecast(rule, [], end, 60_000)).toBeNull();
  });

  it('ignores gaps and values after the end (a paused or replayed window)', () => {
    const points = [...rising(end, 10), { t: end + 1000, v: 1000 }, { t: end - 2000, v: null }];
    points.sort((a, b) => a.t - b.t);
    expect(projectForecast(rule, points, end, 60_000)!.points[0].v).toBeCloseTo(60, 0);
  });
});

describe('forecastRules', () => {
  it('lists the forecast rules on a signal', () => {
    const other = { id: 'hot', kind: 'condition', when: 'tank.level > 1' } as Rule;
    expect(forecastRules([rule, other], 'tank.level')).toEqual([rule]);
    expect(forecastRules([rule], 'pump1.temp')).toEqual([]);
  });
});
