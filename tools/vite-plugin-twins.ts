/**
 * Serves the twins and the decoders from the app itself (nothing from a CDN at run time):
 *   /twins/index.json        every <dir>/<twin>/twin.json found: its folder name, title, where it is, and
 *                            whether it passes the twin validator (the one the page and the CLI run)
 *   /twins/<twin>/<file>     the twin's files (twin.json, .glb, textures); <twin> is the folder name,
 *                            URL-encoded (a folder "north plant" is /twins/north%20plant/)
 *   /draco/*, /basis/*       three's Draco and Basis (KTX2) decoders
 *   /config.json             run-time settings: a broker URL that overrides the twins', and the brokers a
 *                            link's ?broker= may choose (src/app/brokerPolicy.ts)
 * In dev and preview a middleware answers; `vite build` copies the same files into dist/.
 */
import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { join, resolve, normalize, extname, sep, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport, type Plugin, type Connect } from 'vite';
import type { TwinResult } from '../src/twin/validate.ts';

/** The twin validator the page and the CLI run (src/twin/validate.ts). */
export type ValidateTwin = (text: string) => TwinResult;

let validator: Promise<ValidateTwin> | undefined;
/**
 * The validator, loaded through Vite's module runner on first use rather than imported: an import
 * would make it part of the bundled config, whose extensionless imports Vite warns about on every
 * start. Loaded once per process (under a second).
 */
export function loadValidator(): Promise<ValidateTwin> {
  validator ??= runnerImport<{ validateTwinText: ValidateTwin }>(
    fileURLToPath(new URL('../src/twin/validate.ts', import.meta.url)),
    { configFile: false, logLevel: 'error' },
  ).then((r) => r.module.validateTwinText);
  return validator;
}

export interface TwinsPluginOptions {
  /** Folders holding <twin>/twin.json; the first one that has a twin wins. */
  dirs: string[];
  /** A broker URL that overrides every twin's connection.url (e.g. from TWINVIEW_BROKER_URL). */
  brokerUrl?: string;
  /**
   * More brokers a link's ?broker= may choose (entries may use `*`); default: TWINVIEW_BROKERS,
   * comma-separated. The override and each twin's own broker are always allowed.
   */
  brokers?: string[];
}

/** A comma-separated broker list (TWINVIEW_BROKERS) as entries. */
export function brokerList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The body of /config.json. */
export function serverConfigJson(options: Pick<TwinsPluginOptions, 'brokerUrl' | 'brokers'>): string {
  return JSON.stringify({
    brokerUrl: options.brokerUrl ?? null,
    brokers: options.brokers ?? brokerList(process.env.TWINVIEW_BROKERS),
  });
}

export interface TwinListing {
  /** The folder's name: `?twin=<id>` opens it. The document's own `id` may differ. */
  id: string;
  title: string;
  description?: string;
  /** Whether the document passes the twin validator. */
  valid: boolean;
  /** How many problems the validator found (0 when valid). */
  problems: number;
  /** Where its twin.json is, as a user would name it: relative to the server's folder when inside it. */
  path: string;
}

const DECODERS: Record<string, string> = {
  '/draco/': 'node_modules/three/examples/jsm/libs/draco/gltf',
  '/basis/': 'node_modules/three/examples/jsm/libs/basis',
};

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ktx2': 'image/ktx2',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

function twinFolders(dirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const folder = join(dir, name);
      if (!found.has(name) && statSync(folder).isDirectory() && existsSync(join(folder, 'twin.json'))) {
        found.set(name, folder);
      }
    }
  }
  return found;
}

/** A file as a user would name it in a command: relative to `cwd` when inside it, else absolute. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel && rel.split(sep)[0] !== '..' && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}

/**
 * Lists twins without failing on a broken one: each is checked by the same validator the page runs
 * (a document that parses can still be invalid), so the start page can mark it before it is opened.
 */
export function listTwins(dirs: string[], validateTwinText: ValidateTwin, cwd = process.cwd()): TwinListing[] {
  const out: TwinListing[] = [];
  for (const [id, folder] of twinFolders(dirs)) {
    const file = join(folder, 'twin.json');
    const path = displayPath(file, cwd);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      out.push({ id, title: id, valid: false, problems: 1, path });
      continue;
    }
    const result = validateTwinText(text);
    // Title and description even from an invalid document, when they are there to read.
    let doc: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
      if (parsed && typeof parsed === 'object') doc = parsed as Record<string, unknown>;
    } catch {
      // Unparsable: the validator has said so.
    }
    out.push({
      id,
      title: typeof doc.title === 'string' && doc.title ? doc.title : id,
      description: typeof doc.description === 'string' ? doc.description : undefined,
      valid: result.ok,
      problems: result.ok ? 0 : result.problems.length,
      path,
    });
  }
  return out;
}

/** The folder name in a /twins/<name>/ URL segment; null when it is not valid percent-encoding. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function send(res: Parameters<Connect.NextHandleFunction>[1], type: string, body: Buffer | string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
  res.end(body);
}

/** Resolves a request path inside a root folder; null when it would escape the folder. */
function inside(root: string, rel: string): string | null {
  const decoded = decodeSegment(rel);
  if (decoded === null) return null;
  const full = normalize(join(root, decoded));
  return full.startsWith(resolve(root) + sep) && existsSync(full) && statSync(full).isFile() ? full : null;
}

/**
 * Answers /config.json, /twins/* and the decoders; anything else goes to `next`. A Connect handler, so
 * plain Node http (server/serve.ts) uses it as well as Vite.
 */
export function twinsMiddleware(options: TwinsPluginOptions): Connect.NextHandleFunction {
  const dirs = options.dirs.map((d) => resolve(d));
  const config = () => serverConfigJson(options);
  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0];
    if (url === '/config.json') return send(res, TYPES['.json'], config());
    if (url === '/twins/index.json') {
      loadValidator().then(
        (validate) => send(res, TYPES['.json'], JSON.stringify(listTwins(dirs, validate))),
        (err: unknown) => next(err),
      );
      return;
    }
    const twin = /^\/twins\/([^/]+)\/(.+)$/.exec(url);
    if (twin) {
      // The folder name arrives URL-encoded ("north%20plant"); the map holds it as on disk.
      const name = decodeSegment(twin[1]);
      const folder = name !== null ? twinFolders(dirs).get(name) : undefined;
      const file = folder ? inside(folder, twin[2]) : null;
      if (!file) {
        res.statusCode = 404;
        return res.end(`not found: ${url}`);
      }
      return send(res, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    }
    for (const [prefix, root] of Object.entries(DECODERS)) {
      if (url.startsWith(prefix)) {
        const file = inside(resolve(root), url.slice(prefix.length));
        if (file) return send(res, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
      }
    }
    next();
  };
}

export function twinsPlugin(options: TwinsPluginOptions): Plugin {
  const dirs = options.dirs.map((d) => resolve(d));
  const config = () => serverConfigJson(options);
  const middleware = twinsMiddleware(options);

  return {
    name: 'twinview-twins',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    async writeBundle(outputOptions) {
      const out = outputOptions.dir ?? 'dist';
      for (const [prefix, root] of Object.entries(DECODERS)) cpSync(root, join(out, prefix), { recursive: true });
      for (const [id, folder] of twinFolders(dirs)) cpSync(folder, join(out, 'twins', id), { recursive: true });
      mkdirSync(join(out, 'twins'), { recursive: true });
      writeFileSync(join(out, 'twins', 'index.json'), JSON.stringify(listTwins(dirs, await loadValidator())));
      writeFileSync(join(out, 'config.json'), config());
    },
  };
}
