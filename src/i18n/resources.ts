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
// from the app's own origin only when German is chosen.
const englishModules = import.meta.glob<Namespace>('./locales/en/*.json', { eager: true, import: 'default' });
const germanModules = import.meta.glob<Namespace>('./locales/de/*.json', { import: 'default' });

export const english: ResourceLanguage = byNamespace(englishModules);

/** The namespaces there are (English decides: it is complete by definition). */
export const NAMESPACES: readonly string[] = Object.keys(english).sort();

const lazy: Readonly<Record<Language, () => Promise<ResourceLanguage>>> = {
  en: () => Promise.resolve(english),
  de: async () => {
    const entries = await Promise.all(
      Object.entries(germanModules).map(async ([path, load]) => [path, await load()] as const),
    );
    return byNamespace(Object.fromEntries(entries));
  },
};

/** One language's resources, every namespace. */
export function loadLanguage(language: Language): Promise<ResourceLanguage> {
  return lazy[language]();
}

/** Every language's resources (tests, and the key-parity check). */
export async function loadAll(): Promise<Resource> {
  const out: Resource = {};
  for (const language of LANGUAGES) out[language] = await loadLanguage(language);
  return out;
}
