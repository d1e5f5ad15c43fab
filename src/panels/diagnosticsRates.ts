/** Small pure helpers of the diagnostics panel. */

/**
 * Samples per second of each signal from two snapshots of the per-signal counters taken `spanMs`
 * apart. Zeros when there is no earlier snapshot yet.
 */
export function signalRates(
  counts: Float64Array,
  length: number,
  previous: Float64Array | null,
  spanMs: number,
): Float64Array {
  const out = new Float64Array(length);
  if (previous === null || spanMs <= 0) return out;
  for (let i = 0; i < length; i++) out[i] = (((counts[i] ?? 0) - (previous[i] ?? 0)) * 1000) / spanMs;
  return out;
}

/** "812 B", "12.4 kB", "3.1 MB" (decimal units, as network rates are usually given). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
