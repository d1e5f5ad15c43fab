/**
 * Per-instance bindings for an instanced asset (10,000 panels, racks...): each instance has its own
 * signal, and the effects write straight into typed arrays that back the InstancedMesh buffers.
 * No React, no three.js scene objects, and no allocation in `apply`.
 */
import { Color } from 'three';
import type { Asset } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { blinkOn, staleRgb } from './effects';
import { AlarmLook, foldAlarm, glowColor, glowStrength, noAlarm } from './alarmLook';
import { colorScale, over, resolvedTables, scaleRgba, type ColorScale, type Rgba } from './colorScale';
import type { AlarmSnapshot } from '../engine/protocol';

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
  /** Store index of each instance's signal, -1 until the signal has appeared. */
  index: Int32Array;
  /**
   * The same as runs of consecutive instances whose signals are consecutive in the store, three
   * numbers each (first instance, its store index, length), `runCount` of them; instances without a
   * signal yet are in none. The hot passes read `latest` straight along a run instead of through
   * `index` per instance (the store adds a row's signals together: a 100 x 100 field is one or two runs).
   */
  runs: Int32Array;
  runCount: number;
  /** Last value seen per instance, for the bindings that act on changes only (visibility, several colours). */
  last: Float64Array;
  /** 0 ramp, 1 thresholds, 2 visible: checked once per slot, not per instance. */
  mode: number;
  /** The colour effect's stops (colorScale.ts: the same mapping as node bindings). */
  scale: ColorScale | null;
  /**
   * The same, flat, with each stop drawn over the model colour (`resolvedTables`): stop values and
   * linear RGB per stop, what the hot loops inline.
   */
  stopValues: Float64Array;
  stopRgb: Float64Array;
  /**
   * Per ramp segment j (stop j to j+1), SEGMENT numbers: a and b per channel (a r, a g, a b, b r,
   * b g, b b) with the colour at value v being a + b * v (a zero-width segment, which the pass never
   * picks, has b = 0). The blend is then one multiply-add per channel, with no division.
   */
  segments: Float64Array;
  /** Thresholds: RGB below the first stop. */
  belowRgb: Float64Array;
}

const rgb = { r: 0, g: 0, b: 0 };
const rgba: Rgba = { r: 0, g: 0, b: 0, a: 0 };

/**
 * How a frame's work is split, so that the common case costs what a hand-written loop costs
 * (`npm run bench -- scene`):
 * - One colour binding (the usual case): when the store has new values, every instance's colour is
 *   recomputed from its value in one tight pass, with no per-instance change or staleness check
 *   (checking was dearer than recolouring). Instances drawn stale or in alarm, few in a healthy
 *   field, are then repainted over it.
 * - Staleness is kept per instance between frames: rechecked for all instances only when it may have
 *   changed (connection, the store's `staleEvents`, or the idle timer's `staleChanged`), and for the
 *   instances already stale whenever new values arrive (a new value may freshen them).
 * - Visibility and several colour bindings on one instance act on changed values only.
 */
export class InstanceBindings {
  readonly count: number;
  readonly rows: number;
  readonly columns: number;
  readonly keys: string[];
  readonly xz: Float32Array;
  /** Linear RGB per instance: the buffer of the InstancedMesh's instanceColor. */
  readonly colors: Float32Array;
  /** 1 shown, 0 hidden, per instance. */
  readonly shown: Uint8Array;
  /** Stale flag per instance (drawn washed out). */
  readonly stale: Uint8Array;
  /** Alarm look per instance (AlarmLook): unacknowledged blinks, acknowledged glows steadily. */
  readonly alarm: Uint8Array;
  /** True after `apply` while an instance blinks: the scene needs a frame at the next flip. */
  blinking = false;
  colorsChanged = false;
  shownChanged = false;
  /** Instances recoloured or re-evaluated on the last `apply` (the benchmark's per-frame count). */
  changed = 0;
  private readonly slots: Slot[];
  private readonly colorSlots: Slot[];
  private readonly visibleSlots: Slot[];
  private readonly keyIndex: Map<string, number>;
  /** 1 when an instance's alarm glows in the alarm colour (high, urgent), 0 for the warning colour. */
  private readonly alarmRed: Uint8Array;
  /** Instances with an alarm look, instances drawn stale, and instances to repaint on the next apply. */
  private alarmed: number[] = [];
  private staleList: number[] = [];
  private repaint: number[] = [];
  private lit = false;
  private connected = true;
  private staleDirty = true;
  private resolvedSignals = -1;
  private storeVersion = -1;
  private staleEvents = -1;
  private storeEpoch = 0;

