import { describe, expect, it } from 'vitest';
import { BUCKETS, SignalWindow } from './window';
import { ReferenceWindow } from './window.reference';

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

describe('SignalWindow against the plain reference (every query a loop over the buckets)', () => {
  const close = (a: number, b: number) =>
    Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));

  it('agrees on avg, min, max, first, rate and coverage over random streams, gaps and a clock that steps back', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const windowMs of [1000, 60_000, 300_000]) {
      const fast = new SignalWindow(windowMs);
      const ref = new ReferenceWindow(windowMs);
      let t = 1_700_000_000_000;
      for (let i = 0; i < 20_000; i++) {
        const r = random();
        // Mostly small steps; now and then a gap longer than the window, or the clock going back a little.
        t += r < 0.01 ? windowMs * 1.5 : r < 0.02 ? -windowMs / 10 : (random() * windowMs) / 40;
        if (random() < 0.8) {
          const v = Math.round(random() * 1000) / 10;
          fast.push(v, t);
          ref.push(v, t);
        }
        const now = t + (random() < 0.1 ? random() * windowMs : 0);
        for (const q of ['avg', 'min', 'max', 'first', 'rate', 'coverage'] as const) {
          const a = fast[q](now);
          const b = ref[q](now);
          if (!close(a, b)) throw new Error(`${q}(${now}) after ${i} steps of a ${windowMs} ms window: ${a} vs ${b}`);
        }
      }
    }
  });
});
