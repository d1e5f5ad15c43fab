/** Loaded asset roots by asset id, so bindings and selection can find glTF nodes by name. */
import type { Box3, Object3D } from 'three';

const roots = new Map<string, Object3D>();
let generation = 0;

export function registerAsset(id: string, root: Object3D): () => void {
  roots.set(id, root);
  generation++;
  notify();
  return () => {
    if (roots.get(id) === root) {
      roots.delete(id);
      generation++;
      notify();
    }
  };
}

/** Changes whenever an asset (or an instance grid) is added or removed, so caches know to resolve again. */
export function registryGeneration(): number {
  return generation;
}

export type NodeLookup =
  { ok: true; node: Object3D } | { ok: false; reason: 'no-asset' } | { ok: false; reason: 'no-node'; names: string[] };

/**
 * Finds "<asset id>/<node>" or "<asset id>/<parent>/.../<node>": the last segment is the glTF node
 * name; earlier segments, when given, must be its ancestors in order.
 */
export function findNode(path: string): NodeLookup {
  const [assetId, ...segments] = path.split('/');
  const root = roots.get(assetId);
  if (!root) return { ok: false, reason: 'no-asset' };
  const name = segments[segments.length - 1];
  let found: Object3D | undefined;
  root.traverse((o) => {
    if (!found && o.name === name && hasAncestors(o, segments.slice(0, -1), root)) found = o;
  });
  if (found) return { ok: true, node: found };
  const names: string[] = [];
  root.traverse((o) => {
    if (o !== root && o.name) names.push(o.name);
  });
  return { ok: false, reason: 'no-node', names };
}

function hasAncestors(node: Object3D, ancestors: string[], root: Object3D): boolean {
  let i = ancestors.length - 1;
  for (let p = node.parent; p && p !== root && i >= 0; p = p.parent) if (p.name === ancestors[i]) i--;
  return i < 0;
}

/** The asset id and node path a scene object belongs to, walking up to the nearest named node. */
export function pathOf(object: Object3D): string | null {
  for (const [id, root] of roots) {
    for (let o: Object3D | null = object; o; o = o.parent) {
      if (o === root) {
        // The nearest named ancestor that is a direct child of the root is the "part".
        let part: Object3D = object;
        while (part.parent && part.parent !== root && part.parent.parent !== root) part = part.parent;
        return part === root ? id : `${id}/${part.name}`;
      }
    }
  }
  return null;
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

/** Called after an asset is added or removed (structure, not per frame). Returns its unsubscribe. */
export function onRegistryChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The equipment a scene object belongs to: "<asset id>/<name>" of its ancestor directly under the
 * model's scene root (a pump group, a tank), which is what an operator means by "this thing".
 */
export function equipmentPathOf(object: Object3D): string | null {
  for (const [id, root] of roots) {
    let below: Object3D | null = null;
    for (let o: Object3D | null = object; o; o = o.parent) {
      if (o === root) return below?.name ? `${id}/${below.name}` : id;
      below = o;
    }
  }
  return null;
}

/** Every asset's equipment paths, in the order of `assetIds`: what the tree lists and the keyboard walks. */
export function equipmentPaths(assetIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of assetIds) {
    const root = roots.get(id);
    if (!root) continue;
    for (const child of root.children) if (child.name) out.push(`${id}/${child.name}`);
  }
  return out;
}

/** Instanced assets have no scene node per instance: they answer bounds and signals by instance key. */
interface InstanceLookup {
  bounds(key: string, out: Box3): boolean;
  signals(key: string): string[];
  /** How the instance is drawn (for the probe and tests), or null for an unknown key. */
  look?(key: string): { stale: boolean; alarm: number } | null;
  /** The key of the instance `dRow` rows and `dColumn` columns away (kept on the grid), or null. */
  neighbour?(key: string, dRow: number, dColumn: number): string | null;
}
const instanced = new Map<string, InstanceLookup>();

export function registerInstances(assetId: string, entry: InstanceLookup): () => void {
  instanced.set(assetId, entry);
  generation++;
  notify();
  return () => {
    if (instanced.get(assetId) === entry) instanced.delete(assetId);
    generation++;
    notify();
  };
}

/** World bounds of a scene path: a node, or one instance ("field/r3c7") of an instanced asset. */
export function boundsOf(path: string, out: Box3): boolean {
  const found = findNode(path);
  if (found.ok) {
    out.setFromObject(found.node);
    return !out.isEmpty();
  }
  const slash = path.indexOf('/');
  const lookup = slash > 0 ? instanced.get(path.slice(0, slash)) : undefined;
  return lookup ? lookup.bounds(path.slice(slash + 1), out) : false;
}

/** Signals bound to one instance, or null when the path is not an instance. */
export function instanceSignals(path: string): string[] | null {
  const slash = path.indexOf('/');
  const lookup = slash > 0 ? instanced.get(path.slice(0, slash)) : undefined;
  return lookup ? lookup.signals(path.slice(slash + 1)) : null;
}

/** How one instance ("field/r3c7") is drawn, or null when the path is not an instance. */
export function instanceLook(path: string): { stale: boolean; alarm: number } | null {
  const slash = path.indexOf('/');
  const lookup = slash > 0 ? instanced.get(path.slice(0, slash)) : undefined;
  return lookup?.look?.(path.slice(slash + 1)) ?? null;
}

/** Keyboard walk on an instance grid: the path `dRow` rows and `dColumn` columns from `path`, or null. */
export function instanceNeighbour(path: string, dRow: number, dColumn: number): string | null {
  const slash = path.indexOf('/');
  const asset = slash > 0 ? path.slice(0, slash) : '';
  const key = instanced.get(asset)?.neighbour?.(path.slice(slash + 1), dRow, dColumn);
  return key ? `${asset}/${key}` : null;
}

/** The path a pointer hit names: an instance of an instanced asset, or the equipment of a node. */
export function pickedPath(object: Object3D, instanceId: number | undefined): string | null {
  const keys = object.userData.instanceKeys as string[] | undefined;
  if (instanceId !== undefined && keys) {
    const asset = equipmentPathOf(object);
    const key = keys[instanceId];
    return asset && key !== undefined ? `${asset.split('/')[0]}/${key}` : null;
  }
  return equipmentPathOf(object);
}
