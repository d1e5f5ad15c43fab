/**
 * Which time span a trend shows: the preset windows, a custom range, and how the time cursor
 * (live or replay), a host-set range and pause move it. Pure: the panel passes the clock in.
 */
import type { TFunction } from 'i18next';

/** The windows a trend offers besides its configured one and a custom range. */
export const PRESET_WINDOWS: readonly { id: string; ms: number }[] = [
  { id: '1m', ms: 60_000 },
  { id: '15m', ms: 15 * 60_000 },
  { id: '1h', ms: 3_600_000 },
  { id: '24h', ms: 24 * 3_600_000 },
];

/** The longest custom range: what a point budget of ~1,000 still draws meaningfully. */
export const MAX_CUSTOM_RANGE_MS = 31 * 24 * 3_600_000;

export type WindowChoice = { kind: 'span'; ms: number } | { kind: 'custom'; from: number; to: number };

/** The cursor as a trend reads it (the time cursor store's fields). */
export interface CursorView {
  mode: 'live' | 'replay';
  at: number;
  range: { from: number; to: number } | null;
}

/** The span a trend draws: `from`..`to` in ms; `moving` when it follows the clock. */
export interface TrendSpan {
  from: number;
  to: number;
  moving: boolean;
  /** The replay moment to mark, if any. */
  marker: number | null;
}

/**
 * The span to draw: a host-set range wins, then a custom range, then a window ending at the replay
 * moment, at the moment the operator paused, or now.
 */
export function resolveSpan(choice: WindowChoice, cursor: CursorView, now: number, pausedAt: number | null): TrendSpan {
  const marker = cursor.mode === 'replay' ? cursor.at : null;
  if (cursor.range) return { from: cursor.range.from, to: cursor.range.to, moving: false, marker };
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to, moving: false, marker };
  if (cursor.mode === 'replay') return { from: cursor.at - choice.ms, to: cursor.at, moving: false, marker };
  const end = pausedAt ?? now;
  return { from: end - choice.ms, to: end, moving: pausedAt === null, marker: null };
}

export type RangeCheck =
  | { ok: true; from: number; to: number }
  | { ok: false; field: 'from' | 'to'; reason: 'missing' | 'invalid' | 'order' | 'future' | 'too-long' };

/**
 * Checks a custom range typed into two `datetime-local` inputs ("2026-11-30T14:05", local time).
 * `parse` turns an input's text into ms (the browser's local time), NaN when it is not a time.
 */
export function checkCustomRange(
  fromText: string,
  toText: string,
  now: number,
  parse: (text: string) => number = parseLocalDateTime,
): RangeCheck {
  if (fromText.trim() === '') return { ok: false, field: 'from', reason: 'missing' };
  if (toText.trim() === '') return { ok: false, field: 'to', reason: 'missing' };
  const from = parse(fromText);
  if (!Number.isFinite(from)) return { ok: false, field: 'from', reason: 'invalid' };
  const to = parse(toText);
  if (!Number.isFinite(to)) return { ok: false, field: 'to', reason: 'invalid' };
  if (from >= now) return { ok: false, field: 'from', reason: 'future' };
  if (to <= from) return { ok: false, field: 'to', reason: 'order' };
  if (to - from > MAX_CUSTOM_RANGE_MS) return { ok: false, field: 'to', reason: 'too-long' };
  return { ok: true, from, to };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2026-11-30T14:05" (or with seconds) in local time to ms; NaN for anything else or an impossible date. */
export function parseLocalDateTime(text: string): number {
  const m = LOCAL_DATE_TIME.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const date = new Date(y, mo - 1, d, h, mi, s);
  // Date rolls 2026-02-31 over to March: refuse it instead of showing another day.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return NaN;
  if (h > 23 || mi > 59 || s > 59) return NaN;
  return date.getTime();
}

/** The `datetime-local` text of a moment in local time ("2026-11-30T14:05"), to prefill the inputs. */
export function toLocalDateTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * Whether the span reaches before what the tab holds (`tabStart`: the oldest sample of the trended
 * signals, or null when it holds none): then the historian is asked for it.
 */
export function needsHistory(span: TrendSpan, tabStart: number | null, replay: boolean): boolean {
  if (replay) return true;
  return tabStart === null || span.from < tabStart;
}

/**
 * The span a history request asks for, rounded so a moving window does not ask again every redraw:
 * `from` and `to` snap to a step of 1/50 of the span (at least a second), `to` rounded up.
 */
export function requestSpan(span: TrendSpan): { from: number; to: number } {
  const step = Math.max(1000, Math.floor((span.to - span.from) / 50));
  return { from: Math.floor(span.from / step) * step, to: Math.ceil(span.to / step) * step };
}

/** "15 min", "1 h", "30 s" (in the UI language): a window's length on its button. */
export function windowLabel(ms: number, t: TFunction): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return t('window.hours', { count: ms / 3_600_000 });
  if (ms >= 60_000 && ms % 60_000 === 0) return t('window.minutes', { count: ms / 60_000 });
  return t('window.seconds', { count: Math.round(ms / 1000) });
}
