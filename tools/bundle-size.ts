/**
 * `npx tsx tools/bundle-size.ts [dist] [--limit-kb N]`: the initial JavaScript of a build, gzip: the
 * entry script index.html loads and every chunk it imports statically, transitively (what the browser
 * must fetch and run before the first picture). Chunks loaded with import() (charts, the German UI
 * text, the Sparkplug decoder) and the engine worker (fetched in parallel, off the main thread) are
 * listed apart and not counted. Exits 1 above the limit (default 500 kB, issue 12), so `npm test`
 * fails when the first load grows past it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** kB as Vite prints them (1000 bytes). */
export const DEFAULT_LIMIT_KB = 500;

/** The module scripts index.html starts (`<script type="module" src>`), as paths below the dist root. */
export function entryScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\btype=["']module["'][^>]*>/gi)) {
    const src = /\bsrc=["']([^"']+)["']/i.exec(m[0]);
    if (src) out.push(stripBase(src[1]));
  }
  return out;
}

/**
 * The chunks a built ES module imports statically (`import ... from "./x.js"`, `import "./x.js"`,
 * `export ... from "./x.js"`), as written. `import("./x.js")` (dynamic) is not one of them.
 */
export function staticImports(code: string): string[] {
  const out = new Set<string>();
  // Minified output puts statements after `;` or `}` or at the start of a line; `import(` is dynamic.
  const re = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{][^;"'()]*?\bfrom\s*)?["']([^"']+\.m?js)["']/g;
  for (const m of code.matchAll(re)) out.add(m[1]);
  return [...out];
}

/** The dynamic `import("./x.js")` targets of a chunk, as written. */
export function dynamicImports(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+\.m?js)["']\s*\)/g)) out.add(m[1]);
  return [...out];
}

function stripBase(path: string): string {
  return path.replace(/^\.?\//, '');
}

export interface BundleReport {
  /** Chunks of the first load, in the order they were found, with their gzip size in bytes. */
  initial: { file: string; bytes: number; gzip: number }[];
  initialGzip: number;
  /** Other JavaScript in the build (lazy chunks, the engine worker), not counted. */
  deferred: { file: string; gzip: number }[];
}

/** Measures a build folder: `read(path)` gives a file's bytes, `list()` every .js file below assets/. */
export function measure(html: string, read: (path: string) => Buffer, list: () => string[]): BundleReport {
  const seen = new Set<string>();
  const initial: BundleReport['initial'] = [];
  const queue = entryScripts(html);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = read(file);
    initial.push({ file, bytes: bytes.length, gzip: gzipSync(bytes).length });
    const dir = posix.dirname(file);
    for (const spec of staticImports(bytes.toString('utf8'))) {
      queue.push(spec.startsWith('/') ? stripBase(spec) : posix.normalize(posix.join(dir, spec)));
    }
  }
  const deferred = list()
    .filter((f) => !seen.has(f))
    .map((file) => ({ file, gzip: gzipSync(read(file)).length }));
  return { initial, initialGzip: initial.reduce((s, c) => s + c.gzip, 0), deferred };
}

/** Measures a dist folder on disk. */
export function measureDist(dist: string): BundleReport {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = join(dist, 'assets');
  const list = () =>
    existsSync(assets)
      ? readdirSync(assets)
          .filter((f) => f.endsWith('.js'))
          .map((f) => `assets/${f}`)
      : [];
  return measure(html, (p) => readFileSync(join(dist, p)), list);
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatReport(report: BundleReport, limitKb: number): string {
  const lines = ['Initial JavaScript (entry and its static imports), gzip:'];
  for (const c of report.initial) lines.push(`  ${c.file.padEnd(48)} ${kb(c.gzip).padStart(10)}`);
  lines.push(`  ${'total'.padEnd(48)} ${kb(report.initialGzip).padStart(10)}  (limit ${limitKb} kB)`);
  lines.push('Loaded later (import(), the engine worker), gzip:');
  for (const c of report.deferred) lines.push(`  ${c.file.padEnd(48)} ${kb(c.gzip).padStart(10)}`);
  return lines.join('\n');
}

function main(argv: string[]): number {
  let dist = 'dist';
  let limitKb = DEFAULT_LIMIT_KB;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--limit-kb') limitKb = Number(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('Usage: npx tsx tools/bundle-size.ts [dist] [--limit-kb N]');
      return 0;
    } else dist = argv[i];
  }
  if (!Number.isFinite(limitKb) || limitKb <= 0) {
    console.error('bundle-size: --limit-kb needs a positive number');
    return 2;
  }
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`bundle-size: no built app in ${dist}/ (run npm run build first)`);
    return 2;
  }
  const report = measureDist(dist);
  console.log(formatReport(report, limitKb));
  if (report.initialGzip > limitKb * 1000) {
    console.error(`bundle-size: the initial JavaScript is ${kb(report.initialGzip)} gzip, over ${limitKb} kB`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv.slice(2)));
