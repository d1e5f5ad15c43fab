import { describe, expect, it } from 'vitest';
import { RuleSet, type CompiledRule, type RuleChange } from './rules';
import { ruleSchema } from '../twin/schema';

/**
 * The rule table (flat tests and state in numbers, rules.ts) against the rules' own closures driven
 * by the state machine as CompiledRule.evaluate had it before the table: every shape the table holds
 * flat, and some it leaves to closures, over random streams with gaps, repeats and NaN.
 */
function reference(rule: CompiledRule) {
  let raised = false;
  let pendingSince: number | null = null;
  let clearingSince: number | null = null;
  return (now: number): RuleChange => {
    if (!raised) {
      if (!rule.raiseTest(now)) {
        pendingSince = null;
        return null;
      }
      pendingSince ??= now;
      if (now - pendingSince < rule.delayMs) return null;
      raised = true;
      pendingSince = null;
      return 'raise';
    }
    if (rule.holdTest(now)) {
      clearingSince = null;
      return null;
    }
    clearingSince ??= now;
    if (now - clearingSince < rule.offDelayMs) return null;
    raised = false;
    clearingSince = null;
    return 'clear';
  };
}

const SHAPES = [
  'x > 90',
  'x >= 90',
  'x < 5',
  'x <= 5',
  'x == 50',
  'x != 50',
  'x > -3',
  'x < 5 || x > 95',
  'x > 10 && y < 20',
  'age(x) > 2s',
  'avg(x, 1m) > 50',
  'min(x, 10s) < 20',
  'max(x, 10s) > 80',
  'last(x, 10s) > 50',
  'rate(x, 1m) > 0.5',
  'abs(x - y) > 30',
  'max(x, y) > 70',
  'min(x, y) < 30',
  'x - y > 10',
  'abs(x - y) > 60 && max(x, y) > 70',
  // Left to closures: the table must still agree.
  'x + y * 2 > 100',
  '!(x > 50)',
  '50 < x',
];

function stream(seed: number, steps: number, each: (id: 'x' | 'y', v: number, now: number) => void) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let now = 0;
  const v = { x: 50, y: 50 };
  for (let i = 0; i < steps; i++) {
    now += random() < 0.05 ? 5000 * random() : 100 * random();
    const id = random() < 0.7 ? 'x' : 'y';
    const r = random();
    v[id] = r < 0.02 ? Number.NaN : Math.max(-10, Math.min(110, (v[id] === v[id] ? v[id] : 50) + (r - 0.5) * 20));
    each(id, v[id], now);
  }
}

function agree(def: Record<string, unknown>, seed: number) {
  const set = new RuleSet([ruleSchema.parse({ id: 'r', message: 'm', ...def })], 0);
  const rule = set.rules[0];
  const ref = reference(rule);
  const got: (RuleChange | boolean)[] = [];
  const want: (RuleChange | boolean)[] = [];
  stream(seed, 3000, (id, v, now) => {
    const slot = set.slotOf(id);
    if (slot < 0 || set.push(slot, v, now).length === 0) return;
    // Evaluated after every value, as the engine does for a value's dependents.
    const expected = ref(now);
    got.push(rule.evaluate(now), rule.active);
    want.push(expected, expected === 'raise' ? true : expected === 'clear' ? false : (want.at(-1) ?? false));
  });
  expect(got, JSON.stringify(def)).toEqual(want);
  return want.filter((c) => typeof c === 'string').length;
}

describe('rule table', () => {
  it('raises and clears as the closures do, for every shape, with and without deadband and delays', () => {
    let changes = 0;
    for (const when of SHAPES)
      for (const extra of [{}, { deadband: 3 }, { for: '1s', offDelay: '500ms', deadband: 1 }])
        for (const seed of [1, 2]) changes += agree({ when, ...extra }, seed);
    // The streams do make the rules change (the comparison is not vacuous).
    expect(changes).toBeGreaterThan(1000);
  });

  it('suppression in the table holds when the closure does', () => {
    for (const suppressWhen of ['y < 20', 'y < 20 || x > 99', 'abs(x - y) > 50', 'y + 1 < 20']) {
      const set = new RuleSet([ruleSchema.parse({ id: 'r', message: 'm', when: 'x > 60', suppressWhen })], 0);
      const rule = set.rules[0];
      let held = 0;
      stream(3, 2000, (id, v, now) => {
        set.push(set.slotOf(id), v, now);
        const expected = rule.suppressTest!(now);
        expect(set.suppressedAt(0, now), suppressWhen).toBe(expected ? 1 : 0);
        if (expected) held++;
      });
      expect(held).toBeGreaterThan(0);
    }
    const plain = new RuleSet([ruleSchema.parse({ id: 'r', message: 'm', when: 'x > 60' })], 0);
    expect(plain.suppressedAt(0, 0)).toBe(-1);
  });

  it('anomaly and forecast rules in the table agree with their closures', () => {
    let changes = 0;
    for (const seed of [1, 2, 3]) {
      changes += agree({ kind: 'anomaly', signal: 'x', sigmas: 2, warmup: 10, deadband: 0.5 }, seed);
      changes += agree({ kind: 'forecast', signal: 'x', limit: 100, window: '30s', horizon: '1m' }, seed);
      changes += agree({ kind: 'forecast', signal: 'x', limit: 0, direction: 'falling', window: '30s' }, seed);
    }
    expect(changes).toBeGreaterThan(10);
  });

  it('lists each slot dependents by rule index, as push() lists the rules', () => {
    const defs = ['x > 1', 'y > 1', 'x + y > 1'].map((when, i) =>
      ruleSchema.parse({ id: `r${i}`, message: 'm', when }),
    );
    const set = new RuleSet(defs, 0);
    for (const id of ['x', 'y']) {
      const slot = set.slotOf(id);
      const listed = Array.from(set.dependentRules.subarray(set.dependentFrom[slot], set.dependentFrom[slot + 1]));
      expect(listed).toEqual(set.push(slot, 0, 0).map((r) => r.index));
    }
  });
});
