import { describe, expect, it } from 'vitest';
import type { Rule } from '../twin/schema';
import { ruleLimits } from './trendLimits';

function rule(partial: Partial<Rule> & { id: string }): Rule {
  return {
    kind: 'condition',
    sigmas: 4,
    alpha: 0.1,
    warmup: 30,
    direction: 'rising',
    deadband: 0,
    priority: 'high',
    message: 'm',
    latch: false,
    ...partial,
  } as Rule;
}

describe('ruleLimits', () => {
  it('draws a comparison of a trended signal with a constant', () => {
    expect(ruleLimits([rule({ id: 'hot', when: 'pump1.temp > 95' })], ['pump1.temp'])).toEqual([
      { signal: 'pump1.temp', value: 95, ruleId: 'hot', priority: 'high', op: '>' },
    ]);
  });

  it('reads a constant on the left as the signal sees it, and negative constants', () => {
    expect(ruleLimits([rule({ id: 'low', when: '-5 >= tank.level' })], ['tank.level'])).toMatchObject([
      { value: -5, op: '<=' },
    ]);
  });

  it('finds each limit inside && and ||', () => {
    const limits = ruleLimits([rule({ id: 'band', when: 'a < 10 || a > 90 && b == 1' })], ['a']);
    expect(limits.map((l) => l.value)).toEqual([10, 90]);
  });

  it('skips what has no constant line: windows, arithmetic, two signals, other signals, bad text', () => {
    const rules = [
      rule({ id: 'r1', when: 'avg(a, 5m) > 3' }),
      rule({ id: 'r2', when: 'a - b > 3' }),
      rule({ id: 'r3', when: 'a > b' }),
      rule({ id: 'r4', when: 'c > 3' }),
      rule({ id: 'r5', when: 'a >> 3' }),
      rule({ id: 'r6', kind: 'anomaly', signal: 'a' }),
    ];
    expect(ruleLimits(rules, ['a', 'b'])).toEqual([]);
  });

  it("draws a forecast rule's limit", () => {
    expect(
      ruleLimits(
        [rule({ id: 'fill', kind: 'forecast', signal: 'tank.level', limit: 90, priority: 'medium' })],
        ['tank.level'],
      ),
    ).toEqual([{ signal: 'tank.level', value: 90, ruleId: 'fill', priority: 'medium', op: 'forecast' }]);
  });
});
