import { describe, expect, it } from 'vitest';
import {
  ApiError,
  columnsToPoints,
  columnWidth,
  MAX_SIGNALS,
  onlyParams,
  pointsParam,
  rangeParams,
  signalsParam,
  timeParam,
  twinParam,
} from './params';

const q = (s: string) => new URLSearchParams(s);

function refusal(f: () => unknown): { status: number; code: string; parameter?: string; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof ApiError)
      return { status: err.status, code: err.code, parameter: err.parameter, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('history API parameters', () => {
  it('takes a twin id and refuses a missing or odd one', () => {
    expect(twinParam(q('twin=pump-station'))).toBe('pump-station');
    expect(refusal(() => twinParam(q('')))).toMatchObject({ status: 400, code: 'bad-parameter', parameter: 'twin' });
    expect(refusal(() => twinParam(q("twin=a'b")))).toMatchObject({ parameter: 'twin' });
    expect(refusal(() => twinParam(q('twin=a&twin=b'))).message).toMatch(/given 2 times/);
  });

  it('takes times as ms digits and refuses missing, garbage, negative and reversed ones', () => {
    expect(rangeParams(q('from=1000&to=2000'))).toEqual({ from: 1000, to: 2000 });
    expect(refusal(() => rangeParams(q('to=2000')))).toMatchObject({
      parameter: 'from',
      message: expect.stringMatching(/missing/),
    });
    expect(refusal(() => rangeParams(q('from=abc&to=2000')))).toMatchObject({
      parameter: 'from',
      message: expect.stringMatching(/"abc"/),
    });
    expect(refusal(() => rangeParams(q('from=-5&to=2000')))).toMatchObject({ parameter: 'from' });
    expect(refusal(() => rangeParams(q('from=1e3&to=2000')))).toMatchObject({ parameter: 'from' });
    expect(refusal(() => rangeParams(q('from=3000&to=2000')))).toMatchObject({
      parameter: 'to',
      message: expect.stringMatching(/after/),
    });
    expect(refusal(() => rangeParams(q('from=0&to=99999999999999')))).toMatchObject({
      parameter: 'to',
      message: expect.stringMatching(/days/),
    });
    expect(timeParam(q(''), 'at', 42)).toBe(42);
  });

  it('takes SQL-looking signal names as plain names; refuses empty, too many, too long and control characters', () => {
    expect(signalsParam(q(`signals=${encodeURIComponent("x';drop table tv_hist_values;--")},tank.level`))).toEqual([
      "x';drop table tv_hist_values;--",
      'tank.level',
    ]);
    expect(signalsParam(q('signals=a,a,b'))).toEqual(['a', 'b']);
    expect(refusal(() => signalsParam(q('')))).toMatchObject({ parameter: 'signals' });
    expect(refusal(() => signalsParam(q('signals=a,,b'))).message).toMatch(/empty/);
    const many = Array.from({ length: MAX_SIGNALS + 1 }, (_, i) => `s${i}`).join(',');
    expect(refusal(() => signalsParam(q(`signals=${many}`))).message).toMatch(/at most 16/);
    expect(refusal(() => signalsParam(q(`signals=${'x'.repeat(201)}`))).message).toMatch(/longer/);
    expect(refusal(() => signalsParam(q('signals=a%00b'))).message).toMatch(/control/);
  });

  it('bounds the point budget', () => {
    expect(pointsParam(q(''))).toBe(1000);
    expect(pointsParam(q('points=10'))).toBe(10);
    expect(pointsParam(q('points=5000'))).toBe(5000);
    for (const bad of ['9', '5001', '1.5', 'lots', '-10'])
      expect(refusal(() => pointsParam(q(`points=${bad}`)))).toMatchObject({ parameter: 'points' });
  });

  it('refuses parameters an endpoint does not take', () => {
    expect(() => onlyParams(q('twin=a'), ['twin'])).not.toThrow();
    expect(refusal(() => onlyParams(q('twin=a&form=1'), ['twin', 'from']))).toMatchObject({ parameter: 'form' });
  });
});

describe('columns to points', () => {
  const col = (t: number, first: number, min: number, max: number, last: number, width = 1000) => ({
    tFirst: t,
    vFirst: first,
    tMin: t + width * 0.25,
    vMin: min,
    tMax: t + width * 0.5,
    vMax: max,
    tLast: t + width * 0.75,
    vLast: last,
  });

  it('keeps each column first, min, max and last in time order, so a spike survives', () => {
    expect(columnsToPoints([col(0, 5, 1, 99, 4)], 1000).map((p) => p.v)).toEqual([5, 1, 99, 4]);
  });

  it('puts a max before a min when it came first, and drops repeats at the same time', () => {
    const c = { tFirst: 0, vFirst: 5, tMin: 700, vMin: 1, tMax: 200, vMax: 9, tLast: 700, vLast: 1 };
    expect(columnsToPoints([c], 1000)).toEqual([
      { t: 0, v: 5 },
      { t: 200, v: 9 },
      { t: 700, v: 1 },
    ]);
  });

  it('marks a gap with a null point where data stops for longer than the gap time', () => {
    const points = columnsToPoints([col(0, 1, 1, 1, 1), col(1000, 1, 1, 1, 1), col(200_000, 2, 2, 2, 2)], 1000);
    expect(points.filter((p) => p.v === null)).toHaveLength(1);
    const at = points.findIndex((p) => p.v === null);
    expect([points[at - 1].t, points[at + 1].t]).toEqual([1750, 200_000]);
  });

  it('sizes columns from the range and budget, never under a second', () => {
    expect(columnWidth(0, 86_400_000, 1000)).toBe(345_600);
    expect(columnWidth(0, 60_000, 1000)).toBe(1000);
  });
});
