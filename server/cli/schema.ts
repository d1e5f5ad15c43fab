/**
 * `twin schema [--check]`: models/twin.schema.json, generated from the zod schema in src/twin/schema.ts
 * so editors complete and check twin files ("$schema": "../twin.schema.json"). The zod schema stays
 * the single source; this file is derived and committed, and CI runs `--check` to keep it in step.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { twinSchema } from '../../src/twin/schema';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliCommand } from './command';

/** Where the generated schema lives: beside the twin folders, so a twin.json says "../twin.schema.json". */
export const SCHEMA_FILE = fileURLToPath(new URL('../../models/twin.schema.json', import.meta.url));
export const SCHEMA_ID = 'urn:twinview:twin.schema.json';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema (draft-07, the draft editors support most widely) of a twin document as written:
 * fields with defaults are optional. Deterministic: the same zod schema always gives the same object.
 */
export function twinJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(twinSchema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => tidy(zodSchema, jsonSchema as JsonObject),
  }) as JsonObject;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'Twinview twin',
    description:
      'A Twinview digital twin (models/<twin>/twin.json): broker connection, glTF assets, signals, bindings of signals to scene nodes, alarm rules, views, panels and commands. Format: docs/twin-format.md.',
    $comment: 'Generated from src/twin/schema.ts by `npm run twin -- schema`; do not edit by hand.',
    ...rest,
  };
}

/**
 * Small fixes to zod's output: integer bounds that only restate JavaScript's safe-integer range are
 * dropped, and case-insensitive regexes (JSON Schema patterns carry no flags) are spelled out.
 */
function tidy(zodSchema: unknown, json: JsonObject): void {
  if (json.type === 'integer') {
    if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
    if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  }
  if (typeof json.pattern === 'string') {
    const checks =
      (zodSchema as { _zod?: { def?: { checks?: { _zod?: { def?: { pattern?: unknown } } }[] } } })._zod?.def?.checks ??
      [];
    for (const check of checks) {
      const pattern = check._zod?.def?.pattern;
      if (pattern instanceof RegExp && pattern.source === json.pattern && pattern.flags.includes('i')) {
        json.pattern = caseInsensitive(pattern.source);
      }
    }
  }
}

/**
 * Rewrites a regex source so it matches both cases without the "i" flag: "glb" becomes "[gG][lL][bB]".
 * Enough for the patterns of the twin schema: letters, classes and ranges; not \\x or \\u escapes.
 */
export function caseInsensitive(source: string): string {
  const swap = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
  const letter = (c: string | undefined) => c !== undefined && /^[a-zA-Z]$/.test(c);
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      out += c + (source[++i] ?? '');
    } else if (inClass) {
      if (c === ']') inClass = false;
      if (letter(c) && source[i + 1] === '-' && letter(source[i + 2])) {
        // A letter range inside a class: "a-f" becomes "a-fA-F".
        const to = source[i + 2];
        out += `${c}-${to}${swap(c)}-${swap(to)}`;
        i += 2;
      } else out += letter(c) ? c + swap(c) : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
    } else {
      out += letter(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}

/** The file's text: JSON formatted by the project's Prettier settings, so `prettier --check` agrees. */
export async function renderTwinJsonSchema(file = SCHEMA_FILE): Promise<string> {
  const json = `${JSON.stringify(twinJsonSchema(), null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(json, { ...options, filepath: file });
  } catch {
    return json; // Prettier is a dev dependency; without it the plain JSON is still the same schema
  }
}

/** Is the file's schema the one the zod schema gives now? Compared as JSON, so formatting does not count. */
export async function schemaFileState(file = SCHEMA_FILE): Promise<'current' | 'stale' | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return (err as { code?: unknown }).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(twinJsonSchema()) ? 'current' : 'stale';
  } catch {
    return 'stale';
  }
}

export async function writeTwinJsonSchema(file = SCHEMA_FILE): Promise<void> {
  await writeFile(file, await renderTwinJsonSchema(file));
}

const display = (file: string) => relative(process.cwd(), file) || file;

export const schemaCommand: CliCommand = {
  name: 'schema',
  synopsis: '[--check]',
  summary: 'write models/twin.schema.json from src/twin/schema.ts (--check: fail if it is out of date)',
  help: `Usage: npm run twin -- schema [--check]

Writes models/twin.schema.json, the JSON Schema of the twin format, generated from the zod schema in
src/twin/schema.ts. Twin files point at it with "$schema": "../twin.schema.json" so editors complete
and check them.

  --check   write nothing; exit 1 if the file is missing or differs from what would be generated

Exit status: 0 written or up to date, 1 out of date (--check), 2 bad arguments or a write error.`,
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { check: { type: 'boolean' } } });
    const file = display(SCHEMA_FILE);
    if (values.check) {
      const state = await schemaFileState();
      if (state === 'current') {
        io.out(`✓ ${file} is up to date`);
        return EXIT_OK;
      }
      const why = state === 'stale' ? 'is out of date' : state === 'missing' ? 'is missing' : 'cannot be read';
      io.err(`✗ ${file} ${why}: run \`npm run twin -- schema\` and commit the result`);
      return state === 'unreadable' ? EXIT_USAGE : EXIT_PROBLEMS;
    }
    try {
      await writeTwinJsonSchema();
    } catch (err) {
      io.err(`✗ cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT_USAGE;
    }
    io.out(`✓ wrote ${file}`);
    return EXIT_OK;
  },
};
