/**
 * Applies the twin's bindings to scene nodes, once per frame, reading the telemetry store directly.
 * No React, and no allocation in `apply`: targets are resolved once, colours are precomputed, and the
 * final look of each bound node (binding colour, stale wash, alarm emissive) is written only when it
 * changes.
 */
import { Box3, Color, Mesh, Vector3, type Camera, type Material, type Object3D } from 'three';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Binding, Twin } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { formatValue } from '../lib/format';
import { PRIORITY_RANK } from '../lib/alarmRollup';
import { ACK_GLOW, ALARM_GLOW, AlarmLook, lookOf, WARNING_GLOW } from './alarmLook';
import { signalMeta } from '../twin/signalMeta';
import { findNode, registryGeneration } from './sceneRegistry';
import { resolveColor } from './palette';
import { blinkOn, mapRange, rampPosition, scaleFraction, spinRadians, staleRgb, thresholdIndex } from './effects';

type ColorMaterial = Material & { color: Color; emissive?: Color };

/** What a label needs of a DOM element; an HTMLElement fits, and tests pass plain objects. */
export interface LabelElement {
  textContent: string | null;
  style: { transform: string; display: string };
  dataset: Record<string, string | undefined>;
}

/** Alarm state drawn on a node: none, acknowledged (steady glow) or unacknowledged (blinking). */
export { AlarmLook } from './alarmLook';

/** One bound scene node, shared by every binding that targets it. */
interface NodeState {
  path: string;
  node: Object3D | null;
  materials: ColorMaterial[];
  base: Color[];
  baseEmissive: (Color | null)[];
  /** Colour asked for by a colour binding; null keeps the model's colour. */
  color: Color;
  hasColor: boolean;
  stale: boolean;
  staleNext: boolean;
  alarm: AlarmLook;
  alarmColor: Color;
  lit: boolean;
  dirty: boolean;
  basePosition: Vector3;
  baseRotation: Vector3;
  /** Height of the node's top above its origin, for labels. */
  top: number;
}

interface Runtime {
  binding: Binding;
  state: NodeState;
  /** Precomputed stop colours (null = model colour). */
  stopColors: (Color | null)[];
  belowColor: Color | null;
  signalIndex: number;
  unit: string;
  prefix: string;
  /** Last applied value or colour key, to skip work when nothing changed. */
  lastKey: number;
  label: LabelElement | null;
  lastText: number;
  lastStale: boolean;
  lastX: number;
  lastY: number;
}

export interface BindingProblem {
  node: string;
  message: string;
}

/** The camera and canvas size labels are projected with. */
export interface LabelView {
  camera: Camera;
  width: number;
  height: number;
}

const scratch = new Color();
const rgb = { r: 0, g: 0, b: 0 };
const point = new Vector3();
const box = new Box3();

export class BindingRuntime {
  private readonly runtimes: Runtime[];
  private readonly nodes: NodeState[] = [];
  private resolvedAt = -1;
  private storeEpoch = -1;
  private alarms: readonly AlarmSnapshot[] = [];
  problems: BindingProblem[] = [];
  /** Whether the connection to the broker is up; when it is down every bound value is stale. */
  online = true;
  /** True after `apply` when something moves on its own (a spin), so another frame is needed. */
  moving = false;
  /** True after `apply` when a node blinks for an unacknowledged alarm. */
  blinking = false;

  constructor(
    twin: Twin,
    private readonly store: TelemetryStore,
  ) {
    const byPath = new Map<string, NodeState>();
    this.runtimes = twin.bindings.map((binding) => {
      let state = byPath.get(binding.node);
      if (!state) {
        state = newNodeState(binding.node);
        byPath.set(binding.node, state);
        this.nodes.push(state);
      }
      const e = binding.effect;
      const stops = e.kind === 'colorThresholds' || e.kind === 'colorRamp' ? e.stops : [];
      const meta = signalMeta(twin, binding.signal);
      return {
        binding,
        state,
        stopColors: stops.map(([, c]) => toColor(resolveColor(c))),
        belowColor: e.kind === 'colorThresholds' ? toColor(resolveColor(e.below)) : null,
        signalIndex: -1,
        unit: meta.unit,
        prefix: e.kind === 'label' ? (e.text ?? meta.label) : '',
        lastKey: NaN,
        label: null,
        lastText: NaN,
        lastStale: false,
        lastX: NaN,
        lastY: NaN,
      };
    });
  }

