import { describe, expect, it } from 'vitest';
import { Box3, Mesh, MeshStandardMaterial, type Material, type Object3D, type SkinnedMesh } from 'three';
import { placeModel } from './placement';
import { skinnedArm } from './skinnedArm.testing';

const isUnder = (node: Object3D, root: Object3D) => {
  for (let o: Object3D | null = node; o; o = o.parent) if (o === root) return true;
  return false;
};

describe('placeModel', () => {
  it('binds a skinned mesh to the copy’s own bones, so it is drawn where the model is placed', () => {
    const model = skinnedArm();
    const { root } = placeModel(model.root, false);
    const skin = root.getObjectByName('ArmSkin') as SkinnedMesh;
    expect(skin.skeleton.bones.every((b) => isUnder(b, root))).toBe(true);
    root.position.set(5, 0, -3);
    root.updateMatrixWorld(true);
    const center = new Box3().setFromObject(skin).getCenter(skin.position.clone());
    expect(center.x).toBeCloseTo(5, 1);
    expect(center.z).toBeCloseTo(-3, 1);
  });

  it('the copy’s bones move its skin, and leave the loaded model alone', () => {
    const model = skinnedArm();
    const { root } = placeModel(model.root, false);
    const skin = root.getObjectByName('ArmSkin') as SkinnedMesh;
    root.getObjectByName('Elbow')!.rotation.z = Math.PI / 2;
    root.updateMatrixWorld(true);
    skin.computeBoundingBox();
    expect(skin.boundingBox!.min.x).toBeLessThan(-0.8);
    model.mesh.computeBoundingBox();
    expect(model.mesh.boundingBox!.min.x).toBeGreaterThan(-0.2);
  });

  it('frees the light profile’s material copies when it goes, and never the loaded model’s materials', () => {
    const model = skinnedArm();
    const original = model.mesh.material as Material;
    const placement = placeModel(model.root, true);
    const copy = (placement.root.getObjectByName('ArmSkin') as Mesh).material as Material;
    expect(copy).not.toBe(original);
    const freed: Material[] = [];
    copy.addEventListener('dispose', () => freed.push(copy));
    original.addEventListener('dispose', () => freed.push(original));
    placement.dispose();
    expect(freed).toEqual([copy]);
  });

  it('shares the loaded model’s materials in the full profile (nothing of its own to free)', () => {
    const model = skinnedArm();
    const placement = placeModel(model.root, false);
    expect((placement.root.getObjectByName('ArmSkin') as Mesh).material).toBeInstanceOf(MeshStandardMaterial);
    expect((placement.root.getObjectByName('ArmSkin') as Mesh).material).toBe(model.mesh.material);
  });
});
