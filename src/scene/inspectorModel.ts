/** What the inspector shows for a selected part: the signals bound under it and the alarms that concern it. */
import type { Object3D } from 'three';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Twin } from '../twin/schema';
import { findNode, instanceSignals, registryGeneration } from './sceneRegistry';
import { formatValue } from '../lib/format';

export interface InspectorContent {
  /** Concrete signal ids bound to the selection or to parts inside it, in twin order, once each. */
  signals: string[];
  /** Alarms whose asset is the selection, inside it, or one of its ancestors. */
  alarms: AlarmSnapshot[];
}

function contains(ancestor: Object3D, node: Object3D): boolean {
  for (let o: Object3D | null = node; o; o = o.parent) if (o === ancestor) return true;
  return false;
}

/** True when two scene paths name the same subtree or one is inside the other (by path or in the model). */
function related(a: string, b: string): boolean {
  if (a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`)) return true;
  const na = findNode(a);
  const nb = findNode(b);
  return na.ok && nb.ok && (contains(na.node, nb.node) || contains(nb.node, na.node));
}

export function inspectorContent(twin: Twin, selected: string, alarms: readonly AlarmSnapshot[]): InspectorContent {
  const sel = findNode(selected);
  const signals: string[] = [...(instanceSignals(selected) ?? [])];
  for (const b of twin.bindings) {
    if (signals.includes(b.signal)) continue;
    const inside = b.node === selected || b.node.startsWith(`${selected}/`);
    const node = inside ? null : findNode(b.node);
    if (inside || (sel.ok && node?.ok && contains(sel.node, node.node))) signals.push(b.signal);
  }
  return { signals, alarms: alarms.filter((a) => a.asset !== undefined && related(selected, a.asset)) };
}

/**
 * The hover tooltip: the part's name, and the value of the first signal bound to it ("Pump2 · 71.5 °C",
 * "r4c73 · 0.00 W"), so an operator can read a part without selecting it. Text only.
 */
export function hoverText(
  twin: Twin,
  path: string,
  read: (id: string) => { value: number; unit: string; stale: boolean },
): string {
  const name = path.split('/').slice(1).join('/') || path;
  const first = firstSignal(twin, path);
  if (first === undefined) return name;
  const r = read(first);
  if (Number.isNaN(r.value)) return name;
  return `${name} · ${formatValue(r.value, r.unit)}${r.stale ? ' (stale)' : ''}`;
}

// The pointer moves many times a second over the same parts; which signal comes first only changes when
// models load (the registry's generation).
const firstSignals = new WeakMap<Twin, { generation: number; byPath: Map<string, string | undefined> }>();

function firstSignal(twin: Twin, path: string): string | undefined {
  let cache = firstSignals.get(twin);
  if (!cache || cache.generation !== registryGeneration()) {
    cache = { generation: registryGeneration(), byPath: new Map() };
    firstSignals.set(twin, cache);
  }
  if (!cache.byPath.has(path)) cache.byPath.set(path, inspectorContent(twin, path, []).signals[0]);
  return cache.byPath.get(path);
}
