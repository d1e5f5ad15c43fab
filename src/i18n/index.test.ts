import { afterEach, describe, expect, it, vi } from 'vitest';
import i18next from 'i18next';
import {
  chooseLanguage,
  currentLanguage,
  formatLocaleFor,
  initI18n,
  LANGUAGE_STORAGE_KEY,
  languageOf,
  loadPageText,
} from './index';
import { english } from './resources';
import { formatAge, formatValue } from '../lib/format';
import { setDisplayLocale } from '../lib/locale';

/** A browser as far as the language detector looks: the URL, localStorage and navigator.languages. */
function browser({ search = '', saved, languages = [] }: { search?: string; saved?: string; languages?: string[] }) {
  const store = new Map<string, string>(saved === undefined ? [] : [[LANGUAGE_STORAGE_KEY, saved]]);
  const localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  };
  vi.stubGlobal('window', { location: { search, hash: '' }, localStorage });
  vi.stubGlobal('navigator', { languages, language: languages[0] });
  vi.stubGlobal('document', { documentElement: { lang: 'en' } });
  return store;
}

async function detected() {
  return currentLanguage(await initI18n(i18next.createInstance()));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setDisplayLocale(undefined);
});

describe('language detection', () => {
  it('takes ?lang= before a saved choice and the browser', async () => {
    browser({ search: '?twin=x&lang=de', saved: 'en', languages: ['en-US'] });
    expect(await detected()).toBe('de');
  });

  it('takes the saved choice before the browser', async () => {
    browser({ saved: 'en', languages: ['de-DE', 'de'] });
    expect(await detected()).toBe('en');
  });

  it("takes the browser's first supported language, regional variants included", async () => {
    browser({ languages: ['fr-FR', 'de-AT', 'en'] });
    expect(await detected()).toBe('de');
  });

  it('skips an unsupported ?lang= and goes on down the order', async () => {
    browser({ search: '?lang=xx', languages: ['de-DE'] });
    expect(await detected()).toBe('de');
  });

  it('falls back to English when nothing supported is asked for', async () => {
    browser({ languages: ['fr-FR', 'ja'] });
    expect(await detected()).toBe('en');
  });

  it('loads German so its text is there before the first render, and sets <html lang>', async () => {
    browser({ languages: ['de-DE'] });
    const instance = await initI18n(i18next.createInstance());
    expect(instance.t('common:language')).toBe('Sprache');
    expect((document as { documentElement: { lang: string } }).documentElement.lang).toBe('de');
  });
});

describe('chooseLanguage', () => {
  it('switches the text and saves the choice; a ?lang= is never saved', async () => {
    const store = browser({ search: '?lang=de', languages: ['en-US'] });
    const instance = await initI18n(i18next.createInstance());
    expect(store.has(LANGUAGE_STORAGE_KEY)).toBe(false);
    await chooseLanguage('en', instance);
    expect(instance.t('common:language')).toBe('Language');
    expect(store.get(LANGUAGE_STORAGE_KEY)).toBe('en');
  });
});

describe("a page's own text (the editor)", () => {
  it('is not in the first load; the page loads it in the UI language and English before it renders', async () => {
    expect(Object.keys(english).filter((ns) => ns.startsWith('editor'))).toEqual([]);
    browser({ languages: ['de-DE'] });
    const instance = await initI18n(i18next.createInstance());
    expect(instance.hasResourceBundle('de', 'editor')).toBe(false);
    await loadPageText('editor', instance);
    for (const ns of ['editor', 'editorScene', 'editorSignals']) {
      expect(instance.hasResourceBundle('de', ns), `de/${ns}`).toBe(true);
      expect(instance.hasResourceBundle('en', ns), `en/${ns}`).toBe(true);
    }
    expect(instance.getResourceBundle('de', 'editor')).not.toEqual(instance.getResourceBundle('en', 'editor'));
  });
});

describe('languageOf', () => {
  it('maps codes to a supported language', () => {
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('DE')).toBe('de');
    expect(languageOf('en_GB')).toBe('en');
    expect(languageOf('pt')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });
});

describe('number and date locale', () => {
  it("uses the browser's own regional variant of the UI language, else the language", () => {
    expect(formatLocaleFor('en', ['de-DE', 'en-GB'])).toBe('en-GB');
    expect(formatLocaleFor('de', ['en-US', 'de-AT'])).toBe('de-AT');
    expect(formatLocaleFor('de', ['en-US'])).toBe('de');
  });

  it('formats values and ages for the detected language once set up', async () => {
    browser({ languages: ['de-DE'] });
    await initI18n(i18next.createInstance());
    expect(formatValue(64.34, '°C')).toBe('64,3 °C');
    expect(formatAge(12_000)).toBe('vor 12 s');
  });
});
