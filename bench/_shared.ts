/** Pieces the benchmarks share (files starting with "_" are not benchmarks themselves). */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Serves a built bench page folder on a free loopback port. `isolated`: cross-origin isolated
 * (COOP/COEP), so performance.now() ticks in 5 µs instead of 100 µs.
 */
export async function serveStatic(
  dir: string,
  options: { isolated?: boolean } = {},
): Promise<{ server: Server; port: number }> {
  const isolation = options.isolated
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    : {};
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', ...isolation });
    res.end(readFileSync(path));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/** Seconds the page's main thread has spent in tasks so far (Chrome DevTools Protocol). */
export async function taskSeconds(cdp: { send(method: 'Performance.getMetrics'): Promise<unknown> }): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

const pagesDir = join(dirname(fileURLToPath(import.meta.url)), 'pages');

/**
 * Builds bench pages (bench/pages: the ingest bench's `bare` and `twinview`, `instance-loop`) into `outDir`, the ones named;
 * `minify: false` keeps function names readable in a profile.
 */
export async function buildBenchPages(
  outDir: string,
  pages: readonly ('bare' | 'twinview' | 'instance-loop')[],
  options: { minify?: boolean } = {},
): Promise<void> {
  await build({
    root: pagesDir,
    configFile: false,
    logLevel: 'warn',
    base: './',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      ...(options.minify === false ? { minify: false } : {}),
      rollupOptions: { input: Object.fromEntries(pages.map((page) => [page, join(pagesDir, `${page}.html`)])) },
    },
  });
}