  /** Label bindings, in order, so a DOM layer can create one element for each. */
  labelBindings(): { index: number; binding: Binding }[] {
    const out: { index: number; binding: Binding }[] = [];
    this.runtimes.forEach((r, index) => {
      if (r.binding.effect.kind === 'label') out.push({ index, binding: r.binding });
    });
    return out;
  }

  /** Gives a label binding its element (null to detach). Text is set with textContent, never as HTML. */
  attachLabel(index: number, el: LabelElement | null): void {
    const r = this.runtimes[index];
    if (!r) return;
    r.label = el;
    r.lastText = NaN;
    r.lastX = NaN;
    r.lastY = NaN;
    if (el) el.style.display = 'none';
  }

  /** New alarm list (a structural change, not per frame). */
  setAlarms(alarms: readonly AlarmSnapshot[]): void {
    this.alarms = alarms;
    this.updateAlarmLooks();
  }

  /** The alarm look of a bound node, for tests and the probe. */
  alarmLook(path: string): AlarmLook {
    return this.nodes.find((n) => n.path === path)?.alarm ?? AlarmLook.None;
  }

  /** Whether a bound node is drawn as stale. */
  isStale(path: string): boolean {
    return this.nodes.find((n) => n.path === path)?.stale ?? false;
  }

  /**
   * Whether a node's stale look would change at `now` (ms): lets a slow timer wake an idle scene when
   * data stops arriving, without rendering frames while nothing changes.
   */
  staleChanged(now: number): boolean {
    this.computeStale(now);
    for (let n = 0; n < this.nodes.length; n++) if (this.nodes[n].staleNext !== this.nodes[n].stale) return true;
    return false;
  }

  /** Applies every binding; `dt` in seconds, `now` in ms since the epoch (for staleness). */
  apply(dt: number, now: number, view?: LabelView): void {
    if (this.store.epoch !== this.storeEpoch) {
      // A new session: indices start again, so the ones kept would point at other signals.
      this.storeEpoch = this.store.epoch;
      for (const r of this.runtimes) r.signalIndex = -1;
    }
    const gen = registryGeneration();
    if (gen !== this.resolvedAt) {
      this.resolvedAt = gen;
      this.resolve();
    }
    this.moving = false;
    const latest = this.store.latest;
    for (let i = 0; i < this.runtimes.length; i++) {
      const r = this.runtimes[i];
      const state = r.state;
      const node = state.node;
      if (node === null) continue;
      if (r.signalIndex < 0) {
        r.signalIndex = this.store.indexOf(r.binding.signal);
        if (r.signalIndex < 0) continue;
      }
      const value = latest[r.signalIndex];
      if (Number.isNaN(value)) continue;
      const e = r.binding.effect;
      switch (e.kind) {
        case 'spin': {
          const turn = spinRadians(value, e.rpmPerUnit, e.maxRpm, dt);
          node.rotation[e.axis] += turn;
          if (value !== 0) this.moving = true;
          break;
        }
        case 'scale':
          node.scale[e.axis] = scaleFraction(e.range, value);
          break;
        case 'visible':
          node.visible = e.when === 'truthy' ? value !== 0 : value === 0;
          break;
        case 'rotate':
          node.rotation[e.axis] = state.baseRotation[e.axis] + (mapRange(e.range, e.angles, value) * Math.PI) / 180;
          break;
        case 'translate':
          node.position[e.axis] = state.basePosition[e.axis] + mapRange(e.range, e.distance, value);
          break;
        case 'colorThresholds': {
          const k = thresholdIndex(e.stops, value);
          if (k !== r.lastKey) {
            r.lastKey = k;
            setColor(state, k < 0 ? r.belowColor : r.stopColors[k]);
          }
          break;
        }
        case 'colorRamp': {
          if (value !== r.lastKey) {
            r.lastKey = value;
            const p = rampPosition(e.stops, value);
            const a = r.stopColors[p.from];
            const b = r.stopColors[p.to];
            if (a && b) setColor(state, scratch.copy(a).lerp(b, p.t));
            else setColor(state, p.t < 0.5 ? a : b);
          }
          break;
        }
        case 'label':
          break; // drawn below, after staleness is known
        default: {
          const never: never = e;
          throw new Error(`unknown effect ${(never as { kind: string }).kind}`);
        }
      }
    }
    this.computeStale(now);
    const lit = blinkOn(now / 1000);
    this.blinking = false;
    for (let n = 0; n < this.nodes.length; n++) {
      const s = this.nodes[n];
      if (s.node === null) continue;
      if (s.staleNext !== s.stale) {
        s.stale = s.staleNext;
        s.dirty = true;
      }
      if (s.alarm === AlarmLook.Unacknowledged) {
        this.blinking = true;
        if (s.lit !== lit) {
          s.lit = lit;
          s.dirty = true;
        }
      }
      if (s.dirty) paint(s);
    }
    if (view) this.drawLabels(view);
  }

