/**
 * `twin validate <file...>`: the same validation the page runs when it loads a twin, from the shell,
 * and then what only the models can tell: that the nodes the twin names are in its model files.
 * Every problem is one line, "<file>: <json path>: <message>", so editors and CI logs can point at it.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateTwinText, type TwinProblem } from '../../src/twin/validate';
import { nodeReferenceProblems } from '../../src/twin/modelNodes';
import { readTwinModels } from './model-files';
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

/**
 * `validateFile`, then the twin's node paths checked against its model files (read from the twin's
 * folder): paths a model does not have, paths that reach several nodes, unreadable models.
 */
export async function validateFileWithModels(file: string): Promise<FileResult> {
  const result = await validateFile(file);
  if (!result.ok) return result;
  const problems = nodeReferenceProblems(result.twin, await readTwinModels(dirname(result.file), result.twin));
  return problems.length ? { file: result.file, ok: false, problems } : result;
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
  synopsis: '<file...> [--no-models]',
  summary: 'check twin documents and the node names they use in their models',
  help: `Usage: npm run twin -- validate <file...> [--no-models]

Checks each twin document as the page does when it loads one: JSON syntax, the schema, and the
references between parts (signals, assets, subscriptions, rule conditions). A folder stands for
the twin.json inside it.

Then it opens the twin's model files (.glb, or .gltf with its external files; only the glTF JSON is
read, so compressed geometry needs no decoder) and checks every node the twin names: binding nodes
(labels included), rule assets, command nodes and instanced assets' colorNode, with the same name
rules as the scene (a name as the glTF writes it or as three.js renames it, ancestors before it:
"plant/Flange_B/Bolt"). A name the model lacks is reported with the names it has, closest first; a
path that reaches several nodes is reported with paths that tell them apart; a model that cannot be
read is reported as such. --no-models skips this step.

Prints one line per problem, "<file>: <json path>: <message>", then a summary; a valid file prints
"✓ <file>: valid (N signals, N bindings, N rules)".

Exit status: 0 every file is valid, 1 a file has problems, 2 a file could not be read (or bad arguments).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { 'no-models': { type: 'boolean' } },
    });
    const check = values['no-models'] ? validateFile : validateFileWithModels;
    if (positionals.length === 0)
      throw new UsageError('validate needs at least one file, e.g. models/pump-station/twin.json');

    let problems = 0;
    let badFiles = 0;
    let unreadable = 0;
    for (const arg of positionals) {
      const result = await check(arg);
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
