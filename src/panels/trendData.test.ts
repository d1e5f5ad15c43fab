import { describe, expect, it } from 'vitest';
import { SampleRing } from '../lib/ringBuffer';
import { mergeSeries, pointAt, rawSamples, tabStart, valueRange } from './trendData';

function ring(samples: [number, number][]): SampleRing {
  const r = new SampleRing(10_000);
  for (const [t, v] of samples) r.push(t, v);
  return r;
}

describe('mergeSeries', () => {
  it('draws the ring alone when the historian was not asked', () => {
    expect(
      mergeSeries(
        null,
        ring([
          [10, 1],
          [20, 2],
          [30, 3],
        ]),
        15,
        30,
        1000,
      ),
    ).toEqual([
      { t: 20, v: 2 },
      { t: 30, v: 3 },
    ]);
  });

  it("puts the tab's samples after the historian's last point, never doubling an overlap", () => {
    const history = [
      { t: 0, v: 5 },
      { t: 10, v: null },
      { t: 20, v: 7 },
    ];
    const merged = mergeSeries(
      history,
      ring([
        [15, 100],
        [20, 101],
        [25, 8],
        [30, 9],
      ]),
      0,
      30,
      1000,
    );
    expect(merged).toEqual([
      { t: 0, v: 5 },
      { t: 10, v: null },
      { t: 20, v: 7 },
      { t: 25, v: 8 },
      { t: 30, v: 9 },
    ]);
  });

  it('clips both sources to the span (a paused or replayed window ignores newer samples)', () => {
    const merged = mergeSeries(
      [
        { t: -5, v: 1 },
        { t: 5, v: 2 },
      ],
      ring([
        [8, 3],
        [12, 4],
      ]),
      0,
      10,
      1000,
    );
    expect(merged).toEqual([
      { t: 5, v: 2 },
      { t: 8, v: 3 },
    ]);
  });

  it('turns a gap marker (NaN) into a break in the line', () => {
    expect(
      mergeSeries(
        null,
        ring([
          [1, 1],
          [2, NaN],
          [3, 3],
        ]),
        0,
        10,
        1000,
      )[1],
    ).toEqual({ t: 2, v: null });
  });

  it('keeps a spike when the ring holds more samples than the budget', () => {
    const samples: [number, number][] = [];
    for (let t = 0; t < 10_000; t++) samples.push([t, t === 4321 ? 999 : 1]);
    const merged = mergeSeries(null, ring(samples), 0, 10_000, 200);
    expect(merged.length).toBeLessThanOrEqual(200);
    expect(merged.some((p) => p.v === 999)).toBe(true);
  });
});

describe('rawSamples', () => {
  it('lists every sample within the span', () => {
    expect(
      rawSamples(
        ring([
          [1, 1],
          [2, 2],
          [3, NaN],
          [4, 4],
        ]),
        2,
        3,
      ),
    ).toEqual([
      { t: 2, v: 2 },
      { t: 3, v: null },
    ]);
    expect(rawSamples(undefined, 0, 10)).toEqual([]);
  });
});

describe('tabStart', () => {
  it('is the latest first sample: from there on the tab has every signal', () => {
    expect(tabStart([ring([[5, 1]]), ring([[9, 1]])])).toBe(9);
  });
  it('is null when a signal has nothing in the tab', () => {
    expect(tabStart([ring([[5, 1]]), ring([])])).toBeNull();
    expect(tabStart([ring([[5, 1]]), undefined])).toBeNull();
    expect(tabStart([])).toBeNull();
  });
});

describe('pointAt', () => {
  const points = [
    { t: 10, v: 1 },
    { t: 20, v: 2 },
    { t: 30, v: null },
  ];
  it('gives the last point at or before the time', () => {
    expect(pointAt(points, 25)).toEqual({ t: 20, v: 2 });
    expect(pointAt(points, 20)).toEqual({ t: 20, v: 2 });
    expect(pointAt(points, 35)).toEqual({ t: 30, v: null });
  });
  it('gives null before the first point', () => {
    expect(pointAt(points, 5)).toBeNull();
    expect(pointAt([], 5)).toBeNull();
  });
});

describe('valueRange', () => {
  it('skips gaps', () => {
    expect(
      valueRange([
        { t: 1, v: 3 },
        { t: 2, v: null },
        { t: 3, v: -1 },
      ]),
    ).toEqual({ min: -1, max: 3 });
    expect(valueRange([{ t: 1, v: null }])).toBeNull();
  });
});