  /** Staleness per node, from the store's own query: connection down, period missed, or bad quality. */
  private computeStale(now: number): void {
    for (let n = 0; n < this.nodes.length; n++) this.nodes[n].staleNext = false;
    for (let i = 0; i < this.runtimes.length; i++) {
      const r = this.runtimes[i];
      if (r.signalIndex < 0 || Number.isNaN(this.store.latest[r.signalIndex])) continue;
      if (!this.online || this.store.isStale(r.signalIndex, now)) r.state.staleNext = true;
    }
  }

  private drawLabels(view: LabelView): void {
    const latest = this.store.latest;
    for (let i = 0; i < this.runtimes.length; i++) {
      const r = this.runtimes[i];
      const el = r.label;
      if (el === null || r.binding.effect.kind !== 'label') continue;
      const node = r.state.node;
      const value = r.signalIndex < 0 ? NaN : latest[r.signalIndex];
      if (node === null || !node.visible) {
        el.style.display = 'none';
        continue;
      }
      const stale = r.state.stale;
      if (value !== r.lastText || stale !== r.lastStale || Number.isNaN(r.lastX)) {
        // Text changes only when the value does: strings are built then, never per frame.
        r.lastText = value;
        r.lastStale = stale;
        el.textContent = `${r.prefix}: ${formatValue(value, r.unit)}${stale ? ' (stale)' : ''}`;
        el.dataset.stale = stale ? 'true' : 'false';
      }
      const o = r.binding.effect.offset;
      node.getWorldPosition(point);
      point.y += r.state.top;
      point.x += o[0];
      point.y += o[1];
      point.z += o[2];
      point.project(view.camera);
      if (point.z > 1 || point.z < -1) {
        el.style.display = 'none';
        r.lastX = NaN;
        continue;
      }
      const x = Math.round(((point.x + 1) / 2) * view.width);
      const y = Math.round(((1 - point.y) / 2) * view.height);
      if (x !== r.lastX || y !== r.lastY) {
        r.lastX = x;
        r.lastY = y;
        el.style.transform = `translate(${x}px, ${y}px) translate(-50%, -100%)`;
        el.style.display = '';
      }
    }
  }

  /** Resolves nodes when assets appear; records problems for bindings whose node is missing. */
  private resolve(): void {
    const problems: BindingProblem[] = [];
    const reported = new Set<string>();
    for (const s of this.nodes) {
      const found = findNode(s.path);
      if (found.ok) {
        if (s.node !== found.node) takeNode(s, found.node);
      } else {
        s.node = null;
        if (found.reason === 'no-node' && !reported.has(s.path)) {
          reported.add(s.path);
          problems.push({
            node: s.path,
            message: `no node "${s.path.split('/').slice(1).join('/')}" in the model (it has: ${found.names.slice(0, 30).join(', ')})`,
          });
        }
      }
    }
    for (const r of this.runtimes) {
      r.lastKey = NaN;
      r.lastText = NaN;
    }
    this.problems = problems;
    this.updateAlarmLooks();
  }

