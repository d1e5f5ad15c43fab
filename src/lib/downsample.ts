/**
 * Reduces a time series to about `buckets` columns, keeping each column's first, min, max and last
 * points so spikes survive (a plain stride would hide an alarm-worthy peak).
 */
export interface Point {
  t: number;
  v: number;
}

export function downsample(
  count: number,
  timeAt: (i: number) => number,
  valueAt: (i: number) => number,
  from: number,
  to: number,
  buckets: number,
): Point[] {
  const out: Point[] = [];
  if (count === 0 || to <= from) return out;
  if (count <= buckets * 4) {
    for (let i = 0; i < count; i++) out.push({ t: timeAt(i), v: valueAt(i) });
    return out;
  }
  const width = (to - from) / buckets;
  let i = 0;
  while (i < count) {
    const bucket = Math.floor((timeAt(i) - from) / width);
    const first = i;
    let min = i;
    let max = i;
    let last = i;
    // A NaN sample is a gap marker (data lost while away): keep it, so the line breaks there.
    let gap = i;
    for (; i < count && Math.floor((timeAt(i) - from) / width) === bucket; i++) {
      if (valueAt(i) < valueAt(min)) min = i;
      if (valueAt(i) > valueAt(max)) max = i;
      if (Number.isNaN(valueAt(i))) gap = i;
      last = i;
    }
    for (const k of [...new Set([first, min, max, gap, last])].sort((a, b) => a - b))
      out.push({ t: timeAt(k), v: valueAt(k) });
  }
  return out;
}
