import { describe, expect, it } from 'vitest';
import { formatRound, formatSummary, meets, summarise } from './_rounds';

describe('bench rounds', () => {
  it('flags a round under a minimum target as a miss even when the best round meets it', () => {
    const s = summarise('rules in Node', [3.4, 2.7, 3.1], { min: 3 });
    expect(s.met).toEqual([true, false, true]);
    expect(s.misses).toBe(1);
    expect(s.allMet).toBe(false);
    expect(s.best).toBe(3.4);
    expect(s.worst).toBe(2.7);
    expect(s.median).toBe(3.1);
    expect(formatSummary(s)).toBe(
      'rules in Node: 3.40 2.70! 3.10 [MISS in 1 of 3 rounds; target ≥ 3]; median 3.10, worst 2.70, best 3.40',
    );
  });

  it('treats a maximum target as lower-is-better for best and worst', () => {
    const s = summarise('binding loop ratio', [1.1, 1.2, 1.05, 1.3], { max: 1.15 });
    expect(s.best).toBe(1.05);
    expect(s.worst).toBe(1.3);
    expect(s.median).toBeCloseTo(1.15);
    expect(s.misses).toBe(2);
  });

  it('says every round met the target when none missed', () => {
    const s = summarise('ingest', [0.93, 0.95], { min: 0.9 });
    expect(s.allMet).toBe(true);
    expect(formatSummary(s)).toContain('[every round meets ≥ 0.90]');
  });

  it('prints MISS beside a missed round and a tick beside a met one', () => {
    expect(formatRound(1, 3, 2.71, { min: 3 })).toBe('  round 2/3: 2.71 MISS (target ≥ 3)');
    expect(formatRound(0, 3, 3.2, { min: 3 }, { unit: '×', detail: '310k msg/s' })).toBe(
      '  round 1/3: 3.20× ✓  310k msg/s',
    );
    expect(formatRound(0, 1, 12, null, { digits: 0, unit: ' ms' })).toBe('  round 1/1: 12 ms');
  });

  it('never counts NaN as meeting a target', () => {
    expect(meets(Number.NaN, { min: 0 })).toBe(false);
    expect(meets(Number.NaN, null)).toBe(false);
  });

  it('refuses to summarise no rounds', () => {
    expect(() => summarise('empty', [], null)).toThrow(/no rounds/);
  });
});
