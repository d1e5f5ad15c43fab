/** Loaded asset roots by asset id, so bindings and selection can find glTF nodes by name. */
import type { Box3, Object3D } from 'three';
import {
  bestMatches,
  isGeneratedName,
  nodePathSegment,
  parseNodePath,
  pathReaches,
  type NodeNaming,
} from './nodeNames';

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

/** Whether an asset's model (or instance grid) is in the scene. */
export function hasAsset(id: string): boolean {
  return roots.has(id);
}

/** Changes whenever an asset (or an instance grid) is added or removed, so caches know to resolve again. */
export function registryGeneration(): number {
  return generation;
}

export type NodeLookup =
  { ok: true; node: Object3D } | { ok: false; reason: 'no-asset' } | { ok: false; reason: 'no-node'; names: string[] };

/**
 * A node's name as the glTF file writes it ("Valve.001", "Bolt"). three's loader renames nodes as it
 * loads them ("Valve001"; a second "Bolt" becomes "Bolt_1") and keeps the written name in
 * `userData.name`; objects made in code have only `name`.
 */
export function writtenName(o: Object3D): string {
  const written: unknown = o.userData.name;
  return typeof written === 'string' ? written : o.name;
}

/** three.js objects named as nodeNames.ts reads paths: the written name, three's name, the parent. */
const naming: NodeNaming<Object3D> = { written: writtenName, loaded: (o) => o.name, parent: (o) => o.parent };

/** The names of a path below its asset ("plant/Flange_B/Bolt" → ["Flange_B", "Bolt"]; "\/" is a "/" in a name). */
function namesOf(path: string): { assetId: string; segments: string[] } {
  const parsed = parseNodePath(path);
  if (parsed.ok) return { assetId: parsed.asset, segments: parsed.names };
  const [assetId, ...segments] = path.split('/');
  return { assetId, segments };
}

/**
 * Finds "<asset id>/<node>" or "<asset id>/<parent>/.../<node>": the last segment is the node's name
 * (as written in the glTF, or as three.js renamed it); earlier segments, when given, must be its
 * ancestors in order (not necessarily direct parents). Several matches: the one the path spells out
 * most completely (nodeNames.bestMatches), then the first in the file's order.
 * The path rules live in nodeNames.ts, shared with the CLI's check against the model files.
 */
export function findNode(path: string): NodeLookup {
  const { assetId, segments } = namesOf(path);
  const root = roots.get(assetId);
  if (!root) return { ok: false, reason: 'no-asset' };
  const found = bestMatches(reachedBy(root, segments), segments, root, naming)[0];
  if (found) return { ok: true, node: found };
  const names = new Set<string>();
  root.traverse((o) => {
    if (o !== root && writtenName(o)) names.add(writtenName(o));
  });
  return { ok: false, reason: 'no-node', names: [...names] };
}

/** The nodes below `root` that the names reach, in the file's order. */
function reachedBy(root: Object3D, segments: string[]): Object3D[] {
  const out: Object3D[] = [];
  root.traverse((o) => {
    if (o !== root && pathReaches(o, segments, root, naming)) out.push(o);
  });
  return out;
}

