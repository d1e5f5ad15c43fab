/**
 * Applies the twin's bindings to scene nodes, once per frame, reading the telemetry store directly.
 * No React, and no allocation in `apply`: targets are resolved once, colours are precomputed, and the
 * final look of each bound node (binding colour, stale wash, alarm glow: its overlay, overlay.ts) is
 * written only when it changes.
 */
import { Bone, Box3, Mesh, SkinnedMesh, Vector3, type Sphere, type Camera, type Material, type Object3D } from 'three';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Binding, Twin } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { labelText } from './readingText';
import { AlarmLook, foldAlarm, glowColor, glowStrength, noAlarm } from './alarmLook';
import { signalMeta } from '../twin/signalMeta';
import { findNode, registryGeneration } from './sceneRegistry';
import { colorScale, scaleRgba, type ColorScale, type Rgba } from './colorScale';
import { attachOverlay, newOverlay, type Overlay } from './overlay';
import { blinkOn, mapRange, scaleFraction, spinRadians } from './effects';

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
  /** The meshes under the node and the materials they had before the node's own copies replaced them. */
  meshes: { mesh: Mesh; material: Material | Material[] }[];
  /** The node's material copies: freed when the node goes (its model unmounts) or the runtime does. */
  copies: Material[];
  /** Skinned meshes this node (a bone, or a node above bones) moves: their bounds follow its pose. */
  skinned: SkinnedMesh[];
  overlay: Overlay;
  /** Colour asked for by colour bindings (premultiplied, colorScale.ts); coverage 0 keeps the model's look. */
  tint: Rgba;
  stale: boolean;
  staleNext: boolean;
  alarm: AlarmLook;
  /** The glow is in the alarm colour (high, urgent), else the warning colour. */
  red: boolean;
  lit: boolean;
  dirty: boolean;
  basePosition: Vector3;
  baseRotation: Vector3;
  /** Height of the node's top above its origin, for labels. */
  top: number;
  /** The pass of `apply` that last listed the node as touched. */
  touchedIn: number;
  /** A spin turned the node since the last frame drawn. */
  spunUndrawn: boolean;
}

