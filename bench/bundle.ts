/**
 * `npm run bench -- bundle [--out-dir DIR]`: builds the app (into .tmp/bench-bundle unless --out-dir)
 * and records the initial JavaScript (the entry and its static imports, gzip) against the 500 kB
 * budget, and what loads later, in bench/results/bundle.json. The same measure as tools/bundle-size.ts,
 * which `npm test` runs after its build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { DEFAULT_LIMIT_KB, formatReport, measureDist } from '../tools/bundle-size';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'out-dir': { type: 'string', default: '.tmp/bench-bundle' } } });
  const outDir = resolve(root, values['out-dir']);
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const report = measureDist(outDir);
  console.log(formatReport(report, DEFAULT_LIMIT_KB));
  const initialKb = report.initialGzip / 1000;
  console.log(
    `initial JavaScript: ${initialKb.toFixed(1)} kB gzip, ${((initialKb / DEFAULT_LIMIT_KB) * 100).toFixed(0)}% of the budget`,
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/bundle.json'),
    JSON.stringify({ date: new Date().toISOString(), limitKb: DEFAULT_LIMIT_KB, ...report }, null, 2) + '\n',
  );
}
