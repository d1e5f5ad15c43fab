import { describe, expect, it } from 'vitest';
import { downsample } from './downsample';
import { isStale } from './staleness';
import { formatAge, formatValue } from './format';

describe('downsample', () => {
  const series = (_n: number, f: (i: number) => number) => ({ t: (i: number) => i, v: f });

  it('returns short series unchanged', () => {
    const s = series(10, (i) => i * 2);
    expect(downsample(10, s.t, s.v, 0, 10, 100)).toHaveLength(10);
  });

  it('keeps a one-sample spike that a stride would drop', () => {
    const s = series(100_000, (i) => (i === 54_321 ? 999 : 1));
    const out = downsample(100_000, s.t, s.v, 0, 100_000, 200);
    expect(out.length).toBeLessThanOrEqual(200 * 4);
    expect(out.some((p) => p.v === 999 && p.t === 54_321)).toBe(true);
  });

  it('keeps points in time order', () => {
    const s = series(10_000, (i) => Math.sin(i));
    const out = downsample(10_000, s.t, s.v, 0, 10_000, 50);
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThan(out[i - 1].t);
  });
});

describe('isStale', () => {
  it('marks every value stale while offline', () =>
    expect(isStale({ time: 1000, now: 1000, periodMs: 2000, online: false })).toBe(true));
  it('marks a value stale after three missed periods', () => {
    expect(isStale({ time: 0 + 1, now: 6000, periodMs: 2000, online: true })).toBe(false);
    expect(isStale({ time: 1, now: 6002, periodMs: 2000, online: true })).toBe(true);
  });
  it('never ages out a signal without a period while online', () =>
    expect(isStale({ time: 1, now: 1e12, periodMs: null, online: true })).toBe(false));
});

describe('format', () => {
  it('formats readings with units and missing values as a dash', () => {
    expect(formatValue(61.234, '°C')).toBe('61.2 °C');
    expect(formatValue(NaN, '°C')).toBe('—');
    expect(formatValue(1480.4)).toBe('1480');
  });
  it('says how old a reading is', () => {
    expect(formatAge(500)).toBe('now');
    expect(formatAge(12_000)).toBe('12 s ago');
  });
});

describe('downsample keeps gap markers', () => {
  it('keeps a NaN sample (a gap) in a dense bucket so the trend breaks there', () => {
    const n = 10_000;
    const values = Array.from({ length: n }, (_, i) => (i === 5003 ? NaN : Math.sin(i)));
    const out = downsample(
      n,
      (i) => i,
      (i) => values[i],
      0,
      n,
      10,
    );
    expect(out.some((p) => Number.isNaN(p.v) && p.t === 5003)).toBe(true);
  });
});

describe('isStale with quality bits', () => {
  it('a fresh value with bad quality (dead source, gap) is stale; quality 0 changes nothing', () => {
    expect(isStale({ time: 1000, now: 1001, periodMs: 2000, online: true, quality: 2 })).toBe(true);
    expect(isStale({ time: 1000, now: 1001, periodMs: 2000, online: true, quality: 0 })).toBe(false);
  });
});