interface Runtime {
  binding: Binding;
  state: NodeState;
  /** The colour effect's stops (colorScale.ts), null for other effects. */
  scale: ColorScale | null;
  signalIndex: number;
  unit: string;
  prefix: string;
  /** Last applied value or colour key, to skip work when nothing changed. */
  lastKey: number;
  label: LabelElement | null;
  lastText: number;
  /** The label's text must be written at the next pass whatever the value (new element, node found or shown again). */
  textDirty: boolean;
  /** When (ms since the epoch) the label's text was last written. */
  lastTextAt: number;
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

/** A label's text changes at most this often (ms): four readings a second. */
export const LABEL_TEXT_INTERVAL_MS = 250;

const rgba: Rgba = { r: 0, g: 0, b: 0, a: 0 };
const part = noAlarm();
const point = new Vector3();
const box = new Box3();

export class BindingRuntime {
  private readonly runtimes: Runtime[];
  private readonly nodes: NodeState[] = [];
  private resolvedAt = -1;
  private storeEpoch = -1;
  private alarms: readonly AlarmSnapshot[] = [];
  problems: BindingProblem[] = [];
  /**
   * How far above its node's top a label without an `offset` sits (metres): set from the scene's size
   * (sceneFraming.ts labelLift), so it is millimetres on a small part and metres on a site.
   */
  labelLift = 0.4;
  /** Whether the connection to the broker is up; when it is down every bound value is stale. */
  online = true;
  /** True after `apply` when something moves on its own (a spin), so another frame is needed. */
  moving = false;
  /**
   * True after `apply` when what is drawn changed other than by a spin (a colour, a pose, visibility,
   * a stale or alarm look): the scene draws such a frame at once (framePolicy.ts).
   */
  changed = false;
  /** True after `apply` when a node blinks for an unacknowledged alarm. */
  blinking = false;
  /**
   * After `apply`: milliseconds until a label's newer text, held back to at most one change per
   * LABEL_TEXT_INTERVAL_MS, may be written (0: none waits). The scene asks for a pass then.
   */
  labelDue = 0;
  /**
   * The parts whose look or pose `apply` changed (spins included), `touchedCount` of them: a frame
   * under software WebGL redraws only around them (damage.ts). Reused from pass to pass.
   */
  readonly touched: Object3D[] = [];
  touchedCount = 0;
  /** True after `apply` when a change has no place of its own to redraw (a model loaded, a bone moved a skin). */
  wholeFrame = false;
  /** Every bound part, as resolved (null where the scene has no such node). */
  readonly bound: (Object3D | null)[] = [];
  private pass = 0;
  private readonly touchedStates: NodeState[] = [];

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
      const meta = signalMeta(twin, binding.signal);
      return {
        binding,
        state,
        scale: e.kind === 'colorThresholds' || e.kind === 'colorRamp' ? colorScale(e) : null,
        signalIndex: -1,
        unit: meta.unit,
        prefix: e.kind === 'label' ? (e.text ?? meta.label) : '',
        lastKey: NaN,
        label: null,
        lastText: NaN,
        textDirty: true,
        lastTextAt: Number.NEGATIVE_INFINITY,
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
    r.textDirty = true;
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
    // Parts found again (a model loaded) are a change to draw.
    this.changed = gen !== this.resolvedAt;
    this.wholeFrame = this.changed;
    this.touchedCount = 0;
    this.pass++;
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
          if (value !== 0) {
            node.rotation[e.axis] += spinRadians(value, e.rpmPerUnit, e.maxRpm, dt);
            state.spunUndrawn = true;
          }
          // A part that stopped still wants the frame that shows where it stopped (frames under the
          // software cap skip passes, in which it kept turning).
          if (state.spunUndrawn) {
            this.moving = true;
            this.posed(state);
          }
          break;
        }
        case 'scale':
          if (value === r.lastKey) break;
          r.lastKey = value;
          node.scale[e.axis] = scaleFraction(e.range, value);
          this.posed(state);
          this.changed = true;
          break;
        case 'visible': {
          const visible = e.when === 'truthy' ? value !== 0 : value === 0;
          if (node.visible !== visible) {
            this.changed = true;
            this.touch(state);
          }
          node.visible = visible;
          break;
        }
        case 'rotate':
          if (value === r.lastKey) break;
          r.lastKey = value;
          node.rotation[e.axis] = state.baseRotation[e.axis] + (mapRange(e.range, e.angles, value) * Math.PI) / 180;
          this.posed(state);
          this.changed = true;
          break;
        case 'translate':
          if (value === r.lastKey) break;
          r.lastKey = value;
          node.position[e.axis] = state.basePosition[e.axis] + mapRange(e.range, e.distance, value);
          this.posed(state);
          this.changed = true;
          break;
        case 'colorThresholds':
        case 'colorRamp': {
          if (value === r.lastKey || r.scale === null) break;
          // A part's first value draws even when its colour is the model's own: the scene has data now.
          if (Number.isNaN(r.lastKey)) this.changed = true;
          r.lastKey = value;
          scaleRgba(r.scale, value, rgba);
          setTint(state, rgba);
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
      if (s.dirty) {
        paint(s);
        this.changed = true;
        this.touch(s);
      }
    }
    if (view) this.drawLabels(view, now);
  }

  /** Records a part whose look or pose changed in this pass, once. */
  private touch(s: NodeState): void {
    if (s.node === null || s.touchedIn === this.pass) return;
    s.touchedIn = this.pass;
    this.touchedStates[this.touchedCount] = s;
    this.touched[this.touchedCount++] = s.node;
  }

  /** The scene drew the pass `apply` last made: the parts it turned are shown where they are. */
  drew(): void {
    for (let i = 0; i < this.touchedCount; i++) this.touchedStates[i].spunUndrawn = false;
  }

