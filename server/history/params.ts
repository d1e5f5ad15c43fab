/**
 * The history API's parameter checks and the shaping of its answers: pure, no database. Every check
 * names the parameter and says what it expected; nothing from a query string goes further than these
 * values (and reaches SQL only as bound parameters).
 */

export const MAX_SIGNALS = 16;
export const DEFAULT_POINTS = 1000;
export const MAX_POINTS = 5000;
export const MIN_POINTS = 10;
/** The longest range one request may ask for. */
export const MAX_SPAN_MS = 400 * 86_400_000;
const MAX_NAME = 200;

export type ErrorCode = 'bad-parameter' | 'not-found' | 'unavailable' | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }

  body(): { error: { code: ErrorCode; message: string; parameter?: string } } {
    const error: { code: ErrorCode; message: string; parameter?: string } = { code: this.code, message: this.message };
    if (this.parameter !== undefined) error.parameter = this.parameter;
    return { error };
  }
}

const bad = (parameter: string, message: string) => new ApiError(400, 'bad-parameter', message, parameter);

type Query = URLSearchParams;

function one(q: Query, name: string): string | null {
  const all = q.getAll(name);
  if (all.length > 1) throw bad(name, `"${name}" is given ${all.length} times; give it once`);
  return all.length === 0 ? null : all[0];
}

export function twinParam(q: Query): string {
  const v = one(q, 'twin');
  if (v === null || v === '') throw bad('twin', '"twin" is missing: the id of a twin, e.g. twin=pump-station');
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(v))
    throw bad('twin', '"twin" must be a twin id (letters, digits, "_", "-", ".")');
  return v;
}

/** A time in ms since the epoch: digits only. */
export function timeParam(q: Query, name: string, fallback?: number): number {
  const v = one(q, name);
  if (v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw bad(name, `"${name}" is missing: a time in ms since the epoch`);
  }
  if (!/^\d{1,15}$/.test(v))
    throw bad(name, `"${name}" must be a time in ms since the epoch (digits), not "${clip(v)}"`);
  return Number(v);
}

export function rangeParams(q: Query): { from: number; to: number } {
  const from = timeParam(q, 'from');
  const to = timeParam(q, 'to');
  if (to <= from) throw bad('to', '"to" must be after "from"');
  if (to - from > MAX_SPAN_MS) throw bad('to', `the range is longer than ${MAX_SPAN_MS / 86_400_000} days`);
  return { from, to };
}

/** Signal names, comma-separated: any text (an unknown name is simply not found), no control characters. */
export function signalsParam(q: Query): string[] {
  const v = one(q, 'signals');
  if (v === null || v.trim() === '') throw bad('signals', '"signals" is missing: signal ids, comma-separated');
  const names = [...new Set(v.split(',').map((s) => s.trim()))];
  if (names.some((n) => n === '')) throw bad('signals', '"signals" has an empty name');
  if (names.length > MAX_SIGNALS)
    throw bad('signals', `at most ${MAX_SIGNALS} signals per request, not ${names.length}`);
  for (const n of names) {
    if (n.length > MAX_NAME) throw bad('signals', `a signal id is longer than ${MAX_NAME} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(n)) throw bad('signals', 'a signal id contains a control character');
  }
  return names;
}

export function pointsParam(q: Query): number {
  const v = one(q, 'points');
  if (v === null || v === '') return DEFAULT_POINTS;
  const n = /^\d{1,6}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= MIN_POINTS && n <= MAX_POINTS))
    throw bad('points', `"points" must be a whole number from ${MIN_POINTS} to ${MAX_POINTS}, not "${clip(v)}"`);
  return n;
}

/** Refuses parameters the endpoint does not know (a typo would otherwise be silently ignored). */
export function onlyParams(q: Query, known: readonly string[]): void {
  for (const name of q.keys())
    if (!known.includes(name))
      throw bad(name, `unknown parameter "${clip(name)}"; this endpoint takes ${known.join(', ')}`);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The width of one column for a range and a point budget: each column gives up to 4 points, never under a second. */
export function columnWidth(from: number, to: number, points: number): number {
  return Math.max(1000, Math.ceil((to - from) / Math.max(1, Math.floor(points / 4))));
}

/** Two points further apart than this have a gap between them (`v: null`). */
export function gapAfter(width: number): number {
  return Math.max(2 * width, 60_000);
}

export interface ColumnLike {
  tFirst: number;
  vFirst: number;
  tMin: number;
  vMin: number;
  tMax: number;
  vMax: number;
  tLast: number;
  vLast: number;
}

/**
 * Columns (first/min/max/last with their times, in time order) to chart points, the spike-keeping
 * shape of src/lib/downsample.ts: each column's first, min, max and last in time order, repeats
 * removed, and a `v: null` point where the data stops for longer than gapAfter(width).
 */
export function columnsToPoints(columns: readonly ColumnLike[], width: number): { t: number; v: number | null }[] {
  const out: { t: number; v: number | null }[] = [];
  const gap = gapAfter(width);
  let lastT = Number.NaN;
  for (const c of columns) {
    if (!Number.isNaN(lastT) && c.tFirst - lastT > gap)
      out.push({ t: lastT + Math.floor((c.tFirst - lastT) / 2), v: null });
    const pts: [number, number, number][] = [
      [c.tFirst, 0, c.vFirst],
      [c.tMin, 1, c.vMin],
      [c.tMax, 1, c.vMax],
      [c.tLast, 2, c.vLast],
    ];
    // By time; at the same time first, then the extremes, then last.
    pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let prev: [number, number, number] | null = null;
    for (const p of pts) {
      if (prev && prev[0] === p[0] && prev[2] === p[2]) continue;
      out.push({ t: p[0], v: p[2] });
      prev = p;
    }
    lastT = c.tLast;
  }
  return out;
}
