import { describe, expect, it } from 'vitest';
import { ThresholdRule } from './rules';
import type { Rule } from '../twin/schema';

const rule = (when: string, extra: Partial<Rule> = {}) =>
  new ThresholdRule({ id: 'r', when, deadband: 0, priority: 'medium', message: 'm', ...extra });

describe('ThresholdRule without delay', () => {
  it('raises as soon as the condition holds and not exactly at the limit of ">"', () => {
    const r = rule('t > 95');
    expect(r.update(95, 0)).toBe(null);
    expect(r.update(95.1, 1)).toBe('raise');
    expect(r.active).toBe(true);
    expect(r.update(99, 2)).toBe(null); // already raised
  });

  it('clears ">" only at limit - deadband or below (hysteresis)', () => {
    const r = rule('t > 95', { deadband: 2 });
    expect(r.update(96, 0)).toBe('raise');
    expect(r.update(95, 1)).toBe(null); // exactly at the limit: still inside the deadband
    expect(r.update(93.01, 2)).toBe(null);
    expect(r.update(93, 3)).toBe('clear'); // exactly limit - deadband
    expect(r.active).toBe(false);
    expect(r.update(94, 4)).toBe(null); // inside the band again, but not above the limit
    expect(r.update(95.5, 5)).toBe('raise');
  });

  it('clears ">" on the inverse when the deadband is zero', () => {
    const r = rule('t > 95');
    r.update(96, 0);
    expect(r.update(95, 1)).toBe('clear');
  });

  it('raises "<" below the limit and clears at limit + deadband or above', () => {
    const r = rule('level < 10', { deadband: 1 });
    expect(r.update(10, 0)).toBe(null);
    expect(r.update(9.9, 1)).toBe('raise');
    expect(r.update(10, 2)).toBe(null);
    expect(r.update(10.99, 3)).toBe(null);
    expect(r.update(11, 4)).toBe('clear');
  });

  it('counts the limit itself as raised for ">=" and "<=", with the deadband beyond it', () => {
    const ge = rule('t >= 95', { deadband: 2 });
    expect(ge.update(95, 0)).toBe('raise');
    expect(ge.update(93, 1)).toBe(null);
    expect(ge.update(92.9, 2)).toBe('clear');
    const le = rule('t <= 10', { deadband: 1 });
    expect(le.update(10, 0)).toBe('raise');
    expect(le.update(11, 1)).toBe(null);
    expect(le.update(11.1, 2)).toBe('clear');
  });

  it('clears "==" and "!=" on the inverse', () => {
    const eq = rule('state == 3', { deadband: 5 });
    expect(eq.update(3, 0)).toBe('raise');
    expect(eq.update(4, 1)).toBe('clear');
    const ne = rule('state != 0');
    expect(ne.update(2, 0)).toBe('raise');
    expect(ne.update(0, 1)).toBe('clear');
  });
});

describe('ThresholdRule with an on-delay', () => {
  it('raises only after the condition held for the whole delay', () => {
    const r = rule('t > 95', { for: '5s' });
    expect(r.update(96, 1000)).toBe(null);
    expect(r.pending).toBe(true);
    expect(r.update(97, 5999)).toBe(null);
    expect(r.update(97, 6000)).toBe('raise');
  });

  it('starts the delay again when the condition is interrupted', () => {
    const r = rule('t > 95', { for: '5s', deadband: 2 });
    r.update(96, 0);
    expect(r.update(94, 4000)).toBe(null); // interrupted (inside the deadband does not count as holding)
    expect(r.pending).toBe(false);
    expect(r.update(96, 4500)).toBe(null);
    expect(r.update(96, 9000)).toBe(null); // 5 s since 0, but only 4.5 s since the restart
    expect(r.tick(9499)).toBe(null);
    expect(r.tick(9500)).toBe('raise');
  });

  it('raises through tick() when no new message arrives after the delay', () => {
    const r = rule('t > 95', { for: '3s' });
    r.update(100, 10_000);
    expect(r.tick(12_999)).toBe(null);
    expect(r.tick(13_000)).toBe('raise');
    expect(r.lastValue).toBe(100);
    expect(r.tick(20_000)).toBe(null); // raises once
  });

  it('does nothing on tick() while the condition does not hold', () => {
    const r = rule('t > 95', { for: '1s' });
    r.update(50, 0);
    expect(r.tick(60_000)).toBe(null);
  });

  it('accepts a delay in plain seconds', () => {
    const r = rule('t < 0', { for: 2 });
    expect(r.delayMs).toBe(2000);
  });
});

describe('ThresholdRule construction', () => {
  it('refuses a condition that does not parse', () => {
    expect(() => rule('t >> 1')).toThrow(/rule "r"/);
  });
});
