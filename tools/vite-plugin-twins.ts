/**
 * Serves the twins and the decoders from the app itself (nothing from a CDN at run time):
 *   /twins/index.json        every <dir>/<twin>/twin.json found, with its id, title and whether it is valid
 *   /twins/<twin>/<file>     the twin's files (twin.json, .glb, textures)
 *   /draco/*, /basis/*       three's Draco and Basis (KTX2) decoders
 *   /config.json             run-time settings, such as a broker URL that overrides the twins'
 * In dev and preview a middleware answers; `vite build` copies the same files into dist/.
 */
import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { join, resolve, normalize, extname, sep } from 'node:path';
import type { Plugin, Connect } from 'vite';

export interface TwinsPluginOptions {
  /** Folders holding <twin>/twin.json; the first one that has a twin wins. */
  dirs: string[];
  /** A broker URL that overrides every twin's connection.url (e.g. from TWINVIEW_BROKER_URL). */
  brokerUrl?: string;
}

export interface TwinListing {
  id: string;
  title: string;
  description?: string;
  valid: boolean;
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

/** Lists twins without failing on a broken one: it is listed as invalid and its page shows why. */
export function listTwins(dirs: string[]): TwinListing[] {
  const out: TwinListing[] = [];
  for (const [id, folder] of twinFolders(dirs)) {
    try {
      const doc = JSON.parse(readFileSync(join(folder, 'twin.json'), 'utf8')) as Record<string, unknown>;
      out.push({
        id,
        title: typeof doc.title === 'string' ? doc.title : id,
        description: typeof doc.description === 'string' ? doc.description : undefined,
        valid: true,
      });
    } catch {
      out.push({ id, title: id, valid: false });
    }
  }
  return out;
}

function send(res: Parameters<Connect.NextHandleFunction>[1], type: string, body: Buffer | string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
  res.end(body);
}

/** Resolves a request path inside a root folder; null when it would escape the folder. */
function inside(root: string, rel: string): string | null {
  const full = normalize(join(root, decodeURIComponent(rel)));
  return full.startsWith(resolve(root) + sep) && existsSync(full) && statSync(full).isFile() ? full : null;
}

export function twinsPlugin(options: TwinsPluginOptions): Plugin {
  const dirs = options.dirs.map((d) => resolve(d));
  const config = () => JSON.stringify({ brokerUrl: options.brokerUrl ?? null });

  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = (req.url ?? '').split('?')[0];
    if (url === '/config.json') return send(res, TYPES['.json'], config());
    if (url === '/twins/index.json') return send(res, TYPES['.json'], JSON.stringify(listTwins(dirs)));
    const twin = /^\/twins\/([^/]+)\/(.+)$/.exec(url);
    if (twin) {
      const folder = twinFolders(dirs).get(twin[1]);
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

  return {
    name: 'twinview-twins',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    writeBundle(outputOptions) {
      const out = outputOptions.dir ?? 'dist';
      for (const [prefix, root] of Object.entries(DECODERS)) cpSync(root, join(out, prefix), { recursive: true });
      for (const [id, folder] of twinFolders(dirs)) cpSync(folder, join(out, 'twins', id), { recursive: true });
      mkdirSync(join(out, 'twins'), { recursive: true });
      writeFileSync(join(out, 'twins', 'index.json'), JSON.stringify(listTwins(dirs)));
      writeFileSync(join(out, 'config.json'), config());
    },
  };
}
