import { describe, expect, it } from 'vitest';
import { AXIS_WIDTH, CHART_HEIGHT, linePath, linearScale, niceTicks, plotBox, valueExtent } from './trendGeometry';

describe('niceTicks', () => {
  it('spans the values with round steps', () => {
    expect(niceTicks(3.2, 6.7)).toEqual({ domain: [3, 7], ticks: [3, 4, 5, 6, 7] });
    expect(niceTicks(0, 60)).toEqual({ domain: [0, 60], ticks: [0, 20, 40, 60] });
    expect(niceTicks(50, 90)).toEqual({ domain: [50, 90], ticks: [50, 60, 70, 80, 90] });
    expect(niceTicks(0, 9)).toEqual({ domain: [0, 10], ticks: [0, 2.5, 5, 7.5, 10] });
  });

  it('labels decimals exactly (no 0.30000000000000004)', () => {
    const { ticks } = niceTicks(0.1, 0.5);
    expect(ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  it('handles negative ranges and large values', () => {
    expect(niceTicks(-12, -3)).toEqual({ domain: [-12.5, -2.5], ticks: [-12.5, -10, -7.5, -5, -2.5] });
    expect(niceTicks(1200, 4800).ticks).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('gives a flat line a range around it', () => {
    const { domain, ticks } = niceTicks(42, 42);
    expect(domain[0]).toBeLessThan(42);
    expect(domain[1]).toBeGreaterThan(42);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(niceTicks(0, 0).domain).toEqual([-1, 1]);
  });

  it('never returns a runaway list', () => {
    expect(niceTicks(0, 1e-300).ticks.length).toBeLessThanOrEqual(101);
    expect(niceTicks(Number.NaN, 1)).toEqual({ domain: [0, 1], ticks: [] });
  });
});

describe('valueExtent', () => {
  it('skips gaps and non-finite values and includes extra values', () => {
    const line = [
      { t: 1, v: 5 },
      { t: 2, v: null },
      { t: 3, v: Number.NaN },
      { t: 4, v: -2 },
    ];
    expect(valueExtent([line])).toEqual([-2, 5]);
    expect(valueExtent([line], [50])).toEqual([-2, 50]);
    expect(valueExtent([[{ t: 1, v: null }]])).toBeNull();
    expect(valueExtent([], [7])).toEqual([7, 7]);
  });
});

describe('linePath', () => {
  const x = linearScale(0, 100, 0, 200);
  const y = linearScale(0, 10, 100, 0);

  it('draws through the points in chart pixels', () => {
    expect(
      linePath(
        [
          { t: 0, v: 0 },
          { t: 50, v: 5 },
          { t: 100, v: 10 },
        ],
        x,
        y,
      ),
    ).toBe('M0 100L100 50L200 0');
  });

  it('breaks at a gap and shows a lone point as a dot', () => {
    expect(
      linePath(
        [
          { t: 0, v: 1 },
          { t: 10, v: 2 },
          { t: 20, v: null },
          { t: 30, v: 3 },
          { t: 40, v: Number.NaN },
          { t: 50, v: 4 },
          { t: 60, v: 5 },
        ],
        x,
        y,
      ),
    ).toBe('M0 90L20 80M60 70h0M100 60L120 50');
    expect(linePath([{ t: 10, v: 2 }], x, y)).toBe('M20 80h0');
    expect(linePath([], x, y)).toBe('');
  });

  it('rounds to a tenth of a pixel', () => {
    expect(linePath([{ t: 1 / 3, v: 1 / 3 }], x, y)).toBe('M0.7 96.7h0');
  });
});

describe('plotBox', () => {
  it('leaves room for each axis, and a gap on the right without one', () => {
    const one = plotBox(400, 1, 0);
    expect(one.left).toBe(AXIS_WIDTH);
    expect(one.left + one.width).toBe(392);
    const two = plotBox(400, 1, 1);
    expect(two.left + two.width).toBe(400 - AXIS_WIDTH);
    expect(plotBox(400, 2, 1).left).toBe(2 * AXIS_WIDTH);
    expect(one.top + one.height).toBeLessThan(CHART_HEIGHT);
    expect(plotBox(10, 2, 2).width).toBe(1);
  });
});
