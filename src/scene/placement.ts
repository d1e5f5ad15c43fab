/**
 * One placement of a loaded model in the scene (no React): its own copy of the node tree, skeletons
 * included, and, in the light render profile, diffuse copies of its materials. What the placement made
 * it frees again when it goes (unmount, another twin); what it shares with the loader's cache
 * (geometry, the model's own materials and textures) stays.
 */
import { Mesh, type Material, type Object3D } from 'three';
import { clone as cloneWithSkeletons } from 'three/examples/jsm/utils/SkeletonUtils.js';
import { toLambert } from './softwareGl';

export interface Placement {
  root: Object3D;
  /** Frees the materials this placement created. */
  dispose(): void;
}

/**
 * `Object3D.clone` would keep each skinned mesh bound to the *original* bones (not in the scene):
 * the mesh would draw where the cached model sits, at the origin, and bindings on the clone's bones
 * would move nothing. SkeletonUtils.clone binds the copy to its own bones.
 */
export function placeModel(scene: Object3D, light: boolean): Placement {
  const root = cloneWithSkeletons(scene);
  const created: Material[] = [];
  if (light) {
    // Diffuse copies of the model's materials (shared ones stay shared).
    const copies = new Map<Material, Material>();
    const swap = (m: Material) => {
      let copy = copies.get(m);
      if (!copy) {
        copy = toLambert(m);
        copies.set(m, copy);
        created.push(copy);
      }
      return copy;
    };
    root.traverse((o) => {
      if (o instanceof Mesh) {
        o.material = Array.isArray(o.material) ? o.material.map(swap) : swap(o.material as Material);
      }
    });
  }
  return {
    root,
    dispose: () => {
      for (const m of created) m.dispose();
      created.length = 0;
    },
  };
}
