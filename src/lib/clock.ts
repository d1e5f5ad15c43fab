/**
 * Wall-clock times for people, in the browser's locale. The formatters are made once: a trend's axis
 * formats its ticks many times per render, and `toLocaleTimeString` builds a new formatter on every
 * call (it was the largest single cost of an idle dashboard).
 */
const withSeconds = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const toMinutes = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "2:51:16 PM" / "14:51:16": what `toLocaleTimeString()` gives. */
export function clockTime(t: number): string {
  return withSeconds.format(t);
}

/** "02:51 PM" / "14:51": hours and minutes, for axis ticks. */
export function clockMinutes(t: number): string {
  return toMinutes.format(t);
}
