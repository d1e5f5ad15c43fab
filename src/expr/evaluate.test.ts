import { describe, expect, it } from 'vitest';
import { parseExpr, type Expr } from './parse';
import { compileCondition, compileExpr, type ExprEnv } from './evaluate';
import { SignalWindow } from './window';

/** A tiny environment: values by id, a start time, windows fed by `feed`. Arrays grow as the engine's do. */
function env(values: Record<string, number>, startedAt = 0) {
  const ids = Object.keys(values);
  const windows = new Map<string, SignalWindow>();
  const e = {
    values: Float64Array.from(ids.map((id) => values[id])),
    times: new Float64Array(ids.length).fill(startedAt),
    slot(id: string): number {
      if (!ids.includes(id)) {
        ids.push(id);
        // A new array each time, as the engine's table replaces its arrays when it grows.
        const grown = new Float64Array(ids.length).fill(Number.NaN);
        grown.set(e.values);
        e.values = grown;
        const times = new Float64Array(ids.length).fill(startedAt);
        times.set(e.times);
        e.times = times;
      }
      return ids.indexOf(id);
    },
    window(id: string, ms: number): SignalWindow {
      const key = `${id}/${ms}`;
      if (!windows.has(key)) windows.set(key, new SignalWindow(ms));
      return windows.get(key)!;
    },
  } satisfies ExprEnv;
  const feed = (id: string, v: number, t: number) => {
    const s = e.slot(id);
    e.values[s] = v;
    e.times[s] = t;
    for (const [key, w] of windows) if (key.startsWith(`${id}/`)) w.push(v, t);
  };
  return { e, feed };
}

const run = (text: string, values: Record<string, number>, now = 0, deadband = 0) =>
  compileExpr(parseExpr(text), env(values).e, { deadband })(now);

describe('compileExpr', () => {
  it('does arithmetic with precedence and unary minus', () => {
    expect(run('a + b * 2 - -1', { a: 1, b: 3 })).toBe(8);
    expect(run('(a + b) % 3', { a: 1, b: 4 })).toBe(2);
  });

  it('gives 1 or 0 for comparisons and logic', () => {
    expect(run('a > 1 && b < 1', { a: 2, b: 0 })).toBe(1);
    expect(run('a > 1 && b < 1', { a: 2, b: 5 })).toBe(0);
    expect(run('!(a > 1) || b == 5', { a: 2, b: 5 })).toBe(1);
  });

  it('never holds a comparison for a signal without a value', () => {
    expect(run('x > 1', {})).toBe(0);
    expect(run('x < 1', {})).toBe(0);
    expect(run('x != 1', {})).toBe(0);
    expect(run('!(x > 1)', {})).toBe(1);
  });

  it('computes abs, min and max of values', () => {
    expect(run('abs(a - b)', { a: 1, b: 4 })).toBe(3);
    expect(run('min(a, b, 2)', { a: 5, b: 4 })).toBe(2);
    expect(run('max(a, b)', { a: 5, b: 4 })).toBe(5);
  });

  it('relaxes every comparison by the deadband in the direction that keeps it true', () => {
    expect(run('a > 95', { a: 94 }, 0, 2)).toBe(1);
    expect(run('a > 95', { a: 93 }, 0, 2)).toBe(0);
    expect(run('a < 10', { a: 11.5 }, 0, 2)).toBe(1);
    expect(run('a < 10', { a: 12 }, 0, 2)).toBe(0);
    // Under "not" the inner comparison tightens: !(a < 10) holds while a >= 8.
    expect(run('!(a < 10)', { a: 8.5 }, 0, 2)).toBe(1);
    expect(run('!(a < 10)', { a: 7 }, 0, 2)).toBe(0);
  });

  it('evaluates window functions over the values in the window only', () => {
    const { e, feed } = env({});
    const avg = compileExpr(parseExpr('avg(t, 10s)'), e);
    const mx = compileExpr(parseExpr('max(t, 10s)'), e);
    const first = compileExpr(parseExpr('last(t, 10s)'), e);
    expect(avg(0)).toBeNaN(); // an empty window has no average
    feed('t', 10, 0);
    feed('t', 20, 5000);
    feed('t', 30, 9000);
    expect(avg(9000)).toBe(20);
    expect(mx(9000)).toBe(30);
    expect(first(9000)).toBe(10);
    // 25 s later only the newest bucket is inside the window.
    feed('t', 40, 25_000);
    expect(avg(25_000)).toBe(40);
  });

  it('gives a rate per second only once the window is half full', () => {
    const { e, feed } = env({});
    const rate = compileExpr(parseExpr('rate(t, 60s)'), e);
    feed('t', 0, 0);
    feed('t', 10, 20_000);
    expect(rate(20_000)).toBeNaN();
    feed('t', 60, 30_000);
    expect(rate(30_000)).toBe(2);
  });

  it('gives age in seconds since the last value, counting from the start before the first', () => {
    const { e, feed } = env({}, 1000);
    const age = compileExpr(parseExpr('age(t) > 10s'), e);
    expect(age(10_000)).toBe(0);
    expect(age(11_001)).toBe(1);
    feed('t', 1, 11_000);
    expect(age(20_000)).toBe(0);
    expect(age(21_001)).toBe(1);
  });
});

