/**
 * `npm run bench -- machine`: two facts about the machine that the other benchmarks' figures rest on,
 * each against a baseline measured in the same run.
 *
 * 1. First touch of memory. Writing to fresh memory makes the system back it page by page; on some
 *    virtual machines each 4 KiB page then costs microseconds (a trapped page fault), where writing
 *    to the same pages again costs nanoseconds. The telemetry store's rings take new slabs ahead of
 *    need for that reason (src/lib/ringBuffer.ts, ChunkPool.prepare).
 * 2. Waiting for a core. Threads that only read the clock in a loop see a gap wherever they did not
 *    run: alone (the host taking the core), one per core, and one more than the cores (the system's
 *    own time slices). A main-thread task whose wall time is many times its CPU time waited like this
 *    (docs/scene-performance.md): the benches' browsers, broker and publishers share the cores.
 *
 * Flags: --seconds S per spinning run (default 5), --mib M of fresh memory per round (default 64).
 * Writes bench/results/machine.json.
 */
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { formatGaps, summariseGaps, type GapSummary } from './_gaps';

const here = dirname(fileURLToPath(import.meta.url));
const PAGE = 4096;
const GAP_MS = 1;

/** µs per page: the first write to each page of fresh memory, and the same writes again. */
function touchRound(mib: number): { firstUs: number; againUs: number } {
  const pages = (mib * 1024 * 1024) / PAGE;
  const a = new Float64Array((mib * 1024 * 1024) / 8);
  const step = PAGE / 8;
  let t = process.hrtime.bigint();
  for (let i = 0; i < a.length; i += step) a[i] = 1;
  const firstUs = Number(process.hrtime.bigint() - t) / 1e3 / pages;
  t = process.hrtime.bigint();
  for (let i = 0; i < a.length; i += step) a[i] = 2;
  const againUs = Number(process.hrtime.bigint() - t) / 1e3 / pages;
  return { firstUs, againUs };
}

/** A thread that reads the clock for `seconds` and posts the gaps over GAP_MS (ms). */
const SPINNER = `
const { parentPort, workerData } = require('node:worker_threads');
const end = process.hrtime.bigint() + BigInt(Math.round(workerData.seconds * 1e9));
let last = process.hrtime.bigint();
const gaps = [];
for (;;) {
  const now = process.hrtime.bigint();
  const gap = Number(now - last) / 1e6;
  if (gap > workerData.gapMs) gaps.push(gap);
  last = now;
  if (now > end) break;
}
parentPort.postMessage(gaps);
`;

/** `threads` spinners at once; the gaps of all of them together. */
async function spin(threads: number, seconds: number): Promise<number[]> {
  const runs = Array.from(
    { length: threads },
    () =>
      new Promise<number[]>((done, fail) => {
        const w = new Worker(SPINNER, { eval: true, workerData: { seconds, gapMs: GAP_MS } });
        w.once('message', (gaps: number[]) => {
          done(gaps);
          void w.terminate();
        });
        w.once('error', fail);
      }),
  );
  return (await Promise.all(runs)).flat();
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: 'string', default: '5' }, mib: { type: 'string', default: '64' } },
  });
  const seconds = Math.max(1, Number(values.seconds));
  const mib = Math.max(8, Number(values.mib));
  const cores = availableParallelism();

  console.log(`first touch of fresh memory, ${mib} MiB a round (baseline: the same pages written again):`);
  const touch = [0, 1, 2].map(() => touchRound(mib));
  touch.forEach((t, i) =>
    console.log(
      `  round ${i + 1}: first touch ${t.firstUs.toFixed(2)} µs a page, written again ${t.againUs.toFixed(3)} µs a page: ×${(t.firstUs / t.againUs).toFixed(0)}`,
    ),
  );

  console.log(`waiting for a core: threads reading the clock for ${seconds} s (${cores} cores)`);
  const spins: { threads: number; gaps: GapSummary }[] = [];
  for (const threads of [1, cores, cores + 1]) {
    const gaps = summariseGaps(await spin(threads, seconds));
    spins.push({ threads, gaps });
    console.log(`  ${threads} thread${threads === 1 ? ' ' : 's'} at once: ${formatGaps(gaps, GAP_MS)}`);
  }

  const out = join(here, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'machine.json'),
    JSON.stringify({ date: new Date().toISOString(), cores, mib, seconds, touch, spins }, null, 2),
  );
  console.log('wrote bench/results/machine.json');
}
