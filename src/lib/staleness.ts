/** A reading is stale when it is older than this many expected periods. */
export const STALE_PERIODS = 3;

/**
 * Whether a reading should be shown as stale rather than live: when the connection is down, when
 * the signal has not updated for STALE_PERIODS of its expected period, or when its quality bits say
 * so (a gap after a lost session, a Sparkplug death or sequence gap; see TelemetryStore.quality).
 */
export function isStale(opts: {
  time: number;
  now: number;
  periodMs: number | null;
  online: boolean;
  quality?: number;
}): boolean {
  if (!opts.online) return true;
  if (opts.quality !== undefined && opts.quality !== 0) return true;
  if (!Number.isFinite(opts.time) || opts.time === 0) return true;
  return opts.periodMs !== null && opts.now - opts.time > STALE_PERIODS * opts.periodMs;
}
