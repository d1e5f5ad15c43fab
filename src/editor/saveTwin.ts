/**
 * Saving the draft (issue 15): to the server when it allows it (tools/vite-plugin-editor.ts: npm start
 * on this machine), else as a download of `<folder>.zip` holding the twin folder. The request, the
 * zip and the answers' meanings are here, apart from the page, so they are unit-tested.
 */
import { strToU8, zipSync } from 'three/examples/jsm/libs/fflate.module.js';
import { formatTwin } from './format';
import type { TwinDoc } from './draft';
import type { TwinProblem } from '../twin/validate';

export const EDITOR_API = '/api/editor/v1';

/** Models above this size get a note offering `npm run models -- optimize`. */
export const LARGE_MODEL_BYTES = 5 * 1024 * 1024;

export interface SaveStatus {
  save: boolean;
  /** The folder twins are saved into, as the server names it ("models"). */
  dir: string;
}

/** The server's saving status; a server without the editor API (static hosting, npm run serve) cannot save. */
export async function fetchSaveStatus(fetchFn: typeof fetch = fetch): Promise<SaveStatus> {
  try {
    const res = await fetchFn(`${EDITOR_API}/status`);
    if (!res.ok) return { save: false, dir: '' };
    const body = (await res.json()) as Partial<SaveStatus>;
    return { save: body.save === true, dir: typeof body.dir === 'string' ? body.dir : '' };
  } catch {
    return { save: false, dir: '' };
  }
}

/** The folder a draft saves into: the one it was opened from, else its id. */
export function saveFolder(folder: string | null, doc: TwinDoc): string {
  return folder ?? (typeof doc.id === 'string' ? doc.id : '');
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode(...bytes) of a whole model overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The PUT body: the formatted twin.json, the files in base64, and whether to replace the folder's twin. */
export async function saveBody(doc: TwinDoc, files: Record<string, Blob>, overwrite: boolean): Promise<string> {
  const encoded: Record<string, string> = {};
  for (const [path, blob] of Object.entries(files)) encoded[path] = base64(new Uint8Array(await blob.arrayBuffer()));
  return JSON.stringify({ twinJson: formatTwin(doc), files: encoded, overwrite });
}

export type SaveResult =
  { ok: true; path: string; folder: string } | { ok: false; status: number; error: string; problems?: TwinProblem[] };

export async function saveToServer(
  folder: string,
  doc: TwinDoc,
  files: Record<string, Blob>,
  overwrite: boolean,
  fetchFn: typeof fetch = fetch,
): Promise<SaveResult> {
  let res: Response;
  try {
    res = await fetchFn(`${EDITOR_API}/twins/${encodeURIComponent(folder)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: await saveBody(doc, files, overwrite),
    });
  } catch (err) {
    return {
      ok: false,
      status: 0,
      error: `the server could not be reached: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (res.ok && body.ok === true) return { ok: true, path: String(body.path), folder };
  return {
    ok: false,
    status: res.status,
    error: typeof body.error === 'string' ? body.error : `HTTP ${res.status}`,
    problems: Array.isArray(body.problems) ? (body.problems as TwinProblem[]) : undefined,
  };
}

/** The zip of the twin folder: `<folder>/twin.json` and its files, for a server that cannot save. */
export async function zipTwin(folder: string, doc: TwinDoc, files: Record<string, Blob>): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = { [`${folder}/twin.json`]: strToU8(formatTwin(doc)) };
  for (const [path, blob] of Object.entries(files))
    entries[`${folder}/${path}`] = new Uint8Array(await blob.arrayBuffer());
  // Models are compressed already (or compress poorly): store them, deflate only the JSON.
  return zipSync(entries, { level: 0 }) as Uint8Array;
}

/** The files of a folder the page must fetch to zip a twin it opened from the server (its models, by path). */
export function modelPaths(doc: TwinDoc): string[] {
  const assets = Array.isArray(doc.assets) ? (doc.assets as unknown[]) : [];
  const out = new Set<string>();
  for (const a of assets)
    if (a && typeof a === 'object' && typeof (a as { model?: unknown }).model === 'string')
      out.add((a as { model: string }).model);
  return [...out];
}

/** Large models, with the command that compresses one in place. */
export function largeModels(
  files: Record<string, Blob>,
  dir: string,
  folder: string,
  limit = LARGE_MODEL_BYTES,
): { path: string; bytes: number; command: string }[] {
  return Object.entries(files)
    .filter(([path, blob]) => blob.size > limit && /\.glb$/i.test(path))
    .map(([path, blob]) => {
      const file = `${dir ? `${dir}/` : ''}${folder}/${path}`;
      return { path, bytes: blob.size, command: `npm run models -- optimize ${shellQuote(file)} ${shellQuote(file)}` };
    });
}

/** A path as one shell word (only quoted when it needs to be). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
