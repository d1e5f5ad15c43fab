/** The points of a mini trend: min/max per pixel column (so spikes survive), as an SVG points string. */
import type { SampleRing } from '../lib/ringBuffer';

export function sparklinePoints(ring: SampleRing, since: number, width: number, height: number): string {
  const start = ring.indexAtOrAfter(since);
  const n = ring.length - start;
  if (n <= 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < ring.length; i++) {
    const v = ring.valueAt(i);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return '';
  const t0 = ring.timeAt(start);
  const span = Math.max(1, ring.timeAt(ring.length - 1) - t0);
  const range = hi - lo || 1;
  const y = (v: number) => (height - 1 - ((v - lo) / range) * (height - 2)).toFixed(1);
  const points: string[] = [];
  let column = -1;
  let cMin = 0;
  let cMax = 0;
  const flush = () => {
    if (column < 0) return;
    points.push(`${column},${y(cMin)}`);
    if (cMax !== cMin) points.push(`${column},${y(cMax)}`);
  };
  for (let i = start; i < ring.length; i++) {
    const x = Math.round(((ring.timeAt(i) - t0) / span) * (width - 1));
    const v = ring.valueAt(i);
    if (x !== column) {
      flush();
      column = x;
      cMin = v;
      cMax = v;
    } else {
      if (v < cMin) cMin = v;
      if (v > cMax) cMax = v;
    }
  }
  flush();
  return points.join(' ');
}
