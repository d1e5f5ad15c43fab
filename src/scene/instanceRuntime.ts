/**
 * Per-instance bindings for an instanced asset (10,000 panels, racks...): each instance has its own
 * signal, and the effects write straight into typed arrays that back the InstancedMesh buffers.
 * No React, no three.js scene objects, and no allocation in `apply`.
 */
import { Color } from 'three';
import type { Asset } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { resolveColor } from './palette';
import { staleRgb, thresholdIndex } from './effects';

export type InstancesDef = NonNullable<Asset['instances']>;
type InstanceBindingDef = InstancesDef['bindings'][number];

/** The name of instance (row, column), from the asset's key pattern. */
export function instanceKey(pattern: string, row: number, column: number): string {
  return pattern.replaceAll('{row}', String(row)).replaceAll('{column}', String(column));
}

/** Instance names and their grid positions (x, z), row by row, centred on the asset origin. */
export function instanceLayout(def: InstancesDef): { keys: string[]; xz: Float32Array } {
  const n = def.rows * def.columns;
  const keys = new Array<string>(n);
  const xz = new Float32Array(n * 2);
  const [dx, dz] = def.spacing;
  const x0 = -((def.columns - 1) * dx) / 2;
  const z0 = -((def.rows - 1) * dz) / 2;
  for (let r = 0; r < def.rows; r++) {
    for (let c = 0; c < def.columns; c++) {
      const k = r * def.columns + c;
      keys[k] = instanceKey(def.key, r, c);
      xz[k * 2] = x0 + c * dx;
      xz[k * 2 + 1] = z0 + r * dz;
    }
  }
  return { keys, xz };
}

/** The concrete signal id of one instance for a binding's signal pattern. */
export function instanceSignal(pattern: string, key: string, row: number, column: number): string {
  return pattern.replaceAll('{instance}', key).replaceAll('{row}', String(row)).replaceAll('{column}', String(column));
}

interface Slot {
  def: InstanceBindingDef;
  ids: string[];
  index: Int32Array;
  last: Float64Array;
  stops: number[];
  stopColors: (Color | null)[];
  below: Color | null;
}

const rgb = { r: 0, g: 0, b: 0 };
const mix = new Color();

export class InstanceBindings {
  readonly count: number;
  readonly keys: string[];
  readonly xz: Float32Array;
  /** Linear RGB per instance: the buffer of the InstancedMesh's instanceColor. */
  readonly colors: Float32Array;
  /** 1 shown, 0 hidden, per instance. */
  readonly shown: Uint8Array;
  /** Stale flag per instance (drawn washed out). */
  readonly stale: Uint8Array;
  colorsChanged = false;
  shownChanged = false;
  /** Instances whose value or staleness changed on the last `apply`. */
  changed = 0;
  private readonly slots: Slot[];
  private connected = true;
  /**
   * Staleness is re-read for every instance only when it may have changed (connection, or the idle
   * check in `staleChanged` found a difference); otherwise only for instances with a new value. The
   * per-instance staleness query was most of the frame's binding cost at 10,000 instances.
   */
  private staleDirty = true;
  private resolvedSignals = -1;

  constructor(
    def: InstancesDef,
    private readonly store: TelemetryStore,
    private readonly base: Color,
  ) {
    const layout = instanceLayout(def);
    this.keys = layout.keys;
    this.xz = layout.xz;
    this.count = layout.keys.length;
    this.colors = new Float32Array(this.count * 3);
    this.shown = new Uint8Array(this.count).fill(1);
    this.stale = new Uint8Array(this.count);
    for (let k = 0; k < this.count; k++) this.colors.set([base.r, base.g, base.b], k * 3);
    this.slots = def.bindings.map((b) => {
      const ids = layout.keys.map((key, k) =>
        instanceSignal(b.signal, key, Math.floor(k / def.columns), k % def.columns),
      );
      const e = b.effect;
      const stops = e.kind === 'colorThresholds' || e.kind === 'colorRamp' ? e.stops : [];
      return {
        def: b,
        ids,
        index: new Int32Array(this.count).fill(-1),
        last: new Float64Array(this.count).fill(NaN),
        stops: stops.map(([v]) => v),
        stopColors: stops.map(([, c]) => {
          const hex = resolveColor(c);
          return hex === null ? null : new Color(hex);
        }),
        below: e.kind === 'colorThresholds' ? toColor(resolveColor(e.below)) : null,
      };
    });
  }

