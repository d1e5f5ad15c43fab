/**
 * Gaps in a thread's run: a thread that only reads the clock in a loop sees a gap wherever it did not
 * run (another thread had the core, or the host took it). Pure functions, no I/O.
 */

export interface GapSummary {
  /** Gaps over the threshold. */
  count: number;
  /** Their total, ms. */
  totalMs: number;
  /** The longest few, longest first, ms. */
  longest: number[];
  /** Gaps over 16 ms: a frame's time lost at once. */
  overFrame: number;
}

/** One frame at 60 Hz, the length the main-thread targets use. */
export const FRAME_MS = 16;

/** Sums up gaps (ms) already filtered to those over the threshold; `keep` longest listed. */
export function summariseGaps(gaps: readonly number[], keep = 5): GapSummary {
  const sorted = [...gaps].sort((a, b) => b - a);
  return {
    count: sorted.length,
    totalMs: sorted.reduce((a, b) => a + b, 0),
    longest: sorted.slice(0, keep),
    overFrame: sorted.filter((g) => g > FRAME_MS).length,
  };
}

/** "12 gaps over 1 ms, 30 ms in all; longest 8.1, 4.0 ms; 0 over 16 ms". */
export function formatGaps(s: GapSummary, thresholdMs: number): string {
  const longest = s.longest.length ? `; longest ${s.longest.map((g) => g.toFixed(1)).join(', ')} ms` : '';
  return `${s.count} gaps over ${thresholdMs} ms, ${s.totalMs.toFixed(0)} ms in all${longest}; ${s.overFrame} over ${FRAME_MS} ms`;
}