  constructor(
    def: InstancesDef,
    private readonly store: TelemetryStore,
    private readonly base: Color,
  ) {
    const layout = instanceLayout(def);
    this.keys = layout.keys;
    this.xz = layout.xz;
    this.count = layout.keys.length;
    this.rows = def.rows;
    this.columns = def.columns;
    this.colors = new Float32Array(this.count * 3);
    this.shown = new Uint8Array(this.count).fill(1);
    this.stale = new Uint8Array(this.count);
    this.alarm = new Uint8Array(this.count);
    this.alarmRed = new Uint8Array(this.count);
    this.keyIndex = new Map(layout.keys.map((key, k) => [key, k]));
    this.slots = def.bindings.map((b) => {
      const ids = layout.keys.map((key, k) =>
        instanceSignal(b.signal, key, Math.floor(k / def.columns), k % def.columns),
      );
      const e = b.effect;
      const scale = e.kind === 'colorThresholds' || e.kind === 'colorRamp' ? colorScale(e) : null;
      const tables = scale
        ? resolvedTables(scale, base)
        : { stopRgb: new Float64Array(0), belowRgb: new Float64Array(3) };
      return {
        def: b,
        ids,
        index: new Int32Array(this.count).fill(-1),
        runs: new Int32Array(0),
        runCount: 0,
        last: new Float64Array(this.count).fill(NaN),
        mode: e.kind === 'colorRamp' ? 0 : e.kind === 'colorThresholds' ? 1 : 2,
        scale,
        stopValues: scale ? scale.values : new Float64Array(0),
        ...tables,
        segments: rampSegments(scale ? scale.values : new Float64Array(0), tables.stopRgb),
      };
    });
    this.colorSlots = this.slots.filter((x) => x.mode !== 2);
    this.visibleSlots = this.slots.filter((x) => x.mode === 2);
    this.forgetSession();
  }

  /** The signal ids bound to one instance (for the inspector). */
  signalsOf(key: string): string[] {
    const k = this.indexOfKey(key);
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
    const newSession = store.epoch !== this.storeEpoch;
    if (newSession) this.forgetSession();
    if (store.signals.length !== this.resolvedSignals) {
      // New signals appeared (structure, not values): look up the instances still without one.
      this.resolvedSignals = store.signals.length;
      for (const s of this.slots) {
        for (let k = 0; k < this.count; k++) if (s.index[k] < 0) s.index[k] = store.indexOf(s.ids[k]);
        setRuns(s);
      }
      this.staleDirty = true;
    }
    const fresh = store.version !== this.storeVersion;
    this.storeVersion = store.version;
    if (store.staleEvents !== this.staleEvents) {
      this.staleEvents = store.staleEvents;
      this.staleDirty = true;
    }
    this.colorsChanged = newSession;
    this.shownChanged = false;
    this.changed = 0;

    if (this.staleDirty) this.recheckStale(now);
    else if (fresh && this.staleList.length > 0) this.refreshStale(now);

    if (fresh) {
      for (let n = 0; n < this.visibleSlots.length; n++) this.applyChanges(this.visibleSlots[n]);
      if (this.colorSlots.length === 1) {
        const s = this.colorSlots[0];
        const recoloured = s.mode === 0 ? this.rampPass(s) : this.thresholdPass(s);
        this.changed += recoloured;
        if (recoloured > 0) {
          this.colorsChanged = true;
          // The pass drew every instance plain: put the washed-out and glowing ones back.
          for (let n = 0; n < this.staleList.length; n++) this.paint(this.staleList[n]);
          for (let n = 0; n < this.alarmed.length; n++) this.paint(this.alarmed[n]);
        }
      } else {
        for (let n = 0; n < this.colorSlots.length; n++) this.applyChanges(this.colorSlots[n]);
      }
    }

    // Alarm looks: instances whose alarm changed, and every blinking one when the blink flips.
    const lit = blinkOn(now / 1000);
    this.blinking = false;
    for (let n = 0; n < this.alarmed.length; n++) {
      if (this.alarm[this.alarmed[n]] === AlarmLook.Unacknowledged) this.blinking = true;
    }
    if (lit !== this.lit) {
      this.lit = lit;
      for (let n = 0; n < this.alarmed.length; n++) {
        const k = this.alarmed[n];
        if (this.alarm[k] === AlarmLook.Unacknowledged) this.paint(k);
      }
    }
    for (let n = 0; n < this.repaint.length; n++) this.paint(this.repaint[n]);
    this.repaint.length = 0;
  }

