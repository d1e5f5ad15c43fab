/**
 * The reconnect schedule: capped exponential backoff with jitter. Pure, so the schedule is tested
 * without a broker; the connection asks it how long to wait before each attempt. Jitter spreads the
 * reconnects of many dashboards after a broker restart so they do not all arrive in the same second.
 */

export interface BackoffOptions {
  /** Wait before the first retry, in ms. */
  initialMs: number;
  /** The wait never exceeds this, in ms. */
  maxMs: number;
  /** Each attempt waits this many times longer than the previous one (before jitter). */
  factor: number;
  /** Share of the wait that is random: the wait lies in [base × (1 − jitter), base]. 0..1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.3 };

/**
 * How long to wait before reconnect attempt `attempt` (1 for the first retry after a loss).
 * `random` returns a number in [0, 1) (Math.random by default; tests pass a fixed one).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const initial = Math.max(0, options.initialMs);
  const max = Math.max(initial, options.maxMs);
  // Computed by repeated multiplication with an early stop, so a huge attempt cannot overflow.
  let base = initial;
  for (let i = 1; i < n && base < max; i++) base *= Math.max(1, options.factor);
  base = Math.min(base, max);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - jitter * r));
}
