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
 * signal indices lie: row by row as the engine worker adds them, default, or in random order).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Color } from 'three';
import { twinSchema } from '../src/twin/schema';
import { TelemetryStore } from '../src/store/telemetry';
import { InstanceBindings, type InstancesDef } from '../src/scene/instanceRuntime';
import { SolarFarm } from '../server/sim/solarFarm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { frames: { type: 'string', default: '3000' }, order: { type: 'string', default: 'rows' } },
  });
  const frames = Math.max(10, Number(values.frames));
  const twin = twinSchema.parse(JSON.parse(readFileSync(join(root, 'models/solar-farm/twin.json'), 'utf8')));
  const asset = twin.assets.find((a) => a.instances)!;
  const def = asset.instances as InstancesDef;
  const n = def.rows * def.columns;

  // Signal indices as the store hands them out: a row's 100 panels together, rows in the order their
  // first message came (the simulator's round starts at any row), or all shuffled with --order shuffled.
  const store = new TelemetryStore();
  store.online = true;
  const order = Array.from({ length: n }, (_, k) => (k + 37 * def.columns) % n);
  if (values.order === 'shuffled') {
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
  }
  const key = (k: number) => `r${Math.floor(k / def.columns)}c${k % def.columns}.power`;
  store.addSignals(order.map((k, index) => ({ index, id: key(k), def: 0, label: key(k), unit: 'W' })));
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

  const runtime = new InstanceBindings(def, store, new Color('#c8ccd0'));
  const baseline = handWritten();
  const ours: number[] = [];
  const theirs: number[] = [];
  let oursCpu = 0;
  let theirsCpu = 0;
  for (let f = 0; f < frames; f++) {
    const now = Date.now();
    const samples = batches[f % rounds];
    for (let k = 0; k < n; k++) samples[k * 3 + 2] = now;
    store.applyBatch({ type: 'batch', samples, count: n });
    baseline.latest.set(panelValues[f % rounds]);
    // Alternate which side goes first, so neither always runs on a cache the other warmed.
    for (let side = 0; side < 2; side++) {
      const mine = (side + f) % 2 === 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      if (mine) runtime.apply(now);
      else baseline.frame();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (mine) {
        ours.push(ms);
        oursCpu += cpu.user + cpu.system;
      } else {
        theirs.push(ms);
        theirsCpu += cpu.user + cpu.system;
      }
    }
    if (runtime.changed !== n) throw new Error(`expected every panel recoloured, got ${runtime.changed}`);
  }
  const check = compare(runtime.colors, baseline.colors);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // The first frames run before the JIT has optimised either loop; the scene bench warms up too.
  const warm = Math.floor(frames / 10);
  const m1 = median(ours.slice(warm));
  const m2 = median(theirs.slice(warm));
  console.log(
    `instance binding loop, ${n.toLocaleString('en')} panels, ${frames} frames, signal order ${values.order}:`,
  );
  console.log(
    `  Twinview      median ${(m1 * 1000).toFixed(1)} µs/frame, CPU ${(oursCpu / frames).toFixed(1)} µs/frame`,
  );
  console.log(
    `  hand-written  median ${(m2 * 1000).toFixed(1)} µs/frame, CPU ${(theirsCpu / frames).toFixed(1)} µs/frame`,
  );
  console.log(`  ratio ${(m1 / m2).toFixed(2)} (median), ${(oursCpu / theirsCpu).toFixed(2)} (CPU)`);
  console.log(`  colours: largest difference from the hand-written page's ${check.toExponential(1)} (linear RGB)`);
}

/** The hand-written page's colour loop (bench/scene-baseline/main.ts `frame`), untouched. */
function handWritten() {
  const N = 10_000;
  const stops = [0, 4.9, 5, 400];
  const stopColors = [new Color('#d62828'), new Color('#d62828'), new Color('#4a4f55'), new Color('#d0d6dc')];
  const latest = new Float64Array(N);
  const colors = new Float32Array(N * 3);
  const mix = new Color();
  const frame = () => {
    for (let k = 0; k < N; k++) {
      const v = latest[k];
      let i = 0;
      while (i < stops.length - 2 && v > stops[i + 1]) i++;
      const t = Math.min(1, Math.max(0, (v - stops[i]) / (stops[i + 1] - stops[i])));
      mix.copy(stopColors[i]).lerp(stopColors[i + 1], t);
      colors[k * 3] = mix.r;
      colors[k * 3 + 1] = mix.g;
      colors[k * 3 + 2] = mix.b;
    }
  };
  return { latest, colors, frame };
}

/** Largest per-channel difference: both sides must draw the same field. */
function compare(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
}
