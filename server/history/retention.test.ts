import { describe, expect, it } from 'vitest';
import { parseAge, retentionCutoff } from './retention';

const DAY = 86_400_000;
const now = 100 * DAY;

describe('retentionCutoff', () => {
  const policy = { maxAgeMs: 30 * DAY, maxBytes: 1000 };

  it('deletes nothing from an empty store or one within both limits', () => {
    expect(retentionCutoff(policy, { now, oldest: null, newest: null, bytes: 0 })).toBeNull();
    expect(retentionCutoff(policy, { now, oldest: now - DAY, newest: now, bytes: 999 })).toBeNull();
  });

  it('cuts at the maximum age when older data is held', () => {
    expect(retentionCutoff(policy, { now, oldest: now - 40 * DAY, newest: now, bytes: 10 })).toBe(now - 30 * DAY);
  });

  it('over the size limit, cuts the oldest share of the span that brings it under 90 % of the limit', () => {
    // 2000 bytes over 10 days, limit 1000: keep 900 → drop 55 % of the span.
    const cutoff = retentionCutoff(policy, { now, oldest: now - 10 * DAY, newest: now, bytes: 2000 });
    expect(cutoff).toBe(now - 10 * DAY + Math.ceil(10 * DAY * 0.55));
  });

  it('takes the later of the two cutoffs', () => {
    const cutoff = retentionCutoff(policy, { now, oldest: now - 40 * DAY, newest: now, bytes: 4000 });
    expect(cutoff).toBeGreaterThan(now - 30 * DAY);
  });
});

describe('parseAge', () => {
  it('reads s, m, h and d', () => {
    expect(parseAge('30d')).toBe(30 * DAY);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('90m')).toBe(90 * 60_000);
    expect(parseAge('1.5s')).toBe(1500);
  });
  it('refuses anything else with the forms it takes', () => {
    for (const bad of ['', '30', '-1d', '0d', '3 weeks', '1y']) expect(() => parseAge(bad)).toThrow(/30d, 12h or 90m/);
  });
});
