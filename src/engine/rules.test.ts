import { describe, expect, it } from 'vitest';
import { RuleSet, EwmaDetector, type CompiledRule } from './rules';
import { ruleSchema, type Rule } from '../twin/schema';

const rule = (r: Record<string, unknown>): Rule => ruleSchema.parse({ id: 'r', message: 'm', ...r });

/** One rule over its signals; `feed` pushes a value and evaluates, returning the change. */
function single(r: Record<string, unknown>, startedAt = 0) {
  const set = new RuleSet([rule(r)], startedAt);
  const compiled = set.rules[0];
  const feed = (id: string, v: number, now: number) => {
    let change = null;
    for (const dep of set.push(set.slotOf(id), v, now)) if (dep === compiled) change = dep.evaluate(now);
    return change;
  };
  return { rule: compiled as CompiledRule, feed, tick: (now: number) => compiled.evaluate(now) };
}

describe('threshold rules (expression form)', () => {
  it('raises at once when the condition holds and there is no on-delay', () => {
    const r = single({ when: 'x > 95' });
    expect(r.feed('x', 95, 0)).toBe(null);
    expect(r.feed('x', 96, 1)).toBe('raise');
    expect(r.rule.active).toBe(true);
  });

  it('clears at the deadband boundary: "x > 95" with deadband 2 holds at 93.1, clears at exactly 93', () => {
    const r = single({ when: 'x > 95', deadband: 2 });
    r.feed('x', 96, 0);
    expect(r.feed('x', 93.1, 1)).toBe(null);
    expect(r.feed('x', 93, 2)).toBe('clear');
  });

  it('clears "<" rules above limit + deadband, and ">=" only below limit - deadband', () => {
    const low = single({ when: 'x < 10', deadband: 1 });
    low.feed('x', 9, 0);
    expect(low.feed('x', 10.9, 1)).toBe(null);
    expect(low.feed('x', 11, 2)).toBe('clear');
    const ge = single({ when: 'x >= 10', deadband: 1 });
    ge.feed('x', 10, 0);
    expect(ge.feed('x', 9, 1)).toBe(null);
    expect(ge.feed('x', 8.9, 2)).toBe('clear');
  });

  it('handles a range (low-low or high-high) in one rule', () => {
    const r = single({ when: 'x < 5 || x > 95' });
    expect(r.feed('x', 50, 0)).toBe(null);
    expect(r.feed('x', 4, 1)).toBe('raise');
    expect(r.feed('x', 50, 2)).toBe('clear');
    expect(r.feed('x', 96, 3)).toBe('raise');
  });

  it('waits out the on-delay, also without new values (tick)', () => {
    const r = single({ when: 'x > 95', for: '5s' });
    expect(r.feed('x', 96, 1000)).toBe(null);
    expect(r.rule.pending).toBe(true);
    expect(r.tick(5999)).toBe(null);
    expect(r.tick(6000)).toBe('raise');
  });

  it('restarts an interrupted on-delay from the next value that holds', () => {
    const r = single({ when: 'x > 95', for: '5s' });
    r.feed('x', 96, 0);
    r.feed('x', 90, 4000);
    expect(r.rule.pending).toBe(false);
    r.feed('x', 97, 5000);
    expect(r.tick(9999)).toBe(null);
    expect(r.tick(10_000)).toBe('raise');
  });

  it('waits out the off-delay before clearing, and an interrupted off-delay starts again', () => {
    const r = single({ when: 'x > 95', offDelay: '3s' });
    r.feed('x', 96, 0);
    expect(r.feed('x', 90, 1000)).toBe(null);
    expect(r.feed('x', 96, 2000)).toBe(null); // back over: the off-delay is interrupted
    expect(r.feed('x', 90, 3000)).toBe(null);
    expect(r.tick(5999)).toBe(null);
    expect(r.tick(6000)).toBe('clear');
  });

  it('reports the signal side of the comparison as the alarm value', () => {
    const r = single({ when: '95 < x' });
    r.feed('x', 97, 0);
    expect(r.rule.valueOf(0)).toBe(97);
    expect(r.rule.signal).toBe('x');
  });
});

