import { describe, expect, it } from 'vitest';
import { formatGaps, summariseGaps } from './_gaps';

describe('summariseGaps', () => {
  it('counts, totals and lists the longest gaps first', () => {
    const s = summariseGaps([2, 40, 1.5, 17, 3], 3);
    expect(s.count).toBe(5);
    expect(s.totalMs).toBeCloseTo(63.5);
    expect(s.longest).toEqual([40, 17, 3]);
    expect(s.overFrame).toBe(2);
    expect(formatGaps(s, 1)).toBe('5 gaps over 1 ms, 64 ms in all; longest 40.0, 17.0, 3.0 ms; 2 over 16 ms');
  });

  it('says so when the thread ran without a gap', () => {
    const s = summariseGaps([]);
    expect(s).toEqual({ count: 0, totalMs: 0, longest: [], overFrame: 0 });
    expect(formatGaps(s, 1)).toBe('0 gaps over 1 ms, 0 ms in all; 0 over 16 ms');
  });
});
