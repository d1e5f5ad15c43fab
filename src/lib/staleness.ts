/**
 * The one rule for whether a reading is live, and if not, which word says so and why. The store's
 * per-frame `isStale` (a precomputed "fresh until" time) and every text shown to people (values
 * panel, inspector, tooltip, scene labels, `twin watch`) come from this rule, so a value cannot look
 * fresh in one place and stale in another.
 */

/** A reading is stale when it is older than this many expected periods. */
export const STALE_PERIODS = 3;

/** Quality bits of a signal (0 is good). A gap: the broker lost our session while we were away. */
export const QUALITY_GAP = 1;
/** The source said the value is no longer valid (a Sparkplug death certificate). */
export const QUALITY_DEAD = 2;
/** Messages from the source were lost (a Sparkplug sequence gap): the value may be out of date. */
export const QUALITY_SUSPECT = 4;

/**
 * `none`: never had a value. `dead`: its source sent a death certificate. `suspect`: messages from
 * its source were lost. `stale`: the broker is away, data was lost while we were away, or it missed
 * its expected updates. `live`: none of these.
 */
export type ReadingState = 'none' | 'live' | 'stale' | 'suspect' | 'dead';

export interface ReadingCondition {
  state: ReadingState;
  /** Why it is not live, in a few words ("" when live). */
  reason: string;
}

export interface ReadingFacts {
  /** The reading's time (ms); 0 or NaN when it never had a value. */
  time: number;
  now: number;
  /** Expected update period in ms; 0 or null for none. */
  periodMs: number | null;
  /** Whether the broker connection is up. */
  online: boolean;
  /** Values that do not come through the broker (HTTP sources) are not made stale by it. */
  independent?: boolean;
  /** QUALITY_* bits. */
  quality?: number;
}

export const REASON_NO_VALUE = 'no value yet';
export const REASON_DEAD = 'death certificate from its edge node or device';
export const REASON_SUSPECT = 'sequence gap: messages from its edge node were lost';
export const REASON_OFFLINE = 'broker not connected';
export const REASON_GAP = 'data lost while disconnected';

const LIVE: ReadingCondition = { state: 'live', reason: '' };

/** The condition of one reading, most serious first: no value, dead, suspect, then stale. */
export function readingCondition(f: ReadingFacts): ReadingCondition {
  if (!(f.time > 0)) return { state: 'none', reason: REASON_NO_VALUE };
  const quality = f.quality ?? 0;
  if (quality & QUALITY_DEAD) return { state: 'dead', reason: REASON_DEAD };
  if (quality & QUALITY_SUSPECT) return { state: 'suspect', reason: REASON_SUSPECT };
  if (!f.online && !f.independent) return { state: 'stale', reason: REASON_OFFLINE };
  if (quality & QUALITY_GAP) return { state: 'stale', reason: REASON_GAP };
  const period = f.periodMs ?? 0;
  if (period > 0 && f.now - f.time > STALE_PERIODS * period) {
    return { state: 'stale', reason: `no update for ${seconds(f.now - f.time)}, expected every ${seconds(period)}` };
  }
  return LIVE;
}

/** Whether a reading should be drawn as not live (the same rule, as a yes/no). */
export function isStale(f: ReadingFacts): boolean {
  return readingCondition(f).state !== 'live';
}

/** Until when (ms) a reading with this time, period and quality counts as live; -Infinity: not live now. */
export function freshUntil(time: number, periodMs: number, quality: number): number {
  if (quality !== 0 || !(time > 0)) return -Infinity;
  return periodMs > 0 ? time + STALE_PERIODS * periodMs : Infinity;
}

function seconds(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
