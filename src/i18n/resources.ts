import type { Resource, ResourceLanguage } from 'i18next';

/** The languages the UI is complete in (every namespace has every key in each; see resources.test.ts). */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for the language switch (shown in that language, not translated). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', de: 'Deutsch' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

type Namespace = Record<string, unknown>;

/** './locales/en/alarms.json' -> 'alarms' */
function namespaceOf(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.slice(0, -'.json'.length);
}

function byNamespace(modules: Record<string, Namespace>): ResourceLanguage {
  const out: ResourceLanguage = {};
  for (const [path, json] of Object.entries(modules)) out[namespaceOf(path)] = json;
  return out;
}

// Every JSON file in locales/<lang>/ is a namespace, registered by being there (no list to edit).
// English is bundled with the first load (it is the fallback); German is its own chunk, fetched
// from the app's own origin only when German is chosen. A page that loads on its own (the editor,
// `editor*.json`) brings its namespaces with it in every language: an operator's first load does not
// carry the editor's words (the initial JavaScript budget, tools/bundle-size.ts).
const englishModules = import.meta.glob<Namespace>(['./locales/en/*.json', '!./locales/en/editor*.json'], {
  eager: true,
  import: 'default',
});
const englishPageModules = import.meta.glob<Namespace>('./locales/en/editor*.json', { import: 'default' });
const germanModules = import.meta.glob<Namespace>('./locales/de/*.json', { import: 'default' });

/** The pages whose namespaces load with the page: the namespace's name starts with the page's. */
export const PAGES = ['editor'] as const;
export type Page = (typeof PAGES)[number];

export const english: ResourceLanguage = byNamespace(englishModules);

/** Whether a namespace belongs to a page that loads on its own. */
export function isPageNamespace(ns: string): boolean {
  return PAGES.some((page) => ns.startsWith(page));
}

/** The namespaces there are, first load and pages (English decides: it is complete by definition). */
export const NAMESPACES: readonly string[] = [
  ...Object.keys(english),
  ...Object.keys(englishPageModules).map(namespaceOf),
].sort();

async function loadModules(modules: Record<string, () => Promise<Namespace>>, keep: (ns: string) => boolean) {
  const entries = await Promise.all(
    Object.entries(modules)
      .filter(([path]) => keep(namespaceOf(path)))
      .map(async ([path, load]) => [path, await load()] as const),
  );
  return byNamespace(Object.fromEntries(entries));
}

const firstLoad = (ns: string) => !isPageNamespace(ns);

const lazy: Readonly<Record<Language, () => Promise<ResourceLanguage>>> = {
  en: () => Promise.resolve(english),
  de: () => loadModules(germanModules, firstLoad),
};

/** One language's resources for the first load: every namespace but the pages'. */
export function loadLanguage(language: Language): Promise<ResourceLanguage> {
  return lazy[language]();
}

/** One language's namespaces of a page (the editor's), fetched from the app's own origin. */
export function loadPageLanguage(language: Language, page: Page): Promise<ResourceLanguage> {
  const ofPage = (ns: string) => ns.startsWith(page);
  return loadModules(language === 'en' ? englishPageModules : germanModules, ofPage);
}

/** Every language's resources, every namespace (tests, and the key-parity check). */
export async function loadAll(): Promise<Resource> {
  const out: Resource = {};
  for (const language of LANGUAGES) {
    out[language] = await loadLanguage(language);
    for (const page of PAGES) Object.assign(out[language], await loadPageLanguage(language, page));
  }
  return out;
}
