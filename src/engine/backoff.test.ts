import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial wait and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, noJitter));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('stays at the cap for very large attempt numbers (no overflow)', () => {
    expect(backoffDelay(1e9, noJitter)).toBe(30000);
  });

  it('treats attempt 0 or below as the first attempt', () => {
    expect(backoffDelay(0, noJitter)).toBe(1000);
    expect(backoffDelay(-3, noJitter)).toBe(1000);
  });

  it('jitter shortens the wait by at most its share, never lengthens it', () => {
    const o = { ...DEFAULT_BACKOFF, jitter: 0.3 };
    expect(backoffDelay(3, o, () => 0)).toBe(4000);
    expect(backoffDelay(3, o, () => 0.5)).toBe(3400);
    expect(backoffDelay(3, o, () => 0.999999)).toBe(2800);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(10, o);
      expect(d).toBeGreaterThanOrEqual(21000);
      expect(d).toBeLessThanOrEqual(30000);
    }
  });

  it('spreads the waits of many clients (jitter is random, not a constant)', () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(waits.size).toBeGreaterThan(10);
  });

  it('honours a custom initial wait, factor and cap', () => {
    const o = { initialMs: 250, maxMs: 5000, factor: 3, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, o))).toEqual([250, 750, 2250, 5000, 5000]);
  });

  it('never returns a wait below zero or above the cap, even with bad options', () => {
    const o = { initialMs: 5000, maxMs: 1000, factor: 0.5, jitter: 7 };
    expect(backoffDelay(1, o, () => 0)).toBe(5000);
    expect(backoffDelay(4, o, () => 0.99)).toBeGreaterThanOrEqual(0);
  });
});