describe('rate, stale, discrete and multi-signal rules', () => {
  it('raises on a rate of change over a window once the window is half full', () => {
    const r = single({ when: 'rate(level, 60s) > 0.5' });
    expect(r.feed('level', 0, 0)).toBe(null);
    expect(r.feed('level', 20, 20_000)).toBe(null); // 1/s, but only a third of the window
    expect(r.feed('level', 40, 40_000)).toBe('raise');
  });

  it('raises on stale data after T without values, and clears on the next value', () => {
    const r = single({ when: 'age(x) > 10s' }, 0);
    expect(r.tick(10_000)).toBe(null);
    expect(r.tick(10_001)).toBe('raise');
    expect(r.feed('x', 1, 12_000)).toBe('clear');
  });

  it('raises on a discrete state (a pump tripped)', () => {
    const r = single({ when: 'pump1.tripped == 1' });
    expect(r.feed('pump1.tripped', 0, 0)).toBe(null);
    expect(r.feed('pump1.tripped', 1, 1)).toBe('raise');
  });

  it('evaluates expressions over several signals when any of them changes', () => {
    const r = single({ when: 'abs(a - b) > 10 && max(a, b) > 50' });
    expect(r.feed('a', 70, 0)).toBe(null); // b has no value yet
    expect(r.feed('b', 55, 1)).toBe('raise');
    expect(r.feed('a', 60, 2)).toBe('clear');
  });

  it('reports whether it is suppressed by design', () => {
    const r = single({ when: 'flow < 5', suppressWhen: 'running == 0' });
    r.feed('running', 0, 0);
    expect(r.rule.suppressed(0)).toBe(true);
    r.feed('running', 1, 1);
    expect(r.rule.suppressed(1)).toBe(false);
  });
});

describe('anomaly rules', () => {
  it('does not raise during the warm-up, then raises on a value far outside the EWMA band', () => {
    const r = single({ kind: 'anomaly', signal: 'x', sigmas: 4, alpha: 0.2, warmup: 10 });
    const noise = [50, 51, 49, 50.5, 49.5, 50, 51, 49, 50];
    noise.forEach((v, i) => expect(r.feed('x', v, i)).toBe(null));
    // Sample 10 would be an outlier, but the warm-up is 10 samples before any z-score.
    expect(r.feed('x', 80, 9)).toBe(null);
    for (let i = 10; i < 40; i++) r.feed('x', 50 + (i % 2), i);
    expect(r.feed('x', 80, 40)).toBe('raise');
    expect(r.feed('x', 50, 41)).toBe('clear');
  });

  it('gives NaN z-scores for the warm-up samples, then finite ones', () => {
    const d = new EwmaDetector(0.5, 3);
    d.push(1);
    d.push(2);
    d.push(3);
    expect(d.z).toBeNaN();
    d.push(4);
    expect(Number.isFinite(d.z)).toBe(true);
  });
});

describe('forecast rules', () => {
  const forecast = { kind: 'forecast', signal: 'level', limit: 100, window: '10m', horizon: '30m' };

  it('predicts nothing until the window is half full', () => {
    const r = single(forecast);
    for (let t = 0; t <= 4 * 60_000; t += 10_000) expect(r.feed('level', 50 + t / 60_000, t)).toBe(null);
    expect(r.rule.etaMs).toBeNaN();
  });

  it('raises when the linear trend reaches the limit within the horizon, with the ETA', () => {
    const r = single(forecast);
    let change = null;
    // +1 per minute from 70: the limit is 30 min away when the window is half full (5 min, level 75)... 25 min.
    for (let t = 0; t <= 6 * 60_000; t += 10_000) change = r.feed('level', 70 + t / 60_000, t) ?? change;
    expect(change).toBe('raise');
    expect(r.rule.etaMs / 60_000).toBeCloseTo(24, 0);
  });

  it('does not raise for a trend away from the limit or one beyond the horizon', () => {
    const away = single(forecast);
    const slow = single(forecast);
    for (let t = 0; t <= 8 * 60_000; t += 10_000) {
      expect(away.feed('level', 90 - t / 60_000, t)).toBe(null);
      expect(slow.feed('level', 10 + t / 600_000, t)).toBe(null);
    }
  });

  it('predicts the falling direction too', () => {
    const r = single({ ...forecast, limit: 10, direction: 'falling' });
    let change = null;
    for (let t = 0; t <= 6 * 60_000; t += 10_000) change = r.feed('level', 30 - t / 60_000, t) ?? change;
    expect(change).toBe('raise');
  });
});

describe('RuleSet', () => {
  it('names the rule and the position when an expression does not compile', () => {
    expect(() => new RuleSet([rule({ id: 'bad', when: 'x >' })], 0)).toThrow(
      'rule "bad" when: expected a value, found the end at character 4',
    );
  });

  it('restores a raised rule so a value back in range clears it, but time without values does not', () => {
    const r = single({ when: 'x > 95' });
    r.rule.restoreRaised();
    expect(r.tick(0)).toBe(null); // the new engine has no value yet: keep the alarm
    expect(r.feed('x', 96, 0)).toBe(null);
    expect(r.feed('x', 90, 1)).toBe('clear');
  });

  it('keeps window memory fixed however many values arrive', () => {
    const set = new RuleSet([rule({ when: 'avg(x, 1m) > 5' })], 0);
    const slot = set.slotOf('x');
    for (let i = 0; i < 100_000; i++) set.push(slot, i % 10, i);
    // 32 buckets in one array: nothing grows with the number of values.
    expect(set.rules[0].raiseTest(100_000)).toBe(false);
  });
});