  /**
   * The hot loop for a colour ramp: 10,000 instances a frame under load. Locals and flat colour tables,
   * the blend inline, and the test order chosen so that "no value yet" (NaN fails every comparison)
   * costs no check of its own: each of those made this loop measurably slower. Values are read along
   * runs (no `index` load per instance), and the segment is searched from the top: the last segment
   * whose start is below v, the same segment as the first whose end is at or above v (a value on a
   * step takes the segment below it), found with one comparison per stop above v. A two-stop ramp
   * needs none, and the solar field's healthy panels sit in its top segment; searching up from the
   * bottom, as this did, cost three there (`npm run bench -- instance-loop`). Before any search, a
   * value inside the segment last blended is blended at once (two comparisons), and a blend is
   * a + b * v per channel: the loop then costs no more than the hand-written one in V8's middle tier
   * (Maglev, `--browser` with TWINVIEW_BENCH_JS_FLAGS=--max-opt=2), where a scene bench round whose
   * page had not reached the top tier (TurboFan) had run three times slower.
   */
  private rampPass(s: Slot): number {
    const latest = this.store.latest;
    const runs = s.runs;
    const colors = this.colors;
    const values = s.stopValues;
    const table = s.stopRgb;
    const seg = s.segments;
    const lastStop = values.length - 1;
    const low = values[0];
    const high = values[lastStop];
    const top = lastStop * 3;
    let painted = 0;
    // The segment last blended, its bounds and numbers in locals: neighbours mostly share a segment,
    // and a value inside it is blended after two comparisons (NaN fails both).
    let lo = NaN;
    let hi = NaN;
    let ar = 0;
    let ag = 0;
    let ab = 0;
    let br = 0;
    let bg = 0;
    let bb = 0;
    for (let run = 0; run < s.runCount; run++) {
      const k0 = runs[run * 3];
      const shift = runs[run * 3 + 1] - k0;
      const end = k0 + runs[run * 3 + 2];
      for (let k = k0; k < end; k++) {
        const v = latest[k + shift];
        const o = k * 3;
        if (v > lo && v <= hi) {
          colors[o] = ar + br * v;
          colors[o + 1] = ag + bg * v;
          colors[o + 2] = ab + bb * v;
        } else if (v > low && v < high) {
          let j = lastStop - 1;
          while (v <= values[j]) j--; // stops at 0 at the latest: v > low
          lo = values[j];
          hi = values[j + 1];
          const q = j * SEGMENT;
          ar = seg[q];
          ag = seg[q + 1];
          ab = seg[q + 2];
          br = seg[q + 3];
          bg = seg[q + 4];
          bb = seg[q + 5];
          colors[o] = ar + br * v;
          colors[o + 1] = ag + bg * v;
          colors[o + 2] = ab + bb * v;
        } else if (v <= low) {
          colors[o] = table[0];
          colors[o + 1] = table[1];
          colors[o + 2] = table[2];
        } else if (v >= high) {
          colors[o] = table[top];
          colors[o + 1] = table[top + 1];
          colors[o + 2] = table[top + 2];
        } else {
          continue; // NaN: no value yet, the model's colour stays
        }
        painted++;
      }
    }
    return painted;
  }

  /** The hot loop for colour thresholds: the colour below the first stop, then the last stop reached. */
  private thresholdPass(s: Slot): number {
    const latest = this.store.latest;
    const runs = s.runs;
    const colors = this.colors;
    const values = s.stopValues;
    const table = s.stopRgb;
    const below = s.belowRgb;
    const lastStop = values.length - 1;
    let painted = 0;
    for (let run = 0; run < s.runCount; run++) {
      const k0 = runs[run * 3];
      const shift = runs[run * 3 + 1] - k0;
      const end = k0 + runs[run * 3 + 2];
      for (let k = k0; k < end; k++) {
        const v = latest[k + shift];
        if (v !== v) continue; // NaN: no value yet
        let j = -1;
        while (j < lastStop && v >= values[j + 1]) j++;
        const src = j < 0 ? below : table;
        const p = j < 0 ? 0 : j * 3;
        const o = k * 3;
        colors[o] = src[p];
        colors[o + 1] = src[p + 1];
        colors[o + 2] = src[p + 2];
        painted++;
      }
    }
    return painted;
  }

