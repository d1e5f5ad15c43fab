import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadAll, NAMESPACES } from './resources';

/** Every leaf key of a nested resource object, dotted ('banner.count_one'). */
function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  } else out.set(prefix, value);
  return out;
}

describe('translation resources', async () => {
  const all = await loadAll();

  it('have the same namespaces in every language', () => {
    for (const language of LANGUAGES) expect(Object.keys(all[language]).sort(), language).toEqual([...NAMESPACES]);
  });

  // German stays complete: a key added in English only (or German only) fails here, named.
  for (const ns of NAMESPACES)
    it(`namespace "${ns}" has exactly the same keys in every language, none empty`, () => {
      const english = leaves(all.en[ns]);
      for (const language of LANGUAGES) {
        const keys = leaves(all[language][ns]);
        expect([...keys.keys()].sort(), `${language}/${ns}.json keys`).toEqual([...english.keys()].sort());
        for (const [key, value] of keys) {
          expect(typeof value, `${language}/${ns}.json ${key}`).toBe('string');
          expect((value as string).trim(), `${language}/${ns}.json ${key} is empty`).not.toBe('');
        }
      }
    });
});
