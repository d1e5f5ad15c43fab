import { describe, expect, it } from 'vitest';
import { ExprError, parseExpr, signalsOf, tokenize } from './parse';

const errorOf = (text: string) => {
  try {
    parseExpr(text);
  } catch (err) {
    if (err instanceof ExprError) return { reason: err.reason, position: err.position, message: err.message };
    throw err;
  }
  return null;
};

describe('tokenize', () => {
  it('reads numbers, durations, ids, quoted ids and operators with their positions', () => {
    expect(tokenize('a.b >= 1.5e2 && `odd id` < 30s')).toEqual([
      { t: 'id', text: 'a.b', quoted: false, pos: 0 },
      { t: 'op', text: '>=', pos: 4 },
      { t: 'num', value: 150, pos: 7 },
      { t: 'op', text: '&&', pos: 13 },
      { t: 'id', text: 'odd id', quoted: true, pos: 16 },
      { t: 'op', text: '<', pos: 25 },
      { t: 'dur', ms: 30_000, pos: 27 },
      { t: 'end', pos: 30 },
    ]);
  });

  it('keeps "-" inside an id before a letter but not before a digit or a space', () => {
    expect(tokenize('motor-a.temp-5').map((t) => ('text' in t ? t.text : 'value' in t ? t.value : t.t))).toEqual([
      'motor-a.temp',
      '-',
      5,
      'end',
    ]);
  });
});

describe('parseExpr', () => {
  it('gives * precedence over +, comparison over logic, and && over ||', () => {
    const tree = parseExpr('a + b * 2 > 3 || c < 1 && d == 0');
    expect(tree.kind).toBe('or');
    if (tree.kind !== 'or') return;
    expect(tree.left).toMatchObject({ kind: 'cmp', op: '>', left: { kind: 'arith', op: '+' } });
    expect(tree.right).toMatchObject({ kind: 'and' });
  });

  it('accepts the word forms and, or, not, and true/false', () => {
    expect(parseExpr('not a > 1 and b or true')).toMatchObject({ kind: 'or', right: { kind: 'num', value: 1 } });
  });

  it('lists the signals an expression reads', () => {
    expect(signalsOf(parseExpr('max(a, b) - avg(c, 1m) > abs(a)'))).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['', 'the expression is empty', 0],
    ['a >', 'expected a value, found the end', 3],
    ['a = 1', 'use "==" to compare', 2],
    ['(a > 1', 'expected ")", found the end', 6],
    ['a > 1)', 'unexpected ")"', 5],
    ['a > 1 < 2', 'comparisons cannot be chained; join them with && or ||', 6],
    ['a # 1', 'unexpected character "#"', 2],
    ['foo(a)', 'unknown function "foo" (known: abs, min, max, avg, last, rate, age)', 0],
    ['avg(a)', 'avg() takes a signal and a window, such as (pump1.temp, 5m)', 0],
    ['abs(a, b)', 'abs() takes one value', 0],
    ['min(a)', 'min() takes two or more values, or a signal and a window such as 5m', 0],
    ['age(1)', 'age() takes one signal', 0],
    ['avg(a, 0s)', 'a window must be longer than 0', 7],
    ['a > 5x', 'expected a duration unit (ms, s, m, h)', 5],
    ['`a > 1', 'unclosed `', 0],
    ['a. > 1', 'a signal id cannot end with "."', 1],
    ['a > and', 'expected a value, found "and"', 4],
  ])('rejects %j: %s at %d', (text, reason, position) => {
    expect(errorOf(text)).toEqual({ reason, position, message: `${reason} at character ${position + 1}` });
  });
});
