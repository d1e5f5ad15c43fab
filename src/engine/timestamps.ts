/**
 * Reading a payload's own timestamp (`"timestamp": "ts"` on a signal). Devices write ISO 8601 text,
 * epoch seconds or epoch milliseconds; `auto` tells seconds from milliseconds by size, which is
 * unambiguous for any date between 1973 and 5138.
 */

export type TimestampFormat = 'auto' | 'iso' | 's' | 'ms';

/** Below this an epoch number is read as seconds, from here on as milliseconds (1e11 ms = 1973). */
const MS_THRESHOLD = 1e11;

// ISO 8601 date-time as devices write it: a date, a time, optional fraction and zone.
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;

/** Epoch milliseconds from a JSON value, or NaN when it is not a timestamp of the given format. */
export function parseTimestamp(value: unknown, format: TimestampFormat = 'auto'): number {
  if (typeof value === 'number') return fromNumber(value, format);
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  if (format !== 'iso' && NUMERIC.test(text)) return fromNumber(Number(text), format);
  if (format === 's' || format === 'ms' || !ISO.test(text)) return NaN;
  const t = Date.parse(text.replace(',', '.'));
  return Number.isFinite(t) ? t : NaN;
}

function fromNumber(n: number, format: TimestampFormat): number {
  if (!Number.isFinite(n) || n < 0 || format === 'iso') return NaN;
  if (format === 's') return n * 1000;
  if (format === 'ms') return n;
  return n < MS_THRESHOLD ? n * 1000 : n;
}
