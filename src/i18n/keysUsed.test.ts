import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAll, NAMESPACES } from './resources';

// A key looked up in a namespace that lacks it, or in one the page has not loaded, shows the raw key to
// the user ("editLink" in the dashboard's top bar, from the editor's namespace). This reads every
// component's `useTranslation(ns)` bindings and the literal keys it looks up through them.

const SRC = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

interface Lookup {
  file: string;
  line: number;
  ns: string;
  key: string;
}

const BINDING = /const\s*\{\s*t(?:\s*:\s*(\w+))?\s*(?:,[^}]*)?\}\s*=\s*useTranslation\(\s*(?:'([^']+)')?/g;

/** The literal keys each file looks up, with the namespace of the `t` it called. */
export function lookups(file: string, text: string): Lookup[] {
  const bindings: { at: number; name: string; ns: string }[] = [];
  for (const m of text.matchAll(BINDING)) bindings.push({ at: m.index, name: m[1] ?? 't', ns: m[2] ?? 'common' });
  if (bindings.length === 0) return [];
  const names = [...new Set(bindings.map((b) => b.name))].join('|');
  const call = new RegExp(`\\b(${names})\\(\\s*'([^']+)'(\\s*,\\s*\\{[^}]*?\\bns:\\s*'([^']+)')?`, 'g');
  const out: Lookup[] = [];
  for (const m of text.matchAll(call)) {
    // The nearest binding of that name before the call (components of one file bind their own).
    const binding = bindings.filter((b) => b.name === m[1] && b.at < m.index).at(-1);
    if (!binding) continue;
    let ns = m[4] ?? binding.ns;
    let key = m[2];
    const colon = key.indexOf(':');
    if (colon > 0) [ns, key] = [key.slice(0, colon), key.slice(colon + 1)];
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ file, line, ns, key });
  }
  return out;
}

/** A key resolves when its path is there, or it is a plural (key_one / key_other). */
function resolves(bundle: unknown, key: string): boolean {
  let value: unknown = bundle;
  const parts = key.split('.');
  for (const [i, part] of parts.entries()) {
    if (value === null || typeof value !== 'object') return false;
    const node = value as Record<string, unknown>;
    if (part in node) value = node[part];
    else return i === parts.length - 1 && (`${part}_one` in node || `${part}_other` in node);
  }
  return true;
}

describe('the keys the components look up', async () => {
  const { en } = await loadAll();
  const all = sources(SRC).flatMap((path) => lookups(relative(SRC, path), readFileSync(path, 'utf8')));

  it('are found by reading the sources (the check below reads real lookups)', () => {
    expect(all.length).toBeGreaterThan(400);
    expect(new Set(all.map((l) => l.ns)).size).toBeGreaterThan(5);
  });

  it('exist in the namespace they are looked up in', () => {
    const missing = all.filter((l) => !(NAMESPACES as readonly string[]).includes(l.ns) || !resolves(en[l.ns], l.key));
    expect(missing.map((l) => `${l.file}:${l.line} ${l.ns}:${l.key}`)).toEqual([]);
  });

  it("use the editor's namespaces only in the editor, the only page that loads them", () => {
    const outside = all.filter((l) => l.ns.startsWith('editor') && !l.file.startsWith('editor/'));
    expect(outside.map((l) => `${l.file}:${l.line} ${l.ns}:${l.key}`)).toEqual([]);
  });

  it('are read with their aliases and explicit namespaces', () => {
    const text = [
      "const { t } = useTranslation('alarms');",
      "const { t: tl } = useTranslation('timeline');",
      "t('audit.shared'); tl('speed'); t('x', { ns: 'trends' }); t('common:ok');",
    ].join('\n');
    expect(lookups('f.tsx', text).map((l) => `${l.ns}:${l.key}`)).toEqual([
      'alarms:audit.shared',
      'timeline:speed',
      'trends:x',
      'common:ok',
    ]);
  });
});
