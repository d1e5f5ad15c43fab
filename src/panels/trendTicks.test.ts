import { describe, expect, it } from 'vitest';
import { LABEL_SPACING_PX, timeTicks } from './trendTicks';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

describe('timeTicks', () => {
  it('puts labels on round times, one per label width at most, clear of both ends', () => {
    // 5 minutes over 350 px: at most 3 labels, so one every 2 minutes.
    const from = T0 + 17_000;
    const to = from + 5 * MIN;
    const ticks = timeTicks(from, to, 350, 0);
    expect(ticks).toEqual([T0 + 2 * MIN, T0 + 4 * MIN]);
    const pad = ((to - from) * LABEL_SPACING_PX) / 2 / 350;
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(from + pad);
      expect(t).toBeLessThanOrEqual(to - pad);
    }
  });

  it('takes more labels on a wider axis, and round steps from seconds to days', () => {
    const five = timeTicks(T0, T0 + 5 * MIN, 900, 0);
    expect(five.length).toBeGreaterThan(3);
    expect(five.every((t) => t % 30_000 === 0)).toBe(true);
    // Never closer than a label's room.
    for (let i = 1; i < five.length; i++)
      expect(((five[i] - five[i - 1]) / (5 * MIN)) * 900).toBeGreaterThanOrEqual(LABEL_SPACING_PX);
    const minute = timeTicks(T0, T0 + MIN, 350, 0);
    expect(minute.every((t) => t % 15_000 === 0)).toBe(true);
    const week = timeTicks(T0, T0 + 7 * 24 * 60 * MIN, 350, 0);
    expect(week.length).toBeGreaterThan(0);
    expect(week.every((t) => t % (24 * 60 * MIN) === 0)).toBe(true);
  });

  it("follows the viewer's clock: hours and midnights are local ones", () => {
    // UTC+5:30: a day's labels fall on local midnight, 18:30 UTC.
    const offset = 330 * MIN;
    const day = 24 * 60 * MIN;
    const ticks = timeTicks(T0, T0 + 3 * day, 350, offset);
    expect(ticks.length).toBeGreaterThan(0);
    for (const t of ticks) expect((t + offset) % day).toBe(0);
  });

  it('always labels an axis a label wide or wider, wherever the window starts', () => {
    for (const width of [LABEL_SPACING_PX, 120, 150, 200, 260, 350]) {
      for (const span of [MIN, 5 * MIN, 15 * MIN, 60 * MIN, 24 * 60 * MIN, 7 * 24 * 60 * MIN]) {
        for (let k = 0; k < 40; k++) {
          const from = T0 + k * 7_919;
          const ticks = timeTicks(from, from + span, width, 0);
          expect(ticks.length).toBeGreaterThan(0);
          for (const t of ticks) {
            expect(t).toBeGreaterThanOrEqual(from);
            expect(t).toBeLessThanOrEqual(from + span);
          }
        }
      }
    }
  });

  it('is empty for an axis with no width or no span', () => {
    expect(timeTicks(T0, T0, 300, 0)).toEqual([]);
    expect(timeTicks(T0, T0 + MIN, 0, 0)).toEqual([]);
    expect(timeTicks(T0 + MIN, T0, 300, 0)).toEqual([]);
    expect(timeTicks(T0, Number.NaN, 300, 0)).toEqual([]);
  });
});
