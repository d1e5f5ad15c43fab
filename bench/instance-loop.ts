/**
 * `npm run bench -- instance-loop`: the scene bench's binding loop without a browser. The solar farm's
 * instance bindings (models/solar-farm/twin.json: 10,000 panels, one colour ramp) applied by
 * `InstanceBindings` to the simulator's values in a `TelemetryStore`, against the hand-written page's
 * colour loop (bench/scene-baseline/main.ts, the same code) on the same values, alternately frame by
 * frame in one process, so drift and load fall on both sides alike. Every frame has new values for
 * every panel, as in the scene bench (its page draws a few frames a second; each panel updates ten
 * times a second). Prints CPU microseconds per frame (process.cpuUsage) and the median of per-frame
 * wall times; a tool for profiling (`node --cpu-prof --import tsx bench/run.ts instance-loop`), not
 * a pass/fail benchmark. Flags: --frames N (default 3000), --order rows|shuffled (how the store's
 * signal indices lie: row by row as the engine worker adds them, default, or in random order),
 * --browser (run the loops in headless Chromium instead of Node: the scene bench's V8).
 * TWINVIEW_BENCH_JS_FLAGS passes V8 flags to that Chromium (e.g. '--max-opt=2': no TurboFan).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { twinSchema } from '../src/twin/schema';
import type { InstancesDef } from '../src/scene/instanceRuntime';
import { SolarFarm } from '../server/sim/solarFarm';
import { compareLoops, type LoopInput, type LoopResult } from './_instanceLoop';
import { buildBenchPages, serveStatic } from './_shared';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      frames: { type: 'string', default: '3000' },
      order: { type: 'string', default: 'rows' },
      browser: { type: 'boolean', default: false },
    },
  });
  const jsFlags = process.env.TWINVIEW_BENCH_JS_FLAGS ?? '';
  const frames = Math.max(10, Number(values.frames));
  const twin = twinSchema.parse(JSON.parse(readFileSync(join(root, 'models/solar-farm/twin.json'), 'utf8')));
  const asset = twin.assets.find((a) => a.instances)!;
  const def = asset.instances as InstancesDef;
  const n = def.rows * def.columns;

  // Signal indices as the store hands them out: a row's 100 panels together, rows in the order their
  // first message came (the simulator's round starts at any row), or all shuffled with --order shuffled.
  const order = Array.from({ length: n }, (_, k) => (k + 37 * def.columns) % n);
  if (values.order === 'shuffled') {
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
  }
  const key = (k: number) => `r${Math.floor(k / def.columns)}c${k % def.columns}.power`;
  const indexOfPanel = new Int32Array(n);
  order.forEach((k, index) => (indexOfPanel[k] = index));

  // A few seconds of simulator values, one store batch per frame (every panel, as at 2 frames/s).
  const farm = new SolarFarm();
  const rounds = 16;
  const batches: Float64Array[] = [];
  const panelValues: Float64Array[] = [];
  for (let f = 0; f < rounds; f++) {
    const samples = new Float64Array(n * 3);
    const perPanel = new Float64Array(n);
    for (let row = 0; row < def.rows; row++) {
      const p = (JSON.parse(farm.rowMessage(row, f * 500).payload) as { p: number[] }).p;
      for (let c = 0; c < def.columns; c++) {
        const k = row * def.columns + c;
        samples[k * 3] = indexOfPanel[k];
        samples[k * 3 + 1] = p[c];
        perPanel[k] = p[c];
      }
    }
    batches.push(samples);
    panelValues.push(perPanel);
  }

  const input: LoopInput = {
    def,
    ids: order.map(key),
    batches: batches.map((b) => Array.from(b)),
    panelValues: panelValues.map((p) => Array.from(p)),
  };
  const where = values.browser ? `Chromium ${jsFlags ? `(--js-flags=${jsFlags})` : ''}` : `Node ${process.version}`;
  const result = values.browser
    ? await inChromium(input, frames, jsFlags)
    : compareLoops(input, frames, () => {
        const c = process.cpuUsage();
        return c.user + c.system;
      });
  const { ours, theirs, oursCpu, theirsCpu, check } = result;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // The first frames run before the JIT has optimised either loop; the scene bench warms up too.
  const warm = Math.floor(frames / 10);
  const m1 = median(ours.slice(warm));
  const m2 = median(theirs.slice(warm));
  const cpu = (c: number | null) => (c === null ? '' : `, CPU ${(c / frames).toFixed(1)} µs/frame`);
  console.log(
    `instance binding loop, ${n.toLocaleString('en')} panels, ${frames} frames, signal order ${values.order}, in ${where}:`,
  );
  console.log(`  Twinview      median ${(m1 * 1000).toFixed(1)} µs/frame${cpu(oursCpu)}`);
  console.log(`  hand-written  median ${(m2 * 1000).toFixed(1)} µs/frame${cpu(theirsCpu)}`);
  const cpuRatio = oursCpu !== null && theirsCpu ? `, ${(oursCpu / theirsCpu).toFixed(2)} (CPU)` : '';
  console.log(`  ratio ${(m1 / m2).toFixed(2)} (median)${cpuRatio}`);
  console.log(`  colours: largest difference from the hand-written page's ${check.toExponential(1)} (linear RGB)`);
}

/**
 * The same loop in headless Chromium (its V8, its JIT tiers), on a cross-origin isolated page so
 * performance.now() ticks in 5 µs. `jsFlags` go to V8 (e.g. '--max-opt=2': no TurboFan).
 */
async function inChromium(input: LoopInput, frames: number, jsFlags: string): Promise<LoopResult> {
  const outDir = join(root, '.tmp', 'bench-instance-loop');
  await buildBenchPages(outDir, ['instance-loop']);
  const web = await serveStatic(outDir, { isolated: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: jsFlags ? [`--js-flags=${jsFlags}`] : [],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${web.port}/instance-loop.html`);
    await page.waitForFunction(() => 'compareLoops' in window && crossOriginIsolated);
    return await page.evaluate(
      ([i, f]) => (window as unknown as { compareLoops: typeof compareLoops }).compareLoops(i, f),
      [input, frames] as const,
    );
  } finally {
    await browser.close();
    web.server.close();
  }
}