  /**
   * The store was reset for a new session: its signal indices start again, so the ones kept would
   * point at other signals. No values yet either: every instance goes back to the model's colour.
   */
  private forgetSession(): void {
    this.storeEpoch = this.store.epoch;
    for (const s of this.slots) {
      s.index.fill(-1);
      s.runCount = 0;
      s.last.fill(NaN);
    }
    this.resolvedSignals = -1;
    for (let k = 0; k < this.count; k++) {
      this.colors[k * 3] = this.base.r;
      this.colors[k * 3 + 1] = this.base.g;
      this.colors[k * 3 + 2] = this.base.b;
    }
    this.stale.fill(0);
    this.staleList.length = 0;
    for (const k of this.alarmed) this.repaint.push(k);
  }

  /** Visibility, or one of several colour bindings: acts on the instances whose value changed. */
  private applyChanges(s: Slot): void {
    const latest = this.store.latest;
    const visible = s.def.effect.kind === 'visible' ? s.def.effect : null;
    for (let k = 0; k < this.count; k++) {
      const i = s.index[k];
      if (i < 0) continue;
      const v = latest[i];
      if (v !== v || v === s.last[k]) continue;
      s.last[k] = v;
      this.changed++;
      if (visible === null) {
        this.paint(k);
        continue;
      }
      const show = (visible.when === 'truthy') === (v !== 0) ? 1 : 0;
      if (show !== this.shown[k]) {
        this.shown[k] = show;
        this.shownChanged = true;
      }
    }
  }

  /**
   * 1 when instance k should be drawn stale: one of its bound signals has a value that is stale (the
   * connection is down, its period was missed, or its source marked it bad). No value yet is not stale.
   */
  private staleOf(k: number, now: number): number {
    const store = this.store;
    for (let si = 0; si < this.slots.length; si++) {
      const i = this.slots[si].index[k];
      if (i < 0 || Number.isNaN(store.latest[i])) continue;
      if (!this.connected || store.isStale(i, now)) return 1;
    }
    return 0;
  }

  /** Staleness of every instance; those whose look changed are repainted. */
  private recheckStale(now: number): void {
    this.staleDirty = false;
    this.staleList.length = 0;
    for (let k = 0; k < this.count; k++) {
      const st = this.staleOf(k, now);
      if (st) this.staleList.push(k);
      if (st !== this.stale[k]) {
        this.stale[k] = st;
        this.repaint.push(k);
      }
    }
  }

  /** Staleness of the instances drawn stale only: new values may have freshened them. */
  private refreshStale(now: number): void {
    let kept = 0;
    for (let n = 0; n < this.staleList.length; n++) {
      const k = this.staleList[n];
      if (this.staleOf(k, now)) {
        this.staleList[kept++] = k;
      } else {
        this.stale[k] = 0;
        this.repaint.push(k);
      }
    }
    this.staleList.length = kept;
  }

  /**
   * New alarm list (structural, not per frame): an alarm whose asset is "<asset id>/<instance key>"
   * lights that instance. Looks that changed are repainted on the next `apply`.
   */
  setAlarms(alarms: readonly AlarmSnapshot[], assetId: string): void {
    const prefix = `${assetId}/`;
    const look = new Uint8Array(this.count);
    const rank = new Uint8Array(this.count);
    const part = noAlarm();
    for (const a of alarms) {
      if (!a.asset?.startsWith(prefix)) continue;
      const k = this.keyIndex.get(a.asset.slice(prefix.length).split('/')[0]);
      if (k === undefined) continue;
      part.look = look[k] as AlarmLook;
      part.red = rank[k] === 1;
      foldAlarm(part, a);
      look[k] = part.look;
      rank[k] = part.red ? 1 : 0;
    }
    this.alarmed = [];
    for (let k = 0; k < this.count; k++) {
      if (look[k] !== AlarmLook.None) this.alarmed.push(k);
      if (look[k] !== this.alarm[k] || rank[k] !== this.alarmRed[k]) {
        this.alarm[k] = look[k];
        this.alarmRed[k] = rank[k];
        this.repaint.push(k);
      }
    }
  }

  /** The key `dRow` rows and `dColumn` columns from `key`, kept on the grid; null for an unknown key. */
  neighbour(key: string, dRow: number, dColumn: number): string | null {
    const k = this.indexOfKey(key);
    if (k < 0) return null;
    const row = Math.min(this.rows - 1, Math.max(0, Math.floor(k / this.columns) + dRow));
    const column = Math.min(this.columns - 1, Math.max(0, (k % this.columns) + dColumn));
    return this.keys[row * this.columns + column];
  }

