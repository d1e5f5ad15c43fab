/**
 * The locale numbers, dates and times are shown in, and the few words the pure formatters write
 * ("now", "3 s ago", true/false). The UI's i18n setup (src/i18n) sets both when the language changes;
 * until then (and in Node: `twin watch`, tests) it is the runtime's default locale and English words.
 * Module state on purpose: the formatters are called from the telemetry store and per-frame scene
 * labels, where threading a locale through every call would touch every caller for one setting.
 */

/** The words the formatters need, in the UI language. */
export interface FormatWords {
  now: string;
  secondsAgo(n: number): string;
  minutesAgo(n: number): string;
  hoursAgo(n: number): string;
  yes: string;
  no: string;
  /** A reading's condition word ('stale' -> German 'veraltet'), for scene labels and tooltips. */
  condition(state: string): string;
  /** Why a reading is not live (src/lib/staleness.ts's English reasons), in the UI language. */
  reason(reason: string): string;
}

export const ENGLISH_WORDS: FormatWords = {
  now: 'now',
  secondsAgo: (n) => `${n} s ago`,
  minutesAgo: (n) => `${n} min ago`,
  hoursAgo: (n) => `${n} h ago`,
  yes: 'true',
  no: 'false',
  condition: (state) => state,
  reason: (reason) => reason,
};

let activeLocale: string | undefined;
let activeWords: FormatWords = ENGLISH_WORDS;

/** A BCP 47 locale ('de', 'de-AT', 'en-GB'); undefined: the runtime's default. */
export function setDisplayLocale(locale: string | undefined, words: FormatWords = ENGLISH_WORDS): void {
  activeLocale = locale;
  activeWords = words;
}

export function displayLocale(): string | undefined {
  return activeLocale;
}

export function formatWords(): FormatWords {
  return activeWords;
}

/** Formatters by locale, then by style: looked up without building a key string (no garbage per call). */
export type FormatterCache<F> = Map<string | undefined, Map<string | number, F>>;

/**
 * One formatter per locale and style, made on first use: building an Intl formatter costs far more
 * than formatting with one, and values are formatted many times a second (scene labels every frame).
 */
export function cachedFormatter<F, S extends string | number>(
  cache: FormatterCache<F>,
  locale: string | undefined,
  style: S,
  // A module-level function, not a closure made per call: nothing is allocated when the cache hits.
  make: (locale: string | undefined, style: S) => F,
): F {
  let styles = cache.get(locale);
  if (styles === undefined) {
    styles = new Map();
    cache.set(locale, styles);
  }
  let f = styles.get(style);
  if (f === undefined) {
    f = make(locale, style);
    styles.set(style, f);
  }
  return f;
}