  /** The node's pose changed: skinned meshes it moves measure their bounds again (picking, culling, framing). */
  private posed(s: NodeState): void {
    this.touch(s);
    if (s.skinned.length === 0) return;
    // A bone moves a skin that need not be under it: no rectangle of the node holds the change.
    this.wholeFrame = true;
    for (let i = 0; i < s.skinned.length; i++) {
      // Null is how three marks bounds to compute again (its typings say otherwise).
      const mesh = s.skinned[i] as unknown as { boundingBox: Box3 | null; boundingSphere: Sphere | null };
      mesh.boundingBox = null;
      mesh.boundingSphere = null;
    }
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

  private drawLabels(view: LabelView, now: number): void {
    const latest = this.store.latest;
    this.labelDue = 0;
    for (let i = 0; i < this.runtimes.length; i++) {
      const r = this.runtimes[i];
      const el = r.label;
      if (el === null || r.binding.effect.kind !== 'label') continue;
      const node = r.state.node;
      const value = r.signalIndex < 0 ? NaN : latest[r.signalIndex];
      if (node === null || !node.visible) {
        if (el.style.display !== 'none') el.style.display = 'none';
        // Placed and written again when the node shows again, even where the camera has not moved since.
        r.lastX = NaN;
        r.textDirty = true;
        continue;
      }
      const stale = r.state.stale;
      // NaN (no value yet) equals NaN here: a label without data is not written again every pass.
      const sameValue = value === r.lastText || (value !== value && r.lastText !== r.lastText);
      if (r.textDirty || stale !== r.lastStale || !sameValue) {
        // A new value shows at most every LABEL_TEXT_INTERVAL_MS: a label rewritten on every pass
        // (a fast signal) cost the page a layout and paint per frame, and nobody reads text that fast.
        // The first text and a change of staleness show at once.
        const wait = r.textDirty || stale !== r.lastStale ? 0 : r.lastTextAt + LABEL_TEXT_INTERVAL_MS - now;
        if (wait > 0) {
          if (this.labelDue === 0 || wait < this.labelDue) this.labelDue = wait;
        } else {
          // Text changes only when the value does: strings are built then, never per frame.
          if (r.textDirty || stale !== r.lastStale) el.dataset.stale = stale ? 'true' : 'false';
          r.lastText = value;
          r.lastStale = stale;
          r.textDirty = false;
          r.lastTextAt = now;
          // The reading as the panels show it: value as what it is, and not-live in words (readingText.ts).
          el.textContent = labelText(this.store, r.signalIndex, r.prefix, r.unit, now);
        }
      }
      const o = r.binding.effect.offset;
      node.getWorldPosition(point);
      point.y += r.state.top;
      if (o) {
        point.x += o[0];
        point.y += o[1];
        point.z += o[2];
      } else {
        point.y += this.labelLift;
      }
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
        release(s);
        if (found.reason === 'no-node' && !reported.has(s.path)) {
          reported.add(s.path);
          problems.push({
            node: s.path,
            // Every name the model has is listed beside the problem (ProblemsBox), where it can be filtered.
            message: `no node "${s.path.split('/').slice(1).join('/')}" in the model (it has ${found.names.length} named nodes, listed below)`,
          });
        }
      }
    }
    for (const r of this.runtimes) {
      r.lastKey = NaN;
      r.textDirty = true;
    }
    this.problems = problems;
    this.bound.length = 0;
    for (const s of this.nodes) this.bound.push(s.node);
    this.updateAlarmLooks();
  }

  /**
   * Gives every bound model its materials back and frees the copies the bindings made (the twin or
   * the scene is going). The runtime stays usable: the next `apply` takes the nodes again.
   */
  dispose(): void {
    // Newest first: a node inside another bound node copied the outer node's copy, and gives that back.
    for (let n = this.nodes.length - 1; n >= 0; n--) release(this.nodes[n]);
    this.resolvedAt = -1;
  }

