/**
 * Wall-clock times and dates for people, in the UI's locale (src/lib/locale.ts: the browser's own
 * regional variant of the UI language, or the runtime's default). The formatters are made once per
 * locale: a trend's axis formats its ticks many times per render, and `toLocaleTimeString` builds a
 * new formatter on every call (it was the largest single cost of an idle dashboard).
 */
import { cachedFormatter, displayLocale, type FormatterCache } from './locale';

const formatters: FormatterCache<Intl.DateTimeFormat> = new Map();

type Style = 'time' | 'minutes' | 'date-time';
const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  time: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
  minutes: { hour: '2-digit', minute: '2-digit' },
  'date-time': { dateStyle: 'medium', timeStyle: 'medium' },
};
const makeFormat = (locale: string | undefined, style: Style) => new Intl.DateTimeFormat(locale, OPTIONS[style]);

/** "2:51:16 PM" / "14:51:16": what `toLocaleTimeString()` gives. */
export function clockTime(t: number): string {
  return cachedFormatter(formatters, displayLocale(), 'time', makeFormat).format(t);
}

/** "02:51 PM" / "14:51": hours and minutes, for axis ticks. */
export function clockMinutes(t: number): string {
  return cachedFormatter(formatters, displayLocale(), 'minutes', makeFormat).format(t);
}

/** "Nov 30, 2026, 3:04:05 PM" / "30.11.2026, 15:04:05": a date with its time, for logs. */
export function dateTime(t: number): string {
  return cachedFormatter(formatters, displayLocale(), 'date-time', makeFormat).format(t);
}
