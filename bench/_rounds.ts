/**
 * Rounds of a benchmark, printed and summarised the same way everywhere: every round is shown with
 * its value and "MISS" beside any round that misses its target, so a lucky best round cannot hide a
 * bad one. The JSON results keep every round (`RoundsSummary.values`). Pure functions, no I/O.
 */

/** A target a round's value must meet: at least `min`, or at most `max` (one of them). */
export type Target = { min: number; max?: undefined } | { max: number; min?: undefined };

export interface RoundsSummary {
  /** What was measured, e.g. "rules in Node (× the stream)". */
  name: string;
  /** Every round's value, in the order measured. */
  values: number[];
  target: Target | null;
  /** Per round: did it meet the target (true when there is no target). */
  met: boolean[];
  /** Rounds that missed the target. */
  misses: number;
  /** The best and worst rounds (by the target's direction; higher is better without one) and the median. */
  best: number;
  worst: number;
  median: number;
  /** Every round met the target (false when there were no rounds). */
  allMet: boolean;
}

/** Does `value` meet `target`? NaN never does. */
export function meets(value: number, target: Target | null): boolean {
  if (Number.isNaN(value)) return false;
  if (target === null) return true;
  return target.min !== undefined ? value >= target.min : value <= target.max;
}

/** "≥ 3" / "≤ 1.15": the target as printed. */
export function formatTarget(target: Target | null, digits = 2): string {
  if (target === null) return 'no target';
  return target.min !== undefined ? `≥ ${trim(target.min, digits)}` : `≤ ${trim(target.max, digits)}`;
}

/** Summarises rounds against a target. Throws on no rounds: a benchmark that measured nothing is broken. */
export function summarise(name: string, values: readonly number[], target: Target | null): RoundsSummary {
  if (values.length === 0) throw new Error(`${name}: no rounds were measured`);
  const lowerIsBetter = target !== null && target.max !== undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const met = values.map((v) => meets(v, target));
  const misses = met.filter((m) => !m).length;
  const mid = sorted.length >> 1;
  return {
    name,
    values: [...values],
    target,
    met,
    misses,
    best: lowerIsBetter ? sorted[0] : sorted[sorted.length - 1],
    worst: lowerIsBetter ? sorted[sorted.length - 1] : sorted[0],
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    allMet: misses === 0,
  };
}

/**
 * One line per round, for printing as each round ends: "  round 2/5: 3.12 ✓" or
 * "  round 3/5: 2.71 MISS (target ≥ 3)". `detail` adds the round's other figures.
 */
export function formatRound(
  index: number,
  of: number,
  value: number,
  target: Target | null,
  options: { digits?: number; unit?: string; detail?: string } = {},
): string {
  const digits = options.digits ?? 2;
  const unit = options.unit ?? '';
  const verdict = target === null ? '' : meets(value, target) ? ' ✓' : ` MISS (target ${formatTarget(target, digits)})`;
  return `  round ${index + 1}/${of}: ${value.toFixed(digits)}${unit}${verdict}${options.detail ? `  ${options.detail}` : ''}`;
}

/**
 * The summary line: "rules in Node (× the stream): 2.71 3.12 3.40 [MISS in 1 of 3 rounds; target ≥ 3]
 * median 3.12, worst 2.71, best 3.40". Every round is listed, a missed one marked with "!".
 */
export function formatSummary(s: RoundsSummary, options: { digits?: number; unit?: string } = {}): string {
  const digits = options.digits ?? 2;
  const unit = options.unit ?? '';
  const rounds = s.values.map((v, i) => `${v.toFixed(digits)}${s.met[i] ? '' : '!'}`).join(' ');
  const verdict =
    s.target === null
      ? ''
      : s.allMet
        ? ` [every round meets ${formatTarget(s.target, digits)}]`
        : ` [MISS in ${s.misses} of ${s.values.length} rounds; target ${formatTarget(s.target, digits)}]`;
  const f = (v: number) => `${v.toFixed(digits)}${unit}`;
  return `${s.name}: ${rounds}${verdict}; median ${f(s.median)}, worst ${f(s.worst)}, best ${f(s.best)}`;
}

function trim(v: number, digits: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}
