/**
 * The instance-loop bench's measuring loop, without Node APIs, so the same code runs in Node
 * (`npm run bench -- instance-loop`) and in Chromium's V8 (`--browser`): Twinview's `InstanceBindings`
 * against the hand-written page's colour loop (bench/scene-baseline/main.ts `frame`), alternately
 * frame by frame on the same values.
 */
import { Color } from 'three';
import { TelemetryStore } from '../src/store/telemetry';
import { InstanceBindings, type InstancesDef } from '../src/scene/instanceRuntime';

export interface LoopInput {
  def: InstancesDef;
  /** Signal ids in the order the store hands out indices. */
  ids: string[];
  /** Per frame: store batch samples (index, value, ts placeholder) and each panel's value by panel. */
  batches: number[][];
  panelValues: number[][];
}

export interface LoopResult {
  /** Wall ms per frame, each side. */
  ours: number[];
  theirs: number[];
  /** CPU µs per side, summed (null where the runtime has no CPU clock: the browser). */
  oursCpu: number | null;
  theirsCpu: number | null;
  /** Largest per-channel difference between the two sides' colours. */
  check: number;
}

export function compareLoops(input: LoopInput, frames: number, cpuMicros?: () => number): LoopResult {
  const n = input.def.rows * input.def.columns;
  const store = new TelemetryStore();
  store.online = true;
  store.addSignals(input.ids.map((id, index) => ({ index, id, def: 0, label: id, unit: 'W' })));
  const batches = input.batches.map((b) => Float64Array.from(b));
  const panelValues = input.panelValues.map((p) => Float64Array.from(p));
  const runtime = new InstanceBindings(input.def, store, new Color('#c8ccd0'));
  const baseline = handWritten();
  const ours: number[] = [];
  const theirs: number[] = [];
  let oursCpu = 0;
  let theirsCpu = 0;
  for (let f = 0; f < frames; f++) {
    const now = Date.now();
    const samples = batches[f % batches.length];
    for (let k = 0; k < n; k++) samples[k * 3 + 2] = now;
    store.applyBatch({ type: 'batch', samples, count: n });
    baseline.latest.set(panelValues[f % panelValues.length]);
    // Alternate which side goes first, so neither always runs on a cache the other warmed.
    for (let side = 0; side < 2; side++) {
      const mine = (side + f) % 2 === 0;
      const c0 = cpuMicros ? cpuMicros() : 0;
      const t0 = performance.now();
      if (mine) runtime.apply(now);
      else baseline.frame();
      const ms = performance.now() - t0;
      const cpu = cpuMicros ? cpuMicros() - c0 : 0;
      if (mine) {
        ours.push(ms);
        oursCpu += cpu;
      } else {
        theirs.push(ms);
        theirsCpu += cpu;
      }
    }
    if (runtime.changed !== n) throw new Error(`expected every panel recoloured, got ${runtime.changed}`);
  }
  return {
    ours,
    theirs,
    oursCpu: cpuMicros ? oursCpu : null,
    theirsCpu: cpuMicros ? theirsCpu : null,
    check: compare(runtime.colors, baseline.colors),
  };
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
