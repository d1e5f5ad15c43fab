/**
 * The points a trend draws for one signal: the historian's (downsampled on the server) up to its
 * last point, then the tab's own newer samples (downsampled here with the same spike-keeping
 * buckets), clipped to the span. Pure; the rings are read through an interface SampleRing meets.
 */
import { downsample } from '../lib/downsample';

/** A drawn point; `v: null` is a gap (the line breaks there). */
export interface ChartPoint {
  t: number;
  v: number | null;
}

/** What a trend reads of a signal's history ring (SampleRing). */
export interface SampleSource {
  readonly length: number;
  timeAt(i: number): number;
  valueAt(i: number): number;
  indexAtOrAfter(time: number): number;
}

/** First index whose time is after `t` (times are in order). */
function indexAfter(ring: SampleSource, t: number): number {
  let i = ring.indexAtOrAfter(t);
  while (i < ring.length && ring.timeAt(i) <= t) i++;
  return i;
}

/**
 * One signal's points over `from`..`to`: the historian's points (null when it was not asked or did
 * not answer), then the ring's samples after the historian's last point, at most about `budget`
 * points from the ring (the chart's pixel width).
 */
export function mergeSeries(
  history: readonly ChartPoint[] | null,
  ring: SampleSource | undefined,
  from: number,
  to: number,
  budget: number,
): ChartPoint[] {
  const out: ChartPoint[] = [];
  let after = -Infinity;
  if (history) {
    for (const p of history) {
      if (p.t < from || p.t > to) continue;
      out.push(p);
      if (p.t > after) after = p.t;
    }
  }
  if (!ring || ring.length === 0) return out;
  const start = after === -Infinity ? ring.indexAtOrAfter(from) : indexAfter(ring, Math.max(after, from - 1));
  const end = indexAfter(ring, to);
  if (end <= start) return out;
  // Each bucket keeps up to four points (first, min, max, last): a quarter of the budget in buckets.
  const buckets = Math.max(1, Math.floor(budget / 4));
  const lo = Math.max(from, after === -Infinity ? from : after);
  const points = downsample(
    end - start,
    (k) => ring.timeAt(start + k),
    (k) => ring.valueAt(start + k),
    lo,
    to,
    buckets,
  );
  for (const p of points) out.push({ t: p.t, v: Number.isNaN(p.v) ? null : p.v });
  return out;
}

/** Every sample the ring holds within `from`..`to` (the CSV's raw rows); NaN gap markers as null. */
export function rawSamples(ring: SampleSource | undefined, from: number, to: number): ChartPoint[] {
  const out: ChartPoint[] = [];
  if (!ring) return out;
  const end = indexAfter(ring, to);
  for (let i = ring.indexAtOrAfter(from); i < end; i++) {
    const v = ring.valueAt(i);
    out.push({ t: ring.timeAt(i), v: Number.isNaN(v) ? null : v });
  }
  return out;
}

/**
 * The oldest moment from which the tab holds every one of these rings' data (the latest of their
 * first samples), or null when one of them holds nothing: before it, only the historian knows.
 */
export function tabStart(rings: readonly (SampleSource | undefined)[]): number | null {
  let start = -Infinity;
  for (const ring of rings) {
    if (!ring || ring.length === 0) return null;
    start = Math.max(start, ring.timeAt(0));
  }
  return rings.length === 0 ? null : start;
}

/** The point shown at time `t`: the last one at or before it (binary search), or null before the first. */
export function pointAt(points: readonly ChartPoint[], t: number): ChartPoint | null {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : points[lo - 1];
}

/** The value range of points (nulls skipped), or null without any value. */
export function valueRange(points: readonly ChartPoint[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (p.v === null) continue;
    if (p.v < min) min = p.v;
    if (p.v > max) max = p.v;
  }
  return min === Infinity ? null : { min, max };
}
