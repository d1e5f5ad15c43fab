/**
 * Saving from the editor (?mode=edit, issue 15) on this machine:
 *   GET /api/editor/v1/status            -> { save: boolean, dir: string }
 *   PUT /api/editor/v1/twins/<folder>    body (application/json):
 *       { "twinJson": "<the twin.json text>", "files": { "<path in the folder>": "<base64>" }, "overwrite": bool }
 *     writes <dir>/<folder>/twin.json and the files; answers { ok: true, path, files } or an error
 *     { error, problems? }: 403 not from loopback or not same-origin, 400 a bad folder name, file path,
 *     body or an invalid twin (with the validator's problems), 409 the folder exists and overwrite was
 *     not asked, 413 too big.
 * Only when TWINVIEW_EDITOR_DIR is set (npm start sets it to models/); otherwise status says
 * save: false and the page downloads a zip instead. The production server (server/serve.ts) has no
 * saving at all. Base64 in JSON rather than multipart: no parser to add, and models are saved rarely.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';
import { displayPath, loadValidator, type ValidateTwin } from './vite-plugin-twins.ts';

export const EDITOR_API = '/api/editor/v1';

/** The largest save request: the twin and its models, base64 (about 4/3 of their size). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export interface EditorPluginOptions {
  /** Where twins are saved (<dir>/<folder>/twin.json); undefined: saving is off. */
  dir: string | undefined;
  /** Every folder twins are served from (TWINVIEW_TWINS_DIRS): a folder there counts as existing. */
  twinsDirs?: string[];
  maxBytes?: number;
  /** The twin validator; default the page's own (src/twin/validate.ts). */
  validate?: () => Promise<ValidateTwin>;
}

export class SaveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/**
 * Why a request may not save, or null. The socket must be loopback, the Host a loopback name (a DNS
 * rebinding page reaches 127.0.0.1 under its own host name), and the Origin this very server: a
 * page from anywhere else cannot write into the models folder through the user's browser.
 */
export function refusal(
  remoteAddress: string | undefined,
  host: string | undefined,
  origin: string | undefined,
): string | null {
  if (!remoteAddress || !LOOPBACK_ADDRESSES.has(remoteAddress)) return 'saving is only allowed from this machine';
  if (!host || !LOOPBACK_HOST.test(host))
    return 'saving is only allowed through a loopback address (127.0.0.1 or localhost)';
  if (!origin || (origin !== `http://${host}` && origin !== `https://${host}`))
    return 'saving is only allowed from the editor page of this server (same origin)';
  return null;
}

/** A twin folder name: one segment, no dots first (no "..", no hidden folder), no separators. */
export function folderProblem(folder: string): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(folder))
    return `bad folder name "${folder}": use letters, digits, "_", "-" and "." (not first), at most 100 characters`;
  return null;
}

/** A file path inside the twin folder: relative, "/"-separated, no "..", no empty or hidden segments. */
export function filePathProblem(path: string): string | null {
  const bad = `bad file path "${path}"`;
  if (path.length === 0 || path.length > 300) return `${bad}: empty or too long`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\'))
    return `${bad}: must be relative, with "/"`;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return `${bad}: no "..", "." or empty parts`;
  if (segments.some((s) => !/^[A-Za-z0-9_][A-Za-z0-9 _.()+-]*$/.test(s)))
    return `${bad}: use letters, digits, spaces and "_-.()+" (not a leading "." or "-")`;
  if (path === 'twin.json') return `${bad}: twin.json is written from the twin itself`;
  return null;
}

interface SaveRequest {
  twinJson: string;
  files: Record<string, string>;
  overwrite: boolean;
}

