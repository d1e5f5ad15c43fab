/**
 * `npm run serve`: the production server. Serves the built app (dist/, from `npm run build`) and the
 * twins with a strict Content-Security-Policy and the usual security headers (docs/deploying.md). The
 * twins, decoders and /config.json come from the same handler `vite preview` and `npm start` use
 * (tools/vite-plugin-twins.ts), so the twins served are read live from their folders.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { brokerList, twinsMiddleware } from '../tools/vite-plugin-twins.ts';
import { brokerUrlFlag, intFlag, isUsageError, UsageError } from './flags';
import { historyApiUrl, historyProxy } from './history/proxy';

const HELP = `Twinview production server: the built app (npm run build) and the twins, with a strict CSP.

Usage: npm run serve -- [options]

Options:
  --port <n>                  HTTP port (default 8080; also PORT)
  --host <addr>               address to listen on (default 127.0.0.1; put TLS in front, docs/deploying.md)
  --dist <dir>                the built app (default dist)
  --twins <dirs>              colon-separated twin folders (default models; also TWINVIEW_TWINS_DIRS)
  --broker <ws-url>           broker that overrides every twin's connection.url (also TWINVIEW_BROKER_URL)
  --brokers <list>            comma-separated brokers a link's ?broker= may choose, * allowed
                              (also TWINVIEW_BROKERS)
  --ktx2-eval                 add 'unsafe-eval' to script-src, only for twins with Basis KTX2 textures:
                              three's Basis transcoder builds functions with new Function (docs/deploying.md)
  --frame-ancestors <list>    who may embed the app in a frame: 'none', 'self' (default) or origins,
                              space-separated (also TWINVIEW_FRAME_ANCESTORS)
  --history-api <url>         the history API (http://127.0.0.1:<port> of \`twin serve --history-port\`)
                              that /api/history/ is proxied to (also TWINVIEW_HISTORY_API); without it
                              /api/history/ answers 503 and dashboards use what their tab holds
  -h, --help                  this text

connect-src allows this origin, the brokers above, and each served twin's own broker and HTTP sources
(read at start: restart after adding a twin that talks to a new host). CSP violations that browsers
report are printed, one line each.`;

export interface ServeOptions {
  port: number;
  host: string;
  dist: string;
  dirs: string[];
  brokerUrl?: string;
  brokers: string[];
  frameAncestors: string[];
  /** Allow 'unsafe-eval' for three's Basis (KTX2) transcoder; off: KTX2 textures cannot be decoded. */
  ktx2Eval?: boolean;
  /** Where /api/history/ is proxied to (docs/history.md); none: 503. */
  historyApi?: URL;
}