/** The one node `segments` name below `root` (the best match: nodeNames.bestMatches), or null when none or several do. */
function onlyMatch(root: Object3D, segments: string[]): Object3D | null {
  const best = bestMatches(reachedBy(root, segments), segments, root, naming);
  return best.length === 1 ? best[0] : null;
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

/** Nodes the twin names (bindings, rule assets), by the path it names them with; see `setMarkedPaths`. */
let markedPaths: readonly string[] = [];
let marked: { generation: number; byNode: Map<Object3D, string> } | null = null;

/**
 * The node paths the twin itself names (its bindings' nodes and its rules' assets): such a node is
 * equipment whatever its name, and is selected by the path the twin writes. Returns its reset.
 */
export function setMarkedPaths(list: readonly string[]): () => void {
  markedPaths = list;
  generation++;
  notify();
  return () => {
    if (markedPaths !== list) return;
    markedPaths = [];
    generation++;
    notify();
  };
}

function markedNodes(): Map<Object3D, string> {
  if (marked?.generation === generation) return marked.byNode;
  const byNode = new Map<Object3D, string>();
  for (const path of markedPaths) {
    const found = findNode(path);
    if (found.ok && !byNode.has(found.node)) byNode.set(found.node, path);
  }
  marked = { generation, byNode };
  return byNode;
}

/** Whether a loaded model's names come from a glTF file (three's loader keeps them in userData.name). */
const gltfNamed = new WeakMap<Object3D, boolean>();

function namesFromGltf(root: Object3D): boolean {
  let known = gltfNamed.get(root);
  if (known === undefined) {
    let found = false;
    root.traverse((o) => {
      if (typeof o.userData.name === 'string') found = true;
    });
    gltfNamed.set(root, (known = found));
  }
  return known;
}

/**
 * Whether a node has a name a person gave it: in a glTF model, a node name written in the file (not a
 * mesh's name three.js gives an unnamed node or a primitive), and not an exporter's default
 * ("Object_12", "mesh_0", "Cube.001": see nodeNames.ts).
 */
function hasOwnName(o: Object3D, root: Object3D): boolean {
  const name: unknown = namesFromGltf(root) ? o.userData.name : o.name;
  return typeof name === 'string' && !isGeneratedName(name);
}

/** Cameras, lights, and nodes with nothing drawn below them: nothing an operator can see or point at. */
function isHelper(o: Object3D): boolean {
  const kind = o as { isCamera?: boolean; isLight?: boolean };
  if (kind.isCamera || kind.isLight) return true;
  let drawn = false;
  o.traverse((d) => {
    const k = d as { isMesh?: boolean; isPoints?: boolean; isLine?: boolean };
    if (!drawn && (k.isMesh || k.isPoints || k.isLine) && !d.userData.selectionHull) drawn = true;
  });
  return !drawn;
}

function isEquipment(o: Object3D, root: Object3D): boolean {
  return markedNodes().has(o) || (hasOwnName(o, root) && !isHelper(o));
}

function assetOf(object: Object3D): { id: string; root: Object3D } | null {
  for (const [id, root] of roots) {
    for (let o: Object3D | null = object; o; o = o.parent) if (o === root) return { id, root };
  }
  return null;
}

const pathCache = new WeakMap<Object3D, { generation: number; path: string }>();

/**
 * The path that names `node` of the asset `id`: the twin's own path when it names the node;
 * otherwise its name as written, with as many of its ancestors' names before it as it takes to tell
 * it from other nodes of that name ("site/FlangeB/Bolt"); three's unique name as a last resort.
 */
function pathFor(id: string, root: Object3D, node: Object3D): string {
  if (node === root) return id;
  const cached = pathCache.get(node);
  if (cached?.generation === generation) return cached.path;
  let path = markedNodes().get(node);
  const segments = [writtenName(node)];
  for (let p = node.parent; path === undefined; p = p?.parent ?? null) {
    // Only a path that names this node and no other: "Bolt" alone would also read as the other Bolt.
    // A "/" in a name is escaped ("Part 1\/2"), so the path reads back to the same names.
    if (onlyMatch(root, segments) === node) path = `${id}/${segments.map(nodePathSegment).join('/')}`;
    else if (!p || p === root) path = node.name ? `${id}/${nodePathSegment(node.name)}` : id;
    else if (writtenName(p)) segments.unshift(writtenName(p));
  }
  pathCache.set(node, { generation, path });
  return path;
}

/**
 * The equipment a scene object belongs to, which is what an operator means by "this thing": the
 * nearest node, from the object up, that the twin names (a binding or a rule's asset) or that has a
 * name of its own; the asset itself when none has.
 */
export function equipmentPathOf(object: Object3D): string | null {
  const at = assetOf(object);
  if (!at) return null;
  const named = markedNodes();
  for (let o: Object3D | null = object; o && o !== at.root; o = o.parent) {
    if (named.has(o) || hasOwnName(o, at.root)) return pathFor(at.id, at.root, o);
  }
  return at.id;
}

/** One row of the equipment tree. */
export interface EquipmentEntry {
  path: string;
  /** The node's name as written in the model. */
  label: string;
  /** The enclosing equipment's path, or the asset id for top-level equipment. */
  parent: string;
  depth: number;
}

/**
 * Every asset's equipment, depth first in the model's order (what the tree lists and the keyboard
 * walks): nodes the twin names, and named nodes with something drawn below them. Cameras, lights,
 * empty helpers and unnamed wrapper groups are left out; what is inside a wrapper moves up a level.
 */
export function equipmentTree(assetIds: readonly string[]): EquipmentEntry[] {
  const out: EquipmentEntry[] = [];
  for (const id of assetIds) {
    const root = roots.get(id);
    if (!root) continue;
    const walk = (o: Object3D, parent: string, depth: number): void => {
      for (const child of o.children) {
        if (child.userData.selectionHull) continue;
        if (isEquipment(child, root)) {
          const path = pathFor(id, root, child);
          out.push({ path, label: writtenName(child) || path.slice(id.length + 1), parent, depth });
          walk(child, path, depth + 1);
        } else {
          walk(child, parent, depth);
        }
      }
    };
    walk(root, id, 0);
  }
  return out;
}

/** Every asset's equipment paths, in tree order. */
export function equipmentPaths(assetIds: readonly string[]): string[] {
  return equipmentTree(assetIds).map((e) => e.path);
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

/** World bounds of every loaded asset of `assetIds` together; false when none has anything drawn. */
export function sceneBounds(assetIds: readonly string[], out: Box3): boolean {
  out.makeEmpty();
  for (const id of assetIds) {
    const root = roots.get(id);
    if (!root) continue;
    root.updateWorldMatrix(true, true);
    out.expandByObject(root);
  }
  return !out.isEmpty();
}

/** World bounds of a scene path: a whole asset ("station"), a node, or one instance ("field/r3c7") of an instanced asset. */
export function boundsOf(path: string, out: Box3): boolean {
  const root = roots.get(path);
  if (root) {
    // A whole asset (a row of the tree): everything its model draws.
    posedSkins(root);
    out.setFromObject(root);
    return !out.isEmpty();
  }
  const found = findNode(path);
  if (found.ok) {
    posedSkins(found.node);
    out.setFromObject(found.node);
    return !out.isEmpty();
  }
  const slash = path.indexOf('/');
  const lookup = slash > 0 ? instanced.get(path.slice(0, slash)) : undefined;
  return lookup ? lookup.bounds(path.slice(slash + 1), out) : false;
}

type Skin = Object3D & {
  isSkinnedMesh?: boolean;
  skeleton?: { bones: Object3D[]; update(): void };
  computeBoundingBox?(): void;
};

/**
 * A skinned mesh's box is computed from its bones once and then kept (three computes it only when
 * missing), and its bone matrices are updated only when a frame draws: a box asked for before the
 * first frame, or after the bones moved, would be somewhere else. Bounds are asked for rarely (fit,
 * focus, the test probe), so they are computed from the current pose each time.
 */
function posedSkins(node: Object3D): void {
  let skinned = false;
  node.traverse((o) => {
    if ((o as Skin).isSkinnedMesh) skinned = true;
  });
  if (!skinned) return;
  node.updateWorldMatrix(true, true);
  node.traverse((o) => {
    const skin = o as Skin;
    if (!skin.isSkinnedMesh || !skin.skeleton) return;
    // The bones need not be under the mesh (glTF puts them beside it).
    for (const bone of skin.skeleton.bones) bone.updateWorldMatrix(true, false);
    skin.skeleton.update();
    skin.computeBoundingBox?.();
  });
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
    const asset = assetOf(object);
    const key = keys[instanceId];
    return asset && key !== undefined ? `${asset.id}/${key}` : null;
  }
  return equipmentPathOf(object);
}
