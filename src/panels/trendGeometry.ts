/**
 * Where a trend chart puts things: its plot box, each Y axis's range and labels, and each line as one
 * SVG path. Pure, so the chart component only places what this computes. Drawing the chart ourselves
 * (not with a chart library) keeps a redraw to a few SVG elements and no measuring of text in the page:
 * a library chart's redraw was one main-thread task of up to 60 ms of CPU while telemetry waited
 * (docs/scene-performance.md, "Publish to pixel").
 */
import type { ChartPoint } from './trendData';

/** Room for one Y axis: its tick labels and its unit. */
export const AXIS_WIDTH = 56;
/** The chart's SVG height; the legend sits below it. */
export const CHART_HEIGHT = 148;
/** Gaps around the plot: above it, right of it (when no axis is there), and below it for the time labels. */
export const PLOT_TOP = 8;
export const PLOT_RIGHT_GAP = 8;
export const TIME_LABELS_HEIGHT = 22;

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The plot inside a chart `width` wide with `left` axes on its left and `right` on its right. */
export function plotBox(width: number, left: number, right: number): PlotBox {
  const x = left * AXIS_WIDTH;
  return {
    left: x,
    top: PLOT_TOP,
    width: Math.max(1, width - x - (right > 0 ? right * AXIS_WIDTH : PLOT_RIGHT_GAP)),
    height: Math.max(1, CHART_HEIGHT - PLOT_TOP - TIME_LABELS_HEIGHT),
  };
}

/** A linear map from a value range onto a pixel range. */
export type Scale = (v: number) => number;

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The smallest and largest finite values of the given lines and extra values; null when there are none. */
export function valueExtent(
  lines: readonly (readonly ChartPoint[])[],
  extra: readonly number[] = [],
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of lines)
    for (const p of line) {
      const v = p.v;
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  for (const v of extra) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Round steps within a power of ten. */
const NICE = [1, 2, 2.5, 5, 10];

/**
 * A Y axis's range and labels: round numbers (1, 2, 2.5 or 5 times a power of ten apart) from at or
 * below `lo` to at or above `hi`, about `count` of them. A flat line (lo = hi) gets a range around it.
 */
export function niceTicks(lo: number, hi: number, count = 5): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], ticks: [] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const rough = (hi - lo) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = (NICE.find((m) => m * magnitude >= rough * (1 - 1e-9)) ?? 10) * magnitude;
  // Decimals a tick needs, so 0.1 + 0.2 is labelled and compared as 0.3.
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(step)));
  const round = (v: number) => Number(v.toFixed(Math.min(20, decimals)));
  const first = round(Math.floor(lo / step + 1e-9) * step);
  const last = round(Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let k = 0; ; k++) {
    const v = round(first + k * step);
    if (v > last + step * 1e-9 || k > 100) break;
    ticks.push(v);
  }
  return { domain: [first, last], ticks };
}

/** Pixels to a tenth: finer is invisible and makes the path text longer. */
const px = (v: number) => Math.round(v * 10) / 10;

/**
 * One line as an SVG path: a segment through consecutive points, broken at a gap (`v: null`) or a
 * value that is not finite. A lone point between gaps becomes a zero-length segment, which round line
 * caps draw as a dot. Empty when nothing can be drawn.
 */
export function linePath(points: readonly ChartPoint[], x: Scale, y: Scale): string {
  let d = '';
  let run = 0;
  for (const p of points) {
    const v = p.v;
    if (v === null || !Number.isFinite(v) || !Number.isFinite(p.t)) {
      if (run === 1) d += 'h0';
      run = 0;
      continue;
    }
    d += `${run > 0 ? 'L' : 'M'}${px(x(p.t))} ${px(y(v))}`;
    run++;
  }
  if (run === 1) d += 'h0';
  return d;
}
