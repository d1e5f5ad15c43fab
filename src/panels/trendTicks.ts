/**
 * Where a trend's time axis puts its labels: on round times of the viewer's clock, about one per
 * LABEL_SPACING_PX of the plot, never so close to an end that half a label falls outside the chart.
 * Placed by arithmetic, not by measuring each candidate label in the page: a chart library doing that
 * spent 23 ms of an 80 ms redraw in `getBoundingClientRect`, every second, while telemetry waited.
 */

/** Room one time label takes with the gap after it ("12:34:56 PM" at 11 px is about 65 px wide). */
export const LABEL_SPACING_PX = 90;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Round steps, smallest first. */
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * Label times for an axis from `from` to `to` (ms) drawn `widthPx` wide: on multiples of a round step
 * in local time (`offsetMs`: the zone's offset from UTC, as `-getTimezoneOffset()` minutes in ms), at
 * most one per LABEL_SPACING_PX, and at least half a label's room from either end; at least one label
 * on an axis a label wide or wider. Empty when the axis has no width or no span.
 */
export function timeTicks(from: number, to: number, widthPx: number, offsetMs = localOffsetMs(from)): number[] {
  const span = to - from;
  if (!(span > 0) || !(widthPx > 0) || !Number.isFinite(span)) return [];
  const most = Math.max(1, Math.floor(widthPx / LABEL_SPACING_PX));
  const step = STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / DAY) * DAY;
  const pad = (span * LABEL_SPACING_PX) / 2 / widthPx;
  const out: number[] = [];
  // Multiples of the step in local time: 10:00, 10:05... on the viewer's clock, midnight for days.
  for (let local = Math.ceil((from + pad + offsetMs) / step) * step; local - offsetMs <= to - pad; local += step)
    out.push(local - offsetMs);
  if (out.length > 0 || to - pad < from + pad) return out;
  // A narrow axis whose steps all fall in the margins: one label, on the roundest time that fits.
  for (let i = STEPS.length - 1; i >= 0; i--) {
    const local = Math.ceil((from + pad + offsetMs) / STEPS[i]) * STEPS[i];
    if (local - offsetMs <= to - pad) return [local - offsetMs];
  }
  return [Math.round((from + to) / 2)];
}

/** The local zone's offset from UTC at `t`, ms (positive east of Greenwich). */
export function localOffsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * MINUTE;
}
