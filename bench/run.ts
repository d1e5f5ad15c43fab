/**
 * `npm run bench -- <name> [args]`: runs one benchmark (bench/<name>.ts, which exports `run(args)`).
 * Benchmarks print figures and ratios against a baseline measured in the same run; they are not tests.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('.test.') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || !available.includes(name)) {
  console.log(`Usage: npm run bench -- <name> [args]\nBenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(name && name !== '--help' ? 2 : 0);
}
const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run(args: string[]): Promise<void> };
await mod.run(args);
