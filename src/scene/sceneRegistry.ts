/** Loaded asset roots by asset id, so bindings and selection can find glTF nodes by name. */
import type { Object3D } from 'three';

const roots = new Map<string, Object3D>();
let generation = 0;

export function registerAsset(id: string, root: Object3D): () => void {
  roots.set(id, root);
  generation++;
  return () => {
    if (roots.get(id) === root) {
      roots.delete(id);
      generation++;
    }
  };
}

/** Changes whenever an asset is added or removed, so the binding loop knows to resolve again. */
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