/**
 * The language's meaning written the plainest way (a recursive interpreter), against which every
 * specialised shape of the compiler is checked: a signal or constant on either side, a function of
 * them, under "not", with and without a deadband, with values missing (NaN).
 */
function reference(e: Expr, values: Record<string, number>, deadband: number, sign = 1): number {
  const v = (x: Expr, s = sign) => reference(x, values, deadband, s);
  const t = (x: number) => x !== 0 && !Number.isNaN(x);
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'dur':
      return e.ms / 1000;
    case 'sig':
      return values[e.id] ?? Number.NaN;
    case 'neg':
      return -v(e.arg);
    case 'not':
      return t(v(e.arg, -sign)) ? 0 : 1;
    case 'and':
      return t(v(e.left)) && t(v(e.right)) ? 1 : 0;
    case 'or':
      return t(v(e.left)) || t(v(e.right)) ? 1 : 0;
    case 'arith': {
      const [a, b] = [v(e.left), v(e.right)];
      return { '+': a + b, '-': a - b, '*': a * b, '/': a / b, '%': a % b }[e.op];
    }
    case 'cmp': {
      const [a, b] = [v(e.left), v(e.right)];
      const d = deadband * sign;
      const holds = {
        '>': a > b - d,
        '>=': a >= b - d,
        '<': a < b + d,
        '<=': a <= b + d,
        '==': a === b,
        '!=': !Number.isNaN(a) && !Number.isNaN(b) && a !== b,
      }[e.op];
      return holds ? 1 : 0;
    }
    case 'call': {
      const args = e.args.map((a) => v(a));
      if (e.name === 'abs') return Math.abs(args[0]);
      if (e.name === 'min') return Math.min(...args);
      if (e.name === 'max') return Math.max(...args);
      throw new Error(`no reference for ${e.name}`);
    }
  }
}

describe('compileExpr and compileCondition agree with the language on every operator and shape', () => {
  const ops = ['>', '>=', '<', '<=', '==', '!='];
  const sides = ['a', '5', 'a + 0', '-a', 'abs(a)'];
  const comparisons = ops.flatMap((op) =>
    sides.flatMap((l) => sides.filter((r) => r !== l || l === 'a').map((r) => `${l} ${op} ${r === 'a' ? 'b' : r}`)),
  );
  const others = [
    'a + b',
    'a - b',
    'a * b',
    'a / b',
    'a % b',
    'a + 2',
    'a - 2',
    'a * 2',
    'a / 2',
    'a % 2',
    '2 - a',
    '(a + 1) * (b - 1)',
    '-a',
    '-5',
    'a',
    '0',
    '1',
    'abs(a - b)',
    'abs(-3)',
    'min(a, b)',
    'max(a, b)',
    'min(a, 3)',
    'max(a + 1, b)',
    'min(a, b, 2)',
    'max(a, b, 2)',
    'a > 1 && b < 1',
    'a > 1 || b < 1',
    '!(a > 1)',
    '!(a < 10) && !(b >= 3)',
    'not a',
    'a && b',
    'a || 0',
    '(a > 1) + (b > 1)',
    '2s',
    'a > 2s',
    'abs(a - b) > 60 && max(a, b) > 70',
    'a < 5 || a > 95',
  ];
  const valueSets: Record<string, number>[] = [
    { a: 5, b: 5 },
    { a: 4, b: 6 },
    { a: 6, b: 4 },
    { a: 0, b: -2 },
    { a: -5, b: 3.5 },
    { a: 94, b: 96 },
    { a: 100, b: 20 },
    { a: Number.NaN, b: 5 },
    { a: 5, b: Number.NaN },
    {},
  ];
  for (const text of [...comparisons, ...others]) {
    it(text, () => {
      const expr = parseExpr(text);
      for (const deadband of [0, 2]) {
        for (const values of valueSets) {
          const { e } = env(values);
          const expected = reference(expr, values, deadband);
          const got = compileExpr(expr, e, { deadband })(0);
          const context = `${text} with ${JSON.stringify(values)}, deadband ${deadband}`;
          expect(Number.isNaN(got) ? 'NaN' : got, context).toBe(Number.isNaN(expected) ? 'NaN' : expected);
          const holds = compileCondition(expr, e, { deadband })(0);
          expect(holds, context).toBe(expected !== 0 && !Number.isNaN(expected));
        }
      }
    });
  }

  it('reads the newest values after the environment replaced its arrays', () => {
    const { e, feed } = env({ a: 1 });
    const cond = compileCondition(parseExpr('a > 2'), e);
    expect(cond(0)).toBe(false);
    // Slots added after compiling grow (replace) the arrays; the compiled test must not hold the old one.
    for (let i = 0; i < 40; i++) e.slot(`extra${i}`);
    feed('a', 3, 1);
    expect(cond(1)).toBe(true);
  });
});
