/** Durations in twin files: "500ms", "5s", "2m", "1h", or a plain number of seconds. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The text form of a duration: a non-negative number and a unit (ms, s, m, h), spaces allowed around. */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;

export type Duration = string | number;

/** Parses a duration to milliseconds; returns null when the text is not a duration. */
export function parseDuration(value: Duration): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export function isDuration(value: Duration): boolean {
  return parseDuration(value) !== null;
}
