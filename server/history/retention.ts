/**
 * Retention: the historian keeps data for at most `maxAgeMs` and about `maxBytes` (estimated from row
 * counts), deleting the oldest first. Pure: the recorder asks it for a cutoff time, then deletes before it.
 */
export interface RetentionPolicy {
  maxAgeMs: number;
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 30 * 86_400_000, maxBytes: 2 * 1024 ** 3 };
/** How often the retention runs. */
export const RETENTION_EVERY_MS = 60_000;

/**
 * The time before which rows go, or null when nothing needs to. Over the size limit, the oldest share
 * of the stored time span that brings the estimate under 90 % of the limit goes (rows assumed spread
 * evenly over time; the next round corrects what that misses).
 */
export function retentionCutoff(
  policy: RetentionPolicy,
  state: { now: number; oldest: number | null; newest: number | null; bytes: number },
): number | null {
  const { now, oldest, newest, bytes } = state;
  if (oldest === null || newest === null) return null;
  let cutoff: number | null = null;
  const ageLimit = now - policy.maxAgeMs;
  if (oldest < ageLimit) cutoff = ageLimit;
  if (bytes > policy.maxBytes && newest > oldest) {
    const share = Math.min(1, (bytes - policy.maxBytes * 0.9) / bytes);
    const bySize = oldest + Math.ceil((newest - oldest) * share);
    cutoff = cutoff === null ? bySize : Math.max(cutoff, bySize);
  }
  return cutoff;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30d", "12h", "90m": a retention age in ms; throws on anything else. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`"${text}" is not an age such as 30d, 12h or 90m`);
  return Number(m[1]) * UNITS[m[2]];
}