  /** The signal ids bound to one instance (for the inspector). */
  signalsOf(key: string): string[] {
    const k = this.keys.indexOf(key);
    return k < 0 ? [] : this.slots.map((s) => s.ids[k]);
  }

  get online(): boolean {
    return this.connected;
  }

  set online(value: boolean) {
    if (value !== this.connected) this.staleDirty = true;
    this.connected = value;
  }

  /** Applies every instance binding; `now` in ms. Sets colorsChanged / shownChanged when buffers changed. */
  apply(now: number): void {
    const store = this.store;
    if (store.signals.length !== this.resolvedSignals) {
      // New signals appeared (structure, not values): look up the instances still without one.
      this.resolvedSignals = store.signals.length;
      for (const s of this.slots) {
        for (let k = 0; k < this.count; k++) if (s.index[k] < 0) s.index[k] = store.indexOf(s.ids[k]);
      }
    }
    const latest = store.latest;
    const online = this.connected;
    const recheck = this.staleDirty;
    this.staleDirty = false;
    this.colorsChanged = false;
    this.shownChanged = false;
    this.changed = 0;
    for (let si = 0; si < this.slots.length; si++) {
      const s = this.slots[si];
      const e = s.def.effect;
      for (let k = 0; k < this.count; k++) {
        const i = s.index[k];
        if (i < 0) continue;
        const v = latest[i];
        if (Number.isNaN(v)) continue;
        if (v === s.last[k] && !recheck) continue;
        // The store's query: connection down, period missed, or bad quality (Sparkplug death, gaps).
        const stale = !online || store.isStale(i, now) ? 1 : 0;
        if (v === s.last[k] && stale === this.stale[k]) continue;
        s.last[k] = v;
        this.stale[k] = stale;
        this.changed++;
        if (e.kind === 'visible') {
          const show = (e.when === 'truthy') === (v !== 0) ? 1 : 0;
          if (show !== this.shown[k]) {
            this.shown[k] = show;
            this.shownChanged = true;
          }
          continue;
        }
        const c = e.kind === 'colorRamp' ? this.ramp(s, v) : this.threshold(s, v);
        const o = k * 3;
        if (stale) {
          staleRgb(c.r, c.g, c.b, rgb);
          this.colors[o] = rgb.r;
          this.colors[o + 1] = rgb.g;
          this.colors[o + 2] = rgb.b;
        } else {
          this.colors[o] = c.r;
          this.colors[o + 1] = c.g;
          this.colors[o + 2] = c.b;
        }
        this.colorsChanged = true;
      }
    }
  }

  /** Whether any instance's stale look would change at `now`, so an idle scene wakes only then. */
  staleChanged(now: number): boolean {
    for (const s of this.slots) {
      for (let k = 0; k < this.count; k++) {
        const i = s.index[k];
        if (i < 0 || Number.isNaN(this.store.latest[i])) continue;
        if ((!this.connected || this.store.isStale(i, now) ? 1 : 0) !== this.stale[k]) {
          this.staleDirty = true;
          return true;
        }
      }
    }
    return false;
  }

  private threshold(s: Slot, v: number): Color {
    const k = thresholdIndex(s.def.effect.kind === 'colorThresholds' ? s.def.effect.stops : [], v);
    return (k < 0 ? s.below : s.stopColors[k]) ?? this.base;
  }

  /** Ramp colour without allocating: the stop pair around v, blended into a shared scratch colour. */
  private ramp(s: Slot, v: number): Color {
    const stops = s.stops;
    const last = stops.length - 1;
    if (v <= stops[0]) return s.stopColors[0] ?? this.base;
    if (v >= stops[last]) return s.stopColors[last] ?? this.base;
    let i = 0;
    while (v > stops[i + 1]) i++;
    const t = (v - stops[i]) / (stops[i + 1] - stops[i]);
    return mix.copy(s.stopColors[i] ?? this.base).lerp(s.stopColors[i + 1] ?? this.base, t);
  }
}

function toColor(hex: string | null): Color | null {
  return hex === null ? null : new Color(hex);
}
