import { describe, expect, it } from 'vitest';
import { parseExpr } from './parse';
import { compileExpr, type ExprEnv } from './evaluate';
import { SignalWindow } from './window';

/** A tiny environment: values by id, a start time, windows fed by `feed`. */
function env(values: Record<string, number>, startedAt = 0) {
  const ids = Object.keys(values);
  const times: number[] = ids.map(() => startedAt);
  const vals = ids.map((id) => values[id]);
  const windows = new Map<string, SignalWindow>();
  const e: ExprEnv = {
    slot: (id) => {
      if (!ids.includes(id)) {
        ids.push(id);
        vals.push(Number.NaN);
        times.push(startedAt);
      }
      return ids.indexOf(id);
    },
    value: (s) => vals[s],
    time: (s) => times[s],
    window: (id, ms) => {
      const key = `${id}/${ms}`;
      if (!windows.has(key)) windows.set(key, new SignalWindow(ms));
      return windows.get(key)!;
    },
  };
  const feed = (id: string, v: number, t: number) => {
    const s = e.slot(id);
    vals[s] = v;
    times[s] = t;
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
