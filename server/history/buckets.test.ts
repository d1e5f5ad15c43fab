import { describe, expect, it } from 'vitest';
import { Bucketer, deadbandFor } from './buckets';
import { emptyBatch } from './store';

const T = 1_700_000_000_000;

describe('Bucketer', () => {
  it('keeps count, first, min, max and last of each second and closes it when the next second starts', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    for (const [v, dt] of [
      [5, 0],
      [9, 100],
      [1, 200],
      [4, 900],
      [7, 1000],
    ])
      b.add(0, v, T + dt, 0, out);
    expect(out.buckets).toEqual({ sig: [0], t: [T], n: [4], first: [5], min: [1], max: [9], last: [4] });
    b.closeAll(out);
    expect(out.buckets.t).toEqual([T, T + 1000]);
    expect(out.buckets.last).toEqual([4, 7]);
  });

  it('closes only the seconds before the given time, so a quiet signal is still written', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    b.add(0, 1, T + 500, 0, out);
    b.add(1, 2, T + 1500, 0, out);
    b.closeBefore(T + 1200, out);
    expect(out.buckets.sig).toEqual([0]);
    b.closeBefore(T + 2000, out);
    expect(out.buckets.sig).toEqual([0, 1]);
  });

  it('writes a change only beyond the deadband, measured from the last value kept', () => {
    const b = new Bucketer();
    b.setDeadband(0, 2);
    const out = emptyBatch();
    for (const [i, v] of [10, 11, 12, 12.5, 10.6, 30].entries()) b.add(0, v, T + i, 3, out);
    expect(out.values.v).toEqual([10, 12.5, 30]);
    expect(out.values.quality).toEqual([3, 3, 3]);
    expect(b.keptValue(0)).toBe(30);
  });

  it('keeps every change without a deadband, and no repeat of the same value', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    for (const [i, v] of [1, 1, 1.001, 1.001].entries()) b.add(0, v, T + i, 0, out);
    expect(out.values.v).toEqual([1, 1.001]);
  });

  it('gives a late value a bucket of its own and leaves the open second alone', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    b.add(0, 5, T + 5000, 0, out);
    b.add(0, 1, T + 1000, 0, out);
    expect(out.buckets).toMatchObject({ t: [T + 1000], n: [1], first: [1] });
    b.closeAll(out);
    expect(out.buckets.t).toEqual([T + 1000, T + 5000]);
  });

  it('ignores NaN and infinities (text samples and broken values)', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    b.add(0, Number.NaN, T, 0, out);
    b.add(0, Number.POSITIVE_INFINITY, T, 0, out);
    b.closeAll(out);
    expect(out.buckets.sig).toEqual([]);
    expect(out.values.sig).toEqual([]);
  });

  it('grows for signal indices seen late', () => {
    const b = new Bucketer();
    const out = emptyBatch();
    b.add(5000, 1, T, 0, out);
    b.closeAll(out);
    expect(out.buckets.sig).toEqual([5000]);
  });
});

describe('deadbandFor', () => {
  it('is a fraction of the range, 0 without one', () => {
    expect(deadbandFor([0, 400])).toBe(8);
    expect(deadbandFor([100, 0], 0.01)).toBe(1);
    expect(deadbandFor(undefined)).toBe(0);
  });
});
