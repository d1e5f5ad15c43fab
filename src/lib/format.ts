import { cachedFormatter, displayLocale, formatWords, type FormatterCache } from './locale';

const numberFormats: FormatterCache<Intl.NumberFormat> = new Map();
const countFormats: FormatterCache<Intl.NumberFormat> = new Map();

const makeNumberFormat = (locale: string | undefined, digits: number) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
const makeCountFormat = (locale: string | undefined) => new Intl.NumberFormat(locale);

/**
 * A number with exactly `digits` decimals in the UI's locale ("64.3", German "64,3"), no grouping
 * (a reading reads like an instrument's display). One formatter per locale and digit count.
 */
export function formatNumber(value: number, digits: number, locale = displayLocale()): string {
  // Where the locale writes plain ASCII digits, '-' and one decimal mark (English, German), toFixed with
  // that mark is the same text at a fifth of the cost; on a decimal tie (1.005, binary 1.00499...) it
  // rounds the binary value as the UI always did, where Intl may round up.
  const mark = Number.isFinite(value) && Math.abs(value) < 1e21 ? decimalMark(locale) : null;
  if (mark !== null) {
    const text = value.toFixed(digits);
    return mark === '.' ? text : text.replace('.', mark);
  }
  return cachedFormatter(numberFormats, locale, digits, makeNumberFormat).format(value);
}

const decimalMarks = new Map<string | undefined, string | null>();

/** The locale's decimal mark when its numbers are otherwise plain ("-1234.5" / "-1234,5"), else null. */
function decimalMark(locale: string | undefined): string | null {
  let mark = decimalMarks.get(locale);
  if (mark === undefined) {
    const probe = cachedFormatter(numberFormats, locale, 1, makeNumberFormat).format(-1234.5);
    mark = /^-1234([.,])5$/.exec(probe)?.[1] ?? null;
    decimalMarks.set(locale, mark);
  }
  return mark;
}

/** A count with the locale's grouping ("12,345", German "12.345"). */
export function formatCount(value: number, locale = displayLocale()): string {
  return cachedFormatter(countFormats, locale, 'count', makeCountFormat).format(value);
}

/** Formats a reading for display: a sensible number of decimals, and an em dash when there is none. */
export function formatValue(value: number, unit = '', locale = displayLocale()): string {
  if (Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  const text = formatNumber(value, abs >= 1000 ? 0 : abs >= 10 ? 1 : 2, locale);
  return unit ? `${text} ${unit}` : text;
}

/** How to show a signal's value: its unit, what kind of value it is, and its named states. */
export interface ValueFormat {
  unit?: string;
  /** 'number' (default), 'integer', 'boolean' or 'text' (see VALUE_KINDS in the engine protocol). */
  kind?: string;
  /** Named states by number (the twin's `map`, reversed): a state shows as its name. */
  states?: ReadonlyMap<number, string> | null;
}

/**
 * A value shown as what it is: a named state as its name, a boolean as true/false, an integer
 * without decimals, text as it came, a measurement with formatValue's decimals. The browser and
 * `twin watch` both format with this. The result is plain text: callers set it as text, never HTML.
 */
export function formatReading(value: number, text: string | undefined, format: ValueFormat = {}): string {
  if (format.kind === 'text') return text ?? '—';
  if (Number.isNaN(value)) return text ?? '—';
  const state = format.states?.get(value);
  if (state !== undefined) return state;
  const unit = format.unit ?? '';
  if (format.kind === 'boolean') return value !== 0 ? formatWords().yes : formatWords().no;
  if (format.kind === 'integer' && Number.isInteger(value) && Math.abs(value) < 1e21) {
    const digits = formatNumber(value, 0);
    return unit ? `${digits} ${unit}` : digits;
  }
  return formatValue(value, unit);
}

/** Named states by number from a twin signal's `map` (the first name wins when two share a number). */
export function statesByNumber(map: Readonly<Record<string, number>> | undefined): ReadonlyMap<number, string> | null {
  if (map === undefined) return null;
  const states = new Map<number, string>();
  for (const [name, n] of Object.entries(map)) if (!states.has(n)) states.set(n, name);
  return states.size > 0 ? states : null;
}

/** "3 s ago", "2 min ago" (German "vor 3 s"): how old a reading is, in the UI's words. */
export function formatAge(ms: number, words = formatWords()): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1500) return words.now;
  if (ms < 90_000) return words.secondsAgo(Math.round(ms / 1000));
  if (ms < 5_400_000) return words.minutesAgo(Math.round(ms / 60_000));
  return words.hoursAgo(Math.round(ms / 3_600_000));
}