  private updateAlarmLooks(): void {
    const owners = this.alarms.map((a) => ({ alarm: a, node: a.asset ? findNode(a.asset) : null }));
    for (const s of this.nodes) {
      part.look = AlarmLook.None;
      part.red = false;
      for (const { alarm, node } of owners) {
        if (!alarm.asset) continue;
        const owns =
          s.path === alarm.asset ||
          s.path.startsWith(`${alarm.asset}/`) ||
          (node?.ok === true && s.node !== null && isAncestorOrSelf(node.node, s.node));
        if (owns) foldAlarm(part, alarm);
      }
      if (part.look !== s.alarm || part.red !== s.red) {
        s.alarm = part.look;
        s.red = part.red;
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
    meshes: [],
    copies: [],
    skinned: [],
    overlay: newOverlay(),
    tint: { r: 0, g: 0, b: 0, a: 0 },
    stale: false,
    staleNext: false,
    alarm: AlarmLook.None,
    red: false,
    lit: false,
    dirty: true,
    basePosition: new Vector3(),
    baseRotation: new Vector3(),
    top: 0,
    touchedIn: -1,
    spunUndrawn: false,
  };
}

function isAncestorOrSelf(ancestor: Object3D, node: Object3D): boolean {
  for (let o: Object3D | null = node; o; o = o.parent) if (o === ancestor) return true;
  return false;
}

function setTint(state: NodeState, c: Rgba): void {
  const t = state.tint;
  if (t.r === c.r && t.g === c.g && t.b === c.b && t.a === c.a) return;
  t.r = c.r;
  t.g = c.g;
  t.b = c.b;
  t.a = c.a;
  state.dirty = true;
}

/** Writes a node's final look into its overlay: binding colour or the model's own, stale wash, alarm glow. */
function paint(s: NodeState): void {
  s.dirty = false;
  const o = s.overlay;
  const t = s.tint;
  if (t.a > 0) o.tint.value.set(t.r / t.a, t.g / t.a, t.b / t.a, t.a);
  else o.tint.value.set(0, 0, 0, 0);
  o.stale.value = s.stale ? 1 : 0;
  const glow = glowColor(s.red);
  o.glow.value.set(glow.r, glow.g, glow.b, glowStrength(s.alarm, s.lit));
}

/** Lets go of a node: its meshes get their materials back and the node's copies are freed. */
function release(s: NodeState): void {
  for (const { mesh, material } of s.meshes) mesh.material = material;
  for (const m of s.copies) m.dispose();
  s.meshes = [];
  s.copies = [];
  s.skinned = [];
  s.node = null;
}

/** Takes a freshly resolved node: its pose, height and its own material copies. */
function takeNode(s: NodeState, node: Object3D): void {
  release(s);
  s.node = node;
  s.basePosition.copy(node.position);
  s.baseRotation.set(node.rotation.x, node.rotation.y, node.rotation.z);
  node.updateWorldMatrix(true, true);
  box.setFromObject(node);
  node.getWorldPosition(point);
  s.top = box.isEmpty() ? 0 : box.max.y - point.y;
  // Every mesh under a bound node gets its own material copy, so recolouring never leaks to other parts.
  node.traverse((o) => {
    // The selection rim (SelectionOutline) is not part of the model.
    if (!(o instanceof Mesh) || o.userData.selectionHull) return;
    s.meshes.push({ mesh: o, material: o.material as Material | Material[] });
    const list = Array.isArray(o.material) ? o.material : [o.material];
    const owned = list.map((m: Material) => {
      const copy = m.clone();
      attachOverlay(copy, s.overlay);
      s.copies.push(copy);
      return copy;
    });
    o.material = Array.isArray(o.material) ? owned : owned[0];
  });
  s.skinned = skinnedMovedBy(node);
  s.dirty = true;
}

/** Skinned meshes of the node's model whose skeleton has a bone at or under the node. */
function skinnedMovedBy(node: Object3D): SkinnedMesh[] {
  const bones = new Set<Object3D>();
  node.traverse((o) => {
    if (o instanceof Bone) bones.add(o);
  });
  if (bones.size === 0) return [];
  let top = node;
  while (top.parent) top = top.parent;
  const out: SkinnedMesh[] = [];
  top.traverse((o) => {
    if (o instanceof SkinnedMesh && o.skeleton.bones.some((b) => bones.has(b))) out.push(o);
  });
  return out;
}
