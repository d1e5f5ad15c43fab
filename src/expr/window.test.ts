import { describe, expect, it } from 'vitest';
import { BUCKETS, SignalWindow } from './window';

describe('SignalWindow', () => {
  it('aggregates the values inside the window and forgets buckets that slid out', () => {
    const w = new SignalWindow(32_000); // 1 s buckets
    w.push(10, 0);
    w.push(30, 500);
    w.push(20, 5000);
    expect(w.avg(5000)).toBe(20);
    expect(w.min(5000)).toBe(10);
    expect(w.max(5000)).toBe(30);
    expect(w.first(5000)).toBe(10);
    // 33 s later the first bucket is out; the one at 5 s is still in.
    expect(w.avg(33_500)).toBe(20);
    expect(w.first(33_500)).toBe(20);
    expect(w.avg(40_000)).toBeNaN();
  });

  it('sees a value pushed at the same moment it was last asked about (the remembered oldest bucket is dropped)', () => {
    const w = new SignalWindow(10_000);
    expect(w.first(0)).toBeNaN();
    expect(w.coverage(0)).toBe(0);
    w.push(5, 0);
    expect(w.first(0)).toBe(5);
    w.push(7, 6000);
    expect(w.coverage(6000)).toBe(0.6);
    expect(w.rate(6000)).toBeCloseTo((2 * 1000) / 6000);
    // Asked again at a later moment, without a push: the oldest bucket is looked up again.
    expect(w.first(10_400)).toBe(7);
  });

  it('keeps its memory fixed: a ring of BUCKETS buckets whatever the rate', () => {
    const w = new SignalWindow(1000);
    for (let i = 0; i < 10_000; i++) w.push(i % 7, i);
    expect(BUCKETS).toBe(32);
    expect(w.max(9999)).toBe(6);
    expect(w.min(9999)).toBe(0);
  });

  it('fits a trend through the bucket averages', () => {
    const w = new SignalWindow(32_000);
    for (let t = 0; t <= 16_000; t += 1000) w.push(t / 1000, t);
    const out = { slope: 0, at: 0 };
    expect(w.trend(16_000, out)).toBe(true);
    expect(out.slope).toBeCloseTo(0.001);
  });
});
