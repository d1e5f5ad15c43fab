import i18next, { type i18n as I18n, type InitOptions } from 'i18next';
import LanguageDetector, { type DetectorOptions } from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { setDisplayLocale, type FormatWords } from '../lib/locale';
import type { ReadingState } from '../lib/staleness';
import { conditionText, reasonText } from '../panels/readingWords';
import {
  english,
  isLanguage,
  LANGUAGES,
  loadLanguage,
  loadPageLanguage,
  NAMESPACES,
  type Language,
  type Page,
} from './resources';

export { LANGUAGES, LANGUAGE_NAMES, isLanguage, type Language } from './resources';

/** Where the operator's choice from the language switch is kept. */
export const LANGUAGE_STORAGE_KEY = 'twinview.language';

/**
 * Where the language comes from, first match wins: `?lang=de` (kiosk walls, embeds, links), the
 * operator's saved choice, then the browser's languages in its order. Nothing is cached by the
 * detector: a kiosk's `?lang=` must not become the desk's saved choice; only the switch saves.
 */
export const DETECTION: DetectorOptions = {
  order: ['querystring', 'localStorage', 'navigator'],
  lookupQuerystring: 'lang',
  lookupLocalStorage: LANGUAGE_STORAGE_KEY,
  caches: [],
};

export function initOptions(): InitOptions {
  return {
    resources: { en: english },
    // German arrives later (its own chunk): i18next must not treat the bundled English as all there is.
    partialBundledLanguages: true,
    supportedLngs: [...LANGUAGES],
    // 'de-DE', 'de-AT' from the browser mean German.
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    ns: [...NAMESPACES],
    defaultNS: 'common',
    // React escapes what it renders; escaping here too would show '&amp;' in text.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    detection: DETECTION,
  };
}

/** The supported language an i18next language code stands for ('de-DE' -> 'de'), English otherwise. */
export function languageOf(code: string | undefined): Language {
  const primary = (code ?? '').toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : 'en';
}

/** The active UI language (one of LANGUAGES). */
export function currentLanguage(instance: I18n = i18next): Language {
  return languageOf(instance.resolvedLanguage ?? instance.language);
}

/** The pages (the editor) opened in this tab: a language chosen later loads their words too. */
const pagesInUse = new Set<Page>();

function addBundles(instance: I18n, language: Language, resources: Record<string, unknown>): void {
  for (const [ns, bundle] of Object.entries(resources)) instance.addResourceBundle(language, ns, bundle, true, true);
}

async function ensurePage(instance: I18n, language: Language, page: Page): Promise<void> {
  if (instance.hasResourceBundle(language, page)) return;
  addBundles(instance, language, await loadPageLanguage(language, page));
}

async function ensureLoaded(instance: I18n, language: Language): Promise<void> {
  if (!instance.hasResourceBundle(language, 'common')) addBundles(instance, language, await loadLanguage(language));
  for (const page of pagesInUse) await ensurePage(instance, language, page);
}

/**
 * Loads a page's own namespaces (the editor's) in the UI language and in English (the fallback)
 * before the page renders; the page's chunk awaits it beside its code.
 */
export async function loadPageText(page: Page, instance: I18n = i18next): Promise<void> {
  pagesInUse.add(page);
  const language = currentLanguage(instance);
  await Promise.all([ensurePage(instance, 'en', page), ensurePage(instance, language, page)]);
}

/**
 * The locale for numbers and dates: the browser's own regional variant of the UI language when it
 * has one ('en-GB' keeps its 24-hour clock, 'de-CH' its own marks), else the language itself.
 */
export function formatLocaleFor(language: Language, browserLanguages: readonly string[] = browserLocales()): string {
  return browserLanguages.find((l) => languageOf(l) === language && isValidLocale(l)) ?? language;
}

function browserLocales(): readonly string[] {
  return typeof navigator !== 'undefined' && navigator.languages ? navigator.languages : [];
}

function isValidLocale(locale: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf(locale).length > 0;
  } catch {
    return false;
  }
}

/** The formatters' words (src/lib/locale.ts) from the common namespace. */
function formatWordsOf(instance: I18n, language: Language): FormatWords {
  const t = instance.getFixedT(language, 'common');
  return {
    now: t('format.now'),
    secondsAgo: (count) => t('format.secondsAgo', { count }),
    minutesAgo: (count) => t('format.minutesAgo', { count }),
    hoursAgo: (count) => t('format.hoursAgo', { count }),
    yes: t('format.true'),
    no: t('format.false'),
    condition: (state) => conditionText(state as ReadingState, t),
    reason: (reason) => reasonText(reason, t),
  };
}

function follow(instance: I18n, code: string): void {
  const language = languageOf(code);
  setDisplayLocale(formatLocaleFor(language), formatWordsOf(instance, language));
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/**
 * Sets up an i18next instance: detects the language, loads its resources, and keeps `<html lang>`
 * in step. The app awaits this once before its first render (main.tsx); tests pass a fresh instance.
 */
export async function initI18n(instance: I18n = i18next): Promise<I18n> {
  instance.on('languageChanged', (code: string) => follow(instance, code));
  await instance.use(LanguageDetector).use(initReactI18next).init(initOptions());
  const language = languageOf(instance.language);
  try {
    await ensureLoaded(instance, language);
    await instance.changeLanguage(language);
  } catch (error) {
    // The German chunk did not load (server gone while a kiosk reloads): English beats a blank page.
    console.warn('Twinview: could not load the UI language', language, error);
    await instance.changeLanguage('en');
  }
  return instance;
}

/** The language switch: loads the language if needed, changes to it, and saves the choice. */
export async function chooseLanguage(language: Language, instance: I18n = i18next): Promise<void> {
  await ensureLoaded(instance, language);
  await instance.changeLanguage(language);
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage off (private mode, policy): the choice holds for this page only.
  }
}

export { i18next as i18n };
