import { describe, expect, it } from 'vitest';
import { SampleRing } from './ringBuffer';

const contents = (r: SampleRing) => Array.from({ length: r.length }, (_, i) => [r.timeAt(i), r.valueAt(i)]);

describe('SampleRing', () => {
  it('keeps samples in arrival order while under capacity', () => {
    const r = new SampleRing(10, 2);
    for (let i = 0; i < 5; i++) r.push(i, i * 10);
    expect(contents(r)).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
    ]);
  });

  it('drops the oldest samples once full, keeping exactly capacity samples', () => {
    const r = new SampleRing(4, 1);
    for (let i = 0; i < 11; i++) r.push(i, -i);
    expect(r.length).toBe(4);
    expect(contents(r)).toEqual([
      [7, -7],
      [8, -8],
      [9, -9],
      [10, -10],
    ]);
  });

  it('never grows its storage past the capacity whatever arrives', () => {
    const r = new SampleRing(1000, 8);
    for (let i = 0; i < 100_000; i++) r.push(i, i);
    expect(r.byteLength).toBe(1000 * 16);
    expect(r.timeAt(0)).toBe(99_000);
  });

  it('finds the first sample at or after a time, across the wrap', () => {
    const r = new SampleRing(5, 5);
    for (let i = 0; i < 8; i++) r.push(i * 10, i);
    expect(r.indexAtOrAfter(0)).toBe(0);
    expect(r.indexAtOrAfter(45)).toBe(2);
    expect(r.timeAt(r.indexAtOrAfter(45))).toBe(50);
    expect(r.indexAtOrAfter(1000)).toBe(5);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SampleRing(0)).toThrow(RangeError);
  });
});

describe('SampleRing.limit', () => {
  it('keeps the newest samples when the capacity is lowered, and stays bounded after', () => {
    const r = new SampleRing(100, 4);
    for (let i = 0; i < 50; i++) r.push(i, i);
    r.limit(10);
    expect(r.capacity).toBe(10);
    expect(contents(r).map(([t]) => t)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    for (let i = 50; i < 1000; i++) r.push(i, i);
    expect(r.length).toBe(10);
    expect(r.byteLength).toBe(10 * 16);
    expect(r.timeAt(0)).toBe(990);
  });

  it('never raises the capacity', () => {
    const r = new SampleRing(10);
    r.limit(20);
    expect(r.capacity).toBe(10);
  });
});
