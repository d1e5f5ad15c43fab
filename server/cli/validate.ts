/**
 * `twin validate <file...>`: the same validation the page runs when it loads a twin, from the shell.
 * Every problem is one line, "<file>: <json path>: <message>", so editors and CI logs can point at it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateTwinText, type TwinProblem } from '../../src/twin/validate';
import type { Twin } from '../../src/twin/schema';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, plural, type CliCommand } from './command';
import { UsageError } from '../flags';

export type FileResult =
  | { file: string; ok: true; twin: Twin }
  | { file: string; ok: false; problems: TwinProblem[] }
  | { file: string; ok: false; unreadable: string };

/** Reads and validates one twin file; a folder stands for the twin.json inside it (and `file` says so). */
export async function validateFile(file: string): Promise<FileResult> {
  let text: string;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'twin.json');
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { file, ok: false, unreadable: readError(err) };
  }
  const result = validateTwinText(text);
  return result.ok ? { file, ok: true, twin: result.twin } : { file, ok: false, problems: result.problems };
}

function readError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return err instanceof Error ? err.message : String(err);
}

export function validSummary(file: string, twin: Twin): string {
  const counts = [
    plural(twin.signals.length, 'signal'),
    plural(twin.bindings.length, 'binding'),
    plural(twin.rules.length, 'rule'),
  ];
  return `✓ ${file}: valid (${counts.join(', ')})`;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  synopsis: '<file...>',
  summary: 'check twin documents; prints every problem with its JSON path',
  help: `Usage: npm run twin -- validate <file...>

Checks each twin document as the page does when it loads one: JSON syntax, the schema, and the
references between parts (signals, assets, subscriptions, rule conditions). A folder stands for
the twin.json inside it.

Prints one line per problem, "<file>: <json path>: <message>", then a summary; a valid file prints
"✓ <file>: valid (N signals, N bindings, N rules)".

Exit status: 0 every file is valid, 1 a file has problems, 2 a file could not be read (or bad arguments).`,
  async run(args, io) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    if (positionals.length === 0)
      throw new UsageError('validate needs at least one file, e.g. models/pump-station/twin.json');

    let problems = 0;
    let badFiles = 0;
    let unreadable = 0;
    for (const arg of positionals) {
      const result = await validateFile(arg);
      const { file } = result;
      if (result.ok) {
        io.out(validSummary(file, result.twin));
      } else if ('unreadable' in result) {
        unreadable++;
        io.err(`✗ ${file}: cannot read: ${result.unreadable}`);
      } else {
        badFiles++;
        problems += result.problems.length;
        for (const p of result.problems) io.out(`${file}: ${p.path}: ${p.message}`);
      }
    }

    const valid = positionals.length - badFiles - unreadable;
    if (problems > 0) {
      const of = positionals.length > 1 ? ` (${plural(valid, 'file')} valid)` : '';
      io.out(`✗ ${plural(problems, 'problem')} in ${plural(badFiles, 'file')}${of}`);
    } else if (unreadable === 0 && positionals.length > 1) {
      io.out(`✓ all ${plural(valid, 'file')} valid`);
    }
    if (unreadable > 0) return EXIT_USAGE;
    return problems > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