  private updateAlarmLooks(): void {
    const owners = this.alarms.map((a) => ({ alarm: a, node: a.asset ? findNode(a.asset) : null }));
    for (const s of this.nodes) {
      let look: AlarmLook = AlarmLook.None;
      let rank = Infinity;
      for (const { alarm, node } of owners) {
        if (!alarm.asset) continue;
        const owns =
          s.path === alarm.asset ||
          s.path.startsWith(`${alarm.asset}/`) ||
          (node?.ok === true && s.node !== null && isAncestorOrSelf(node.node, s.node));
        if (!owns) continue;
        const l = lookOf(alarm.state);
        if (l === AlarmLook.None) continue;
        const r = PRIORITY_RANK[alarm.priority];
        if (l > look) look = l;
        if (r < rank) rank = r;
      }
      const color = rank <= PRIORITY_RANK.high ? ALARM_GLOW : WARNING_GLOW;
      if (look !== s.alarm || !color.equals(s.alarmColor)) {
        s.alarm = look;
        s.alarmColor.copy(color);
        s.lit = false;
        s.dirty = true;
      }
    }
  }
}

function newNodeState(path: string): NodeState {
  return {
    path,
    node: null,
    materials: [],
    base: [],
    baseEmissive: [],
    color: new Color(),
    hasColor: false,
    stale: false,
    staleNext: false,
    alarm: AlarmLook.None,
    alarmColor: new Color(),
    lit: false,
    dirty: true,
    basePosition: new Vector3(),
    baseRotation: new Vector3(),
    top: 0,
  };
}

function isAncestorOrSelf(ancestor: Object3D, node: Object3D): boolean {
  for (let o: Object3D | null = node; o; o = o.parent) if (o === ancestor) return true;
  return false;
}

function toColor(hex: string | null): Color | null {
  return hex === null ? null : new Color(hex);
}

function setColor(state: NodeState, color: Color | null): void {
  state.hasColor = color !== null;
  if (color) state.color.copy(color);
  state.dirty = true;
}

/** Writes a node's final look: binding colour or model colour, washed out when stale, alarm emissive. */
function paint(s: NodeState): void {
  s.dirty = false;
  for (let m = 0; m < s.materials.length; m++) {
    const mat = s.materials[m];
    const c = s.hasColor ? s.color : s.base[m];
    if (s.stale) {
      staleRgb(c.r, c.g, c.b, rgb);
      mat.color.setRGB(rgb.r, rgb.g, rgb.b);
    } else {
      mat.color.copy(c);
    }
    const emissive = mat.emissive;
    const baseEmissive = s.baseEmissive[m];
    if (emissive && baseEmissive) {
      if (s.alarm === AlarmLook.Unacknowledged && s.lit) emissive.copy(s.alarmColor);
      else if (s.alarm === AlarmLook.Acknowledged) emissive.copy(s.alarmColor).multiplyScalar(ACK_GLOW);
      else emissive.copy(baseEmissive);
    }
  }
}

/** Takes a freshly resolved node: its pose, height and its own material copies. */
function takeNode(s: NodeState, node: Object3D): void {
  s.node = node;
  s.basePosition.copy(node.position);
  s.baseRotation.set(node.rotation.x, node.rotation.y, node.rotation.z);
  node.updateWorldMatrix(true, true);
  box.setFromObject(node);
  node.getWorldPosition(point);
  s.top = box.isEmpty() ? 0 : box.max.y - point.y;
  s.materials = [];
  s.base = [];
  s.baseEmissive = [];
  // Every mesh under a bound node gets its own material copy, so recolouring never leaks to other parts.
  node.traverse((o) => {
    // The selection rim (SelectionOutline) is not part of the model.
    if (!(o instanceof Mesh) || o.userData.selectionHull) return;
    const list = Array.isArray(o.material) ? o.material : [o.material];
    const owned = list.map((m: Material) => {
      const copy = m.clone() as ColorMaterial;
      if (copy.color instanceof Color) {
        s.materials.push(copy);
        s.base.push(copy.color.clone());
        s.baseEmissive.push(copy.emissive instanceof Color ? copy.emissive.clone() : null);
      }
      return copy;
    });
    o.material = Array.isArray(o.material) ? owned : owned[0];
  });
  s.dirty = true;
}
