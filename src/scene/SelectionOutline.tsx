import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { Box3, Box3Helper, InstancedMesh, Mesh } from 'three';
import { useApp } from '../store/app';
import { boundsOf, findNode, onRegistryChange } from './sceneRegistry';
import { hullMaterial, maskMaterial, rimMeshes, SELECTION_COLOR } from './selectionHull';

/**
 * Marks the selected part: a rim around the meshes of a selected node (it follows the part as
 * bindings move, spin or hide it), or a frame around a selected instance of an instanced asset.
 * Draws nothing when nothing is selected.
 */
export function SelectionOutline() {
  const selected = useApp((s) => s.selected);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const size = useThree((s) => s.size);
  const material = useMemo(hullMaterial, []);
  const mask = useMemo(maskMaterial, []);
  const frame = useMemo(() => {
    const h = new Box3Helper(new Box3(), SELECTION_COLOR);
    h.name = 'selection-outline';
    h.visible = false;
    h.raycast = () => {}; // never pickable
    return h;
  }, []);

  useEffect(() => {
    scene.add(frame);
    return () => {
      scene.remove(frame);
    };
  }, [scene, frame]);

  useEffect(() => {
    material.uniforms.viewport.value.set(Math.max(1, size.width), Math.max(1, size.height));
    invalidate();
  }, [material, size.width, size.height, invalidate]);

  useEffect(
    () => () => {
      material.dispose();
      mask.dispose();
    },
    [material, mask],
  );

  useEffect(() => {
    let hulls: Mesh[] = [];
    const clear = () => {
      for (const hull of hulls) {
        hull.removeFromParent();
        // The mask shares the part's own geometry; only the hull's copy is ours to free.
        if (hull.material !== mask) hull.geometry.dispose();
      }
      hulls = [];
    };
    const update = () => {
      clear();
      frame.visible = false;
      const found = selected ? findNode(selected) : null;
      if (found?.ok) {
        const meshes: Mesh[] = [];
        found.node.traverse((o) => {
          if (o instanceof Mesh && !(o instanceof InstancedMesh) && !o.userData.selectionHull) meshes.push(o);
        });
        hulls = meshes.flatMap((mesh) => {
          const made = rimMeshes(mesh, material, mask);
          mesh.add(...made);
          return made;
        });
      }
      if (hulls.length === 0 && selected && boundsOf(selected, frame.box)) {
        // An instance, or a node without meshes: its bounding frame, a little larger so it does not
        // z-fight with the faces.
        frame.box.expandByScalar(0.05);
        frame.visible = true;
      }
      invalidate();
    };
    update();
    const unsubscribe = onRegistryChange(update);
    return () => {
      unsubscribe();
      clear();
      invalidate();
    };
  }, [selected, frame, material, mask, invalidate]);
  return null;
}
