import { describe, expect, it } from 'vitest';
import { compare, parseCondition, type Comparison } from './condition';

describe('parseCondition', () => {
  it('reads "<signal> <op> <number>"', () => {
    expect(parseCondition('pump1.temp > 95')).toEqual({
      ok: true,
      condition: { signal: 'pump1.temp', op: '>', limit: 95 },
    });
  });

  it.each(['>', '>=', '<', '<=', '==', '!='])('understands the operator %s', (op) => {
    const parsed = parseCondition(`tank1.level ${op} 10`);
    expect(parsed.ok && parsed.condition.op).toBe(op);
  });

  it('allows any spacing, or none', () => {
    expect(parseCondition('  a>=1  ')).toEqual({ ok: true, condition: { signal: 'a', op: '>=', limit: 1 } });
    expect(parseCondition('a\t<\t-2')).toEqual({ ok: true, condition: { signal: 'a', op: '<', limit: -2 } });
  });

  it('reads negative, decimal and exponent limits', () => {
    const limit = (text: string) => {
      const parsed = parseCondition(`x.y > ${text}`);
      return parsed.ok ? parsed.condition.limit : null;
    };
    expect(limit('-0.5')).toBe(-0.5);
    expect(limit('1.25')).toBe(1.25);
    expect(limit('1e3')).toBe(1000);
    expect(limit('2E-2')).toBe(0.02);
    expect(limit('1e+2')).toBe(100);
  });

  it('accepts signal ids with letters, digits, "_", "-" and "."', () => {
    const parsed = parseCondition('line_2.motor-a.temp != 0');
    expect(parsed.ok && parsed.condition.signal).toBe('line_2.motor-a.temp');
  });

  it('reports a missing signal id at its position', () => {
    expect(parseCondition('  > 5')).toEqual({ ok: false, error: 'expected a signal id', position: 2 });
    expect(parseCondition('95 < pump1.temp')).toMatchObject({ ok: false, error: 'expected a signal id', position: 0 });
  });

  it('reports a missing or unknown operator where it should be', () => {
    expect(parseCondition('pump1.temp = 95')).toEqual({
      ok: false,
      error: 'expected a comparison (>, >=, <, <=, ==, !=)',
      position: 11,
    });
    expect(parseCondition('pump1.temp')).toMatchObject({ ok: false, position: 10 });
  });

  it('reports a missing number where it should be', () => {
    expect(parseCondition('pump1.temp >> 95')).toEqual({ ok: false, error: 'expected a number', position: 12 });
    expect(parseCondition('pump1.temp > high')).toEqual({ ok: false, error: 'expected a number', position: 13 });
  });

  it('reports text after the condition (one comparison only)', () => {
    expect(parseCondition('a > 1 and b > 2')).toEqual({
      ok: false,
      error: 'unexpected text after the condition',
      position: 5,
    });
  });
});

describe('compare', () => {
  const cases: [Comparison, number, boolean, boolean, boolean][] = [
    // op, limit, below, at, above
    ['>', 10, false, false, true],
    ['>=', 10, false, true, true],
    ['<', 10, true, false, false],
    ['<=', 10, true, true, false],
    ['==', 10, false, true, false],
    ['!=', 10, true, false, true],
  ];
  it.each(cases)('%s %d holds below/at/above as %s/%s/%s', (op, limit, below, at, above) => {
    expect([compare(9, op, limit), compare(10, op, limit), compare(11, op, limit)]).toEqual([below, at, above]);
  });

  it('never holds for NaN', () => {
    for (const op of ['>', '>=', '<', '<=', '=='] as const) expect(compare(Number.NaN, op, 0)).toBe(false);
  });
});
