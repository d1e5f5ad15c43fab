/** A reading is stale when it is older than this many expected periods. */
export const STALE_PERIODS = 3;

/**
 * Whether a reading should be shown as stale rather than live: when the connection is down, or when
 * the signal has not updated for STALE_PERIODS of its expected period.
 */
export function isStale(opts: { time: number; now: number; periodMs: number | null; online: boolean }): boolean {
  if (!opts.online) return true;
  if (!Number.isFinite(opts.time) || opts.time === 0) return true;
  return opts.periodMs !== null && opts.now - opts.time > STALE_PERIODS * opts.periodMs;
}
