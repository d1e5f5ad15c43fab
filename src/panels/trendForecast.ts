/**
 * The forecast a trend draws as a dashed continuation: for a signal with a forecast rule, the same
 * least-squares line the engine's rule fits (SignalWindow.trend over the rule's window, from bucket
 * averages), projected from the end of the window. Computed on the main thread from the points the
 * chart shows, so it works live, paused and in replay alike.
 */
import type { Rule } from '../twin/schema';
import { SignalWindow } from '../expr/window';
import { parseDuration } from '../lib/duration';
import type { ChartPoint } from './trendData';

/** The engine's defaults for a forecast rule without `window` / `horizon` (src/engine/rules.ts). */
export const DEFAULT_FORECAST_WINDOW_MS = 10 * 60_000;
export const DEFAULT_FORECAST_HORIZON_MS = 30 * 60_000;

export interface ForecastLine {
  signal: string;
  ruleId: string;
  /** Two points: the fitted value at the window's end, and the value `reach` ms later. */
  points: [ChartPoint, ChartPoint];
  /** Predicted ms from the end until the limit is crossed; null when the line does not head for it. */
  etaMs: number | null;
  limit: number;
}

/** The forecast rules of a twin on `signal`. */
export function forecastRules(rules: readonly Rule[], signal: string): Rule[] {
  return rules.filter((r) => r.kind === 'forecast' && r.signal === signal && r.limit !== undefined);
}

/**
 * The projection of `rule` from `points` (oldest first) at `end`, drawn `reach` ms ahead (at most
 * the rule's horizon). Null when the rule would not forecast either: the values span less than half
 * its window, or fewer than three of its buckets hold values.
 */
export function projectForecast(
  rule: Rule,
  points: readonly ChartPoint[],
  end: number,
  reach: number,
): ForecastLine | null {
  if (rule.kind !== 'forecast' || rule.signal === undefined || rule.limit === undefined) return null;
  const windowMs = (rule.window !== undefined ? parseDuration(rule.window) : null) ?? DEFAULT_FORECAST_WINDOW_MS;
  const horizonMs = (rule.horizon !== undefined ? parseDuration(rule.horizon) : null) ?? DEFAULT_FORECAST_HORIZON_MS;
  const w = new SignalWindow(windowMs);
  for (const p of points) if (p.v !== null && p.t > end - windowMs && p.t <= end) w.push(p.v, p.t);
  const fit = { slope: 0, at: 0 };
  if (w.coverage(end) < 0.5 || !w.trend(end, fit)) return null;
  const ahead = Math.max(0, Math.min(reach, horizonMs));
  const dir = rule.direction === 'falling' ? -1 : 1;
  const toGo = rule.limit - fit.at;
  const etaMs = toGo * dir <= 0 ? 0 : fit.slope * dir > 0 ? toGo / fit.slope : null;
  return {
    signal: rule.signal,
    ruleId: rule.id,
    points: [
      { t: end, v: fit.at },
      { t: end + ahead, v: fit.at + fit.slope * ahead },
    ],
    etaMs,
    limit: rule.limit,
  };
}
