/**
 * Latest values and bounded history per signal, on the main thread. This is deliberately not
 * React state: the scene reads it in useFrame and panels poll it on a throttle, so telemetry never
 * causes a React render per message. `version` changes once per applied batch.
 */
import type { SignalInfo, TelemetryBatch } from '../engine/protocol';
import { SAMPLE_STRIDE } from '../engine/protocol';
import { SampleRing } from '../lib/ringBuffer';

/** Default history: one hour at 10 Hz per signal. */
export const DEFAULT_HISTORY_CAPACITY = 36_000;

export class TelemetryStore {
  readonly signals: SignalInfo[] = [];
  private readonly byId = new Map<string, number>();
  latest = new Float64Array(64).fill(NaN);
  times = new Float64Array(64);
  readonly history: SampleRing[] = [];
  /** Increments on every applied batch; readers compare it to skip work when nothing changed. */
  version = 0;
  private readonly signalListeners = new Set<() => void>();

  constructor(private readonly historyCapacity = DEFAULT_HISTORY_CAPACITY) {}

  addSignals(added: readonly SignalInfo[]): void {
    for (const info of added) {
      if (info.index >= this.latest.length) this.grow(info.index + 1);
      this.signals[info.index] = info;
      this.byId.set(info.id, info.index);
      this.history[info.index] = new SampleRing(this.historyCapacity);
    }
    if (added.length) for (const l of this.signalListeners) l();
  }

  applyBatch(batch: TelemetryBatch): void {
    const s = batch.samples;
    for (let k = 0; k < batch.count; k++) {
      const o = k * SAMPLE_STRIDE;
      const i = s[o];
      const v = s[o + 1];
      const t = s[o + 2];
      const ring = this.history[i];
      if (ring === undefined) continue; // a sample for a signal we were never told about: ignore
      this.latest[i] = v;
      this.times[i] = t;
      ring.push(t, v);
    }
    this.version++;
  }

  /** The index of a signal id, or -1 while no message has produced it yet. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  value(id: string): number {
    const i = this.indexOf(id);
    return i < 0 ? NaN : this.latest[i];
  }

  time(id: string): number {
    const i = this.indexOf(id);
    return i < 0 ? NaN : this.times[i];
  }

  /** Called when new signals appear (structure, not values). Returns its own unsubscribe. */
  onSignalsAdded(listener: () => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  reset(): void {
    this.signals.length = 0;
    this.byId.clear();
    this.history.length = 0;
    this.latest.fill(NaN);
    this.times.fill(0);
    this.version++;
    for (const l of this.signalListeners) l();
  }

  private grow(min: number): void {
    let n = this.latest.length;
    while (n < min) n *= 2;
    const latest = new Float64Array(n).fill(NaN);
    latest.set(this.latest);
    const times = new Float64Array(n);
    times.set(this.times);
    this.latest = latest;
    this.times = times;
  }
}

/** The app's one telemetry store. */
export const telemetry = new TelemetryStore();
