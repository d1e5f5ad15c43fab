import { describe, expect, it } from 'vitest';
import { freshUntil, isStale, QUALITY_DEAD, QUALITY_SUSPECT, readingCondition, STALE_PERIODS } from './staleness';

const base = { time: 10_000, now: 10_500, periodMs: 1000, online: true };

describe('readingCondition', () => {
  it('puts the most serious first: no value, dead, suspect, then stale', () => {
    expect(readingCondition({ ...base, time: 0 }).state).toBe('none');
    expect(readingCondition({ ...base, quality: QUALITY_DEAD | QUALITY_SUSPECT, online: false }).state).toBe('dead');
    expect(readingCondition({ ...base, quality: QUALITY_SUSPECT, online: false }).state).toBe('suspect');
    expect(readingCondition({ ...base, online: false }).state).toBe('stale');
    expect(readingCondition(base).state).toBe('live');
  });

  it('values that do not come through the broker are not stale because it is away', () => {
    expect(readingCondition({ ...base, online: false, independent: true }).state).toBe('live');
  });

  it('freshUntil is where the period rule turns a reading stale', () => {
    const until = freshUntil(base.time, base.periodMs, 0);
    expect(until).toBe(base.time + STALE_PERIODS * base.periodMs);
    expect(isStale({ ...base, now: until })).toBe(false);
    expect(isStale({ ...base, now: until + 1 })).toBe(true);
    expect(freshUntil(base.time, 0, 0)).toBe(Infinity);
    expect(freshUntil(base.time, 1000, QUALITY_DEAD)).toBe(-Infinity);
  });
});
