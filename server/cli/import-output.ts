/**
 * What `from-wot` and `from-dtdl` share around their pure importers (src/twin/importers): reading the
 * source document, the notes printed one per line as "<file>: <json path>: <message>" (stderr, so a
 * printed twin stays clean JSON), the twin's id from the folder it is written into, and writing it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ImportResult } from '../../src/twin/importers/common';
import { UsageError } from '../flags';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, plural, type CliIo } from './command';

/** The source document, parsed; a file that cannot be read or is not JSON is a usage error (exit 2). */
export async function readJsonSource(file: string): Promise<{ ok: true; doc: unknown } | { ok: false; error: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    return { ok: false, error: code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err) };
  }
  try {
    return { ok: true, doc: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (err) {
    return { ok: false, error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** --id: id characters only. */
export function checkId(id: string | undefined): void {
  if (id !== undefined && !/^[A-Za-z0-9_.-]+$/.test(id)) {
    throw new UsageError(`--id "${id}": use letters, digits, "_", "-" and "."`);
  }
}

/** The id the folder gives: models/north-plant/twin.json → "north-plant"; north.json → "north". */
export function idFromOut(out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  const file = basename(out);
  const name = file === 'twin.json' ? basename(dirname(resolve(out))) : file.replace(/\.json$/i, '');
  const id = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return id || undefined;
}

/**
 * Prints the notes and writes (or prints) the twin. Exit 0 when written, notes or not; 1 when
 * nothing could be imported or the twin made does not validate; 2 when the source cannot be read.
 */
export async function finishImport(
  source: string,
  result: ImportResult | { ok: false; unreadable: string },
  out: string | undefined,
  io: CliIo,
): Promise<number> {
  if ('unreadable' in result) {
    io.err(`✗ ${source}: cannot read: ${result.unreadable}`);
    return EXIT_USAGE;
  }
  for (const n of result.notes) io.err(`${source}: ${n.path}: ${n.message}`);
  if (!result.ok) {
    if ('problems' in result) for (const p of result.problems) io.err(`generated twin: ${p.path}: ${p.message}`);
    io.err(`✗ ${source}: ${result.error}`);
    return EXIT_PROBLEMS;
  }
  const text = `${JSON.stringify(result.twin, null, 2)}\n`;
  const made = `${plural(result.twin.signals?.length ?? 0, 'signal')}, ${plural(result.twin.commands?.length ?? 0, 'command')}`;
  const noted = result.notes.length ? `; ${plural(result.notes.length, 'note')} above` : '';
  if (out !== undefined) {
    try {
      await mkdir(dirname(resolve(out)), { recursive: true });
      await writeFile(out, text);
    } catch (err) {
      io.err(`✗ cannot write ${out}: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT_USAGE;
    }
    io.err(`✓ wrote ${out}: ${made}${noted}`);
  } else {
    io.out(text.trimEnd());
    io.err(`✓ ${made}${noted}`);
  }
  return EXIT_OK;
}