/** A CSP source for a broker allowlist entry or a twin's URL: no query (CSP ignores it), trimmed. */
export function cspSource(url: string): string | null {
  const s = url.trim().replace(/[?#].*$/, '');
  // A source must not carry characters that would end or split the directive.
  return /^(wss?|https?):\/\/[^\s;,']+$/i.test(s) ? s : null;
}

/** Validates a frame-ancestors list: keywords 'none'/'self', or http(s) origins (wildcards as CSP allows). */
export function frameAncestorsFlag(raw: string): string[] {
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const bare = p.replace(/^'|'$/g, '').toLowerCase();
    if (bare === 'none' || bare === 'self') out.push(`'${bare}'`);
    else if (/^https?:\/\/[^\s;,'/]+$/i.test(p)) out.push(p);
    else
      throw new UsageError(
        `--frame-ancestors: "${p}" is not 'none', 'self' or an origin such as https://portal.example`,
      );
  }
  if (out.length === 0) throw new UsageError(`--frame-ancestors must name 'none', 'self' or origins`);
  if (out.includes("'none'") && out.length > 1) throw new UsageError(`--frame-ancestors: 'none' cannot be combined`);
  return out;
}

/**
 * The response headers for every answer. `connect` lists the broker and HTTP-source URLs the page may
 * reach beyond its own origin.
 */
export function securityHeaders(opts: {
  connect: string[];
  frameAncestors: string[];
  ktx2Eval?: boolean;
}): Record<string, string> {
  const connect = [...new Set(opts.connect.map(cspSource).filter((s): s is string => s !== null))];
  const csp = [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the Draco and Basis decoders compile their WebAssembly; it allows no JS eval.
    `script-src 'self' 'wasm-unsafe-eval'${opts.ktx2Eval ? " 'unsafe-eval'" : ''}`,
    // The decoders run in workers made from blob: URLs (three's loaders); the MQTT worker is a file.
    "worker-src 'self' blob:",
    // blob:/data: : three fetches a GLB's embedded textures from blob: URLs it made (no network).
    ['connect-src', "'self'", 'blob:', 'data:', ...connect].join(' '),
    // glTF textures are decoded from blob: URLs; data: for small inline images.
    "img-src 'self' data: blob:",
    // React's style props go through the CSSOM (allowed); some libraries add <style> elements.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    ['frame-ancestors', ...opts.frameAncestors].join(' '),
    'report-uri /csp-report',
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  // For browsers without frame-ancestors; origins cannot be said in X-Frame-Options, so none is sent then.
  if (opts.frameAncestors.join() === "'none'") headers['X-Frame-Options'] = 'DENY';
  else if (opts.frameAncestors.join() === "'self'") headers['X-Frame-Options'] = 'SAMEORIGIN';
  return headers;
}

/** The brokers and HTTP sources the served twins talk to, for connect-src; unreadable twins are skipped. */
export function twinEndpoints(twinFiles: string[]): string[] {
  const out: string[] = [];
  for (const file of twinFiles) {
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as {
        connection?: { url?: unknown };
        sources?: { url?: unknown }[];
      };
      if (typeof doc.connection?.url === 'string') out.push(doc.connection.url);
      for (const s of Array.isArray(doc.sources) ? doc.sources : []) if (typeof s?.url === 'string') out.push(s.url);
    } catch {
      // Not JSON: the page shows its problems and connects nowhere.
    }
  }
  return out;
}

function twinFiles(dirs: string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirNames(dir)) {
      const file = join(dir, name, 'twin.json');
      if (existsSync(file)) files.push(file);
    }
  }
  return files;
}

function readdirNames(dir: string): string[] {
  try {
    return statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
  } catch {
    return [];
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
  '.ktx2': 'image/ktx2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file under dist for a URL path; null when outside it or absent. "/" is index.html. */
function staticFile(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  const full = normalize(join(root, rel));
  return full.startsWith(root + sep) && existsSync(full) && statSync(full).isFile() ? full : null;
}

/** Reads a CSP report body (at most 64 KiB) and prints one line per violation. */
function logCspReport(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (body.length < 65_536) body += chunk;
  });
  req.on('end', () => {
    try {
      const report = (JSON.parse(body) as { 'csp-report'?: Record<string, unknown> })['csp-report'] ?? {};
      const line = ['violated-directive', 'blocked-uri', 'source-file', 'line-number']
        .map((k) => `${k}=${JSON.stringify(report[k] ?? '')}`)
        .join(' ');
      console.error(`CSP violation: ${line}`);
    } catch {
      console.error('CSP violation: (unreadable report)');
    }
    res.statusCode = 204;
    res.end();
  });
}

export function startServer(options: ServeOptions): Promise<Server> {
  const dist = resolve(options.dist);
  const dirs = options.dirs.map((d) => resolve(d));
  const connect = [
    ...(options.brokerUrl ? [options.brokerUrl] : []),
    ...options.brokers,
    ...twinEndpoints(twinFiles(dirs)),
  ];
  const headers = securityHeaders({ connect, frameAncestors: options.frameAncestors, ktx2Eval: options.ktx2Eval });
  const twins = twinsMiddleware({ dirs, brokerUrl: options.brokerUrl, brokers: options.brokers });
  const history = historyProxy(options.historyApi);

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/csp-report') return logCspReport(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      return res.end();
    }
    const next = (err?: unknown) => {
      if (err) {
        console.error(`serve: ${String(err)}`);
        res.statusCode = 500;
        return res.end('internal error');
      }
      const file = staticFile(dist, path);
      if (!file) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        return res.end('not found');
      }
      res.statusCode = 200;
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      // Vite's hashed assets never change under a name; everything else is revalidated.
      res.setHeader('Cache-Control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
    };
    history(req, res, () => twins(req, res, next));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => ok(server));
  });
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      dist: { type: 'string' },
      twins: { type: 'string' },
      broker: { type: 'string' },
      brokers: { type: 'string' },
      'frame-ancestors': { type: 'string' },
      'ktx2-eval': { type: 'boolean' },
      'history-api': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const broker = values.broker ?? (env.TWINVIEW_BROKER_URL || undefined);
  const brokers = brokerList(values.brokers ?? env.TWINVIEW_BROKERS);
  for (const b of brokers)
    if (!/^wss?:\/\//i.test(b)) throw new UsageError(`--brokers: "${b}" is not a ws:// or wss:// URL`);
  return {
    port: intFlag('port', values.port ?? env.PORT, 8080, 0, 65535),
    host: values.host ?? '127.0.0.1',
    dist: values.dist ?? 'dist',
    dirs: (values.twins ?? env.TWINVIEW_TWINS_DIRS ?? 'models').split(':').filter(Boolean),
    brokerUrl: broker === undefined ? undefined : brokerUrlFlag('broker', broker, ['ws', 'wss']),
    brokers,
    frameAncestors: frameAncestorsFlag(values['frame-ancestors'] ?? env.TWINVIEW_FRAME_ANCESTORS ?? "'self'"),
    ktx2Eval: values['ktx2-eval'] ?? false,
    historyApi: historyApiFlag(values['history-api'] ?? (env.TWINVIEW_HISTORY_API || undefined)),
  };
}

function historyApiFlag(value: string | undefined): URL | undefined {
  try {
    return historyApiUrl(value);
  } catch (err) {
    throw new UsageError(`--history-api: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(): Promise<void> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!isUsageError(err)) throw err;
    console.error(`serve: ${err.message} (npm run serve -- --help)`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(HELP);
    return;
  }
  if (!existsSync(join(options.dist, 'index.html'))) {
    console.error(`serve: no built app in ${options.dist}/ (run npm run build first)`);
    process.exit(1);
  }
  const server = await startServer(options).catch((err: unknown) => {
    console.error(`serve: cannot listen on ${options.host}:${options.port}: ${String(err)}`);
    process.exit(1);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  console.log(`Twinview serving ${options.dist}/ on http://${options.host}:${port}/`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
