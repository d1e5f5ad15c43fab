import { describe, expect, it } from 'vitest';
import { BoxGeometry, Mesh, Raycaster, SkinnedMesh } from 'three';
import { hullGeometry, hullMaterial, maskMaterial, rimMeshes } from './selectionHull';
import { skinnedArm } from './skinnedArm.testing';

describe('hullGeometry', () => {
  it('keeps nothing of an indexed part: the rim can be freed without touching the part', () => {
    const part = new BoxGeometry(1, 2, 3);
    const hull = hullGeometry(part);
    expect(hull.getAttribute('position')).not.toBe(part.getAttribute('position'));
    expect(hull.getAttribute('position').array).not.toBe(part.getAttribute('position').array);
  });

  it('copies the vertices of a part without an index', () => {
    const part = new BoxGeometry(1, 2, 3).toNonIndexed();
    const before = part.getAttribute('normal').array.slice();
    const hull = hullGeometry(part);
    expect(hull.getAttribute('position')).not.toBe(part.getAttribute('position'));
    expect(hull.getAttribute('position').array).not.toBe(part.getAttribute('position').array);
    // The part keeps its own (flat) normals.
    expect(part.getAttribute('normal').array).toEqual(before);
  });

  it('averages normals across creases, so the rim of a box does not split at its corners', () => {
    const hull = hullGeometry(new BoxGeometry(1, 1, 1));
    const p = hull.getAttribute('position');
    const n = hull.getAttribute('normal');
    // Every copy of the corner (0.5, 0.5, 0.5), one per face, points the same way, outwards on all three
    // axes: pushed out, the three faces stay joined at the corner.
    const corner: number[][] = [];
    for (let i = 0; i < p.count; i++) {
      if (p.getX(i) === 0.5 && p.getY(i) === 0.5 && p.getZ(i) === 0.5) corner.push([n.getX(i), n.getY(i), n.getZ(i)]);
    }
    expect(corner.length).toBeGreaterThanOrEqual(3);
    for (const v of corner) {
      v.forEach((x, axis) => expect(x).toBeCloseTo(corner[0][axis], 5));
      for (const x of v) expect(x).toBeGreaterThan(0.3);
    }
  });
});

describe('rimMeshes', () => {
  it('skins the rim of a skinned part with the part’s own skeleton, so it follows the bones', () => {
    const { mesh } = skinnedArm();
    const [mask, hull] = rimMeshes(mesh, hullMaterial(), maskMaterial());
    for (const piece of [mask, hull]) {
      expect(piece).toBeInstanceOf(SkinnedMesh);
      expect((piece as SkinnedMesh).skeleton).toBe(mesh.skeleton);
      expect((piece as SkinnedMesh).bindMatrix.equals(mesh.bindMatrix)).toBe(true);
      expect(piece.userData.selectionHull).toBe(true);
    }
    expect(hull.geometry.getAttribute('skinIndex').count).toBe(hull.geometry.getAttribute('position').count);
    expect(hull.geometry.getAttribute('skinWeight')).toBeDefined();
  });

  it('gives a plain part plain pieces that are never picked', () => {
    const part = new Mesh(new BoxGeometry());
    const [mask, hull] = rimMeshes(part, hullMaterial(), maskMaterial());
    expect(mask).not.toBeInstanceOf(SkinnedMesh);
    expect(hull.geometry.getAttribute('skinIndex')).toBeUndefined();
    const hits: unknown[] = [];
    hull.raycast(new Raycaster(), hits as never);
    expect(hits).toHaveLength(0);
  });
});