export function parseSaveBody(body: string): SaveRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new SaveError(400, 'the request body is not JSON');
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (typeof o.twinJson !== 'string') throw new SaveError(400, 'the request has no "twinJson" text');
  const files = o.files ?? {};
  if (typeof files !== 'object' || files === null || Array.isArray(files))
    throw new SaveError(400, '"files" must be an object of path -> base64');
  for (const [path, data] of Object.entries(files)) {
    const problem = filePathProblem(path);
    if (problem) throw new SaveError(400, problem);
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data))
      throw new SaveError(400, `file "${path}" is not base64`);
  }
  return { twinJson: o.twinJson, files: files as Record<string, string>, overwrite: o.overwrite === true };
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > max) {
      reject(new SaveError(413, `too big: ${declared} bytes, at most ${max}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new SaveError(413, `too big: more than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes through a temporary file and a rename: a reader never sees half a twin.json. */
function writeAtomically(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

export function editorMiddleware(options: EditorPluginOptions): Connect.NextHandleFunction {
  const dir = options.dir ? resolve(options.dir) : undefined;
  const twinsDirs = (options.twinsDirs ?? []).map((d) => resolve(d));
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const validate = options.validate ?? loadValidator;

  const save = async (req: IncomingMessage, folder: string): Promise<unknown> => {
    if (!dir) throw new SaveError(403, 'saving is off on this server (TWINVIEW_EDITOR_DIR is not set)');
    const refused = refusal(req.socket.remoteAddress, req.headers.host, req.headers.origin);
    if (refused) throw new SaveError(403, refused);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new SaveError(400, 'the request must be application/json');
    const folderBad = folderProblem(folder);
    if (folderBad) throw new SaveError(400, folderBad);
    const body = parseSaveBody(await readBody(req, max));
    const result = (await validate())(body.twinJson);
    if (!result.ok) throw new SaveError(400, 'the twin has problems; nothing was saved', result.problems);
    const target = join(dir, folder);
    const existing = [dir, ...twinsDirs].map((d) => join(d, folder)).find((f) => existsSync(join(f, 'twin.json')));
    if (existing && !body.overwrite)
      throw new SaveError(409, `a twin "${folder}" exists already (${displayPath(existing)}); nothing was saved`);
    if (existing && resolve(existing) !== target)
      throw new SaveError(
        409,
        `the twin "${folder}" is served from ${displayPath(existing)}, which the editor does not write (it writes ${displayPath(dir)})`,
      );
    if (existsSync(target) && !statSync(target).isDirectory())
      throw new SaveError(409, `${displayPath(target)} is a file`);
    const written: string[] = [];
    for (const [path, data] of Object.entries(body.files)) {
      const file = resolve(target, path);
      // filePathProblem already refuses "..": this is the belt to its braces.
      if (!file.startsWith(target + sep)) throw new SaveError(400, `bad file path "${path}"`);
      writeAtomically(file, Buffer.from(data, 'base64'));
      written.push(path);
    }
    const twinFile = join(target, 'twin.json');
    writeAtomically(twinFile, body.twinJson);
    return { ok: true, path: displayPath(twinFile), folder, files: written };
  };

  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0];
    if (!url.startsWith(`${EDITOR_API}/`)) return next();
    if (url === `${EDITOR_API}/status`) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'use GET' });
      return json(res, 200, { save: dir !== undefined, dir: dir ? displayPath(dir) : '' });
    }
    const m = /^\/api\/editor\/v1\/twins\/([^/]+)$/.exec(url);
    if (!m) return json(res, 404, { error: `no such editor API: ${url}` });
    if (req.method !== 'PUT') return json(res, 405, { error: 'use PUT' });
    let folder: string;
    try {
      folder = decodeURIComponent(m[1]);
    } catch {
      return json(res, 400, { error: 'bad folder name: not valid URL encoding' });
    }
    save(req, folder).then(
      (body) => json(res, 200, body),
      (err: unknown) => {
        if (err instanceof SaveError)
          json(res, err.status, { error: err.message, ...(err.problems ? { problems: err.problems } : {}) });
        else json(res, 500, { error: `saving failed: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  };
}

/** TWINVIEW_EDITOR_DIR turns saving on, for the dev and the preview server alike. */
export function editorPlugin(options: EditorPluginOptions): Plugin {
  const middleware = editorMiddleware(options);
  return {
    name: 'twinview-editor',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}