  /** Index of an instance by key, -1 when there is none. */
  indexOfKey(key: string): number {
    return this.keyIndex.get(key) ?? -1;
  }

  /** The alarm look of one instance by key, for the probe and tests. */
  alarmLookOf(key: string): AlarmLook {
    const k = this.keyIndex.get(key);
    return k === undefined ? AlarmLook.None : (this.alarm[k] as AlarmLook);
  }

  /**
   * Writes instance k's final colour: its binding colour (the last colour binding with a value, or the
   * model's colour), washed out when stale, plus the alarm glow (added, like an emissive light).
   */
  private paint(k: number): void {
    rgb.r = this.base.r;
    rgb.g = this.base.g;
    rgb.b = this.base.b;
    const latest = this.store.latest;
    for (let si = 0; si < this.colorSlots.length; si++) {
      const s = this.colorSlots[si];
      const i = s.index[k];
      const v = i < 0 ? NaN : latest[i];
      if (!Number.isNaN(v)) slotRgb(s, v, this.base, rgb);
    }
    let r = rgb.r;
    let g = rgb.g;
    let b = rgb.b;
    if (this.stale[k]) {
      staleRgb(r, g, b, rgb);
      r = rgb.r;
      g = rgb.g;
      b = rgb.b;
    }
    const look = this.alarm[k] as AlarmLook;
    if (look !== AlarmLook.None) {
      // Added, like the emissive light a node's glow adds (an instance colour has no emissive of its own).
      const strength = glowStrength(look, this.lit);
      const glow = glowColor(this.alarmRed[k] === 1);
      r += glow.r * strength;
      g += glow.g * strength;
      b += glow.b * strength;
    }
    const o = k * 3;
    this.colors[o] = r;
    this.colors[o + 1] = g;
    this.colors[o + 2] = b;
    this.colorsChanged = true;
  }

  /** Whether any instance's stale look would change at `now`, so an idle scene wakes only then. */
  staleChanged(now: number): boolean {
    for (let k = 0; k < this.count; k++) {
      if (this.staleOf(k, now) !== this.stale[k]) {
        this.staleDirty = true;
        return true;
      }
    }
    return false;
  }
}

const SEGMENT = 6;

/** `slot.runs` from `slot.index`: runs of instances whose store indices go up by one with them. */
function setRuns(s: Pick<Slot, 'index' | 'runs' | 'runCount'>): void {
  const runs = instanceRuns(s.index);
  s.runs = runs.runs;
  s.runCount = runs.count;
}

/**
 * Runs of consecutive instances with consecutive store indices, three numbers each (first instance,
 * its store index, length); instances with index -1 (no signal yet) are left out.
 */
export function instanceRuns(index: Int32Array): { runs: Int32Array; count: number } {
  const found: number[] = [];
  for (let k = 0; k < index.length;) {
    const i = index[k];
    if (i < 0) {
      k++;
      continue;
    }
    let length = 1;
    while (k + length < index.length && index[k + length] === i + length) length++;
    found.push(k, i, length);
    k += length;
  }
  return { runs: Int32Array.from(found), count: found.length / 3 };
}

/** The ramp's segments as `Slot.segments` lays them out, from the stop values and their resolved colours. */
export function rampSegments(values: Float64Array, stopRgb: Float64Array): Float64Array {
  const n = Math.max(0, values.length - 1);
  const seg = new Float64Array(n * SEGMENT);
  for (let j = 0; j < n; j++) {
    const o = j * SEGMENT;
    const width = values[j + 1] - values[j];
    const scale = width > 0 ? 1 / width : 0;
    for (let c = 0; c < 3; c++) {
      const slope = (stopRgb[j * 3 + 3 + c] - stopRgb[j * 3 + c]) * scale;
      seg[o + c] = stopRgb[j * 3 + c] - slope * values[j];
      seg[o + 3 + c] = slope;
    }
  }
  return seg;
}

/** A colour binding's linear RGB for value `v` over the model colour, into `out`: the shared definition. */
function slotRgb(s: Slot, v: number, base: Color, out: { r: number; g: number; b: number }): void {
  if (s.scale !== null && scaleRgba(s.scale, v, rgba)) over(rgba, base, out);
}
