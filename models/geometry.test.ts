import { describe, expect, it } from 'vitest';
import {
  box,
  cylinder,
  lathe,
  misfacingTriangles,
  pipeRun,
  rotateY,
  scale,
  transform,
  translate,
  triangleCount,
  tubeBetween,
  type MeshData,
} from './geometry';

function bounds(mesh: MeshData): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  mesh.positions.forEach((p, i) => {
    min[i % 3] = Math.min(min[i % 3], p);
    max[i % 3] = Math.max(max[i % 3], p);
  });
  return { min, max };
}

/** Every normal points away from `centre`: true of any convex solid's outward normals. */
function normalsPointAwayFrom(mesh: MeshData, centre: number[]): boolean {
  for (let i = 0; i < mesh.positions.length; i += 3) {
    let d = 0;
    for (let k = 0; k < 3; k++) d += (mesh.positions[i + k] - centre[k]) * mesh.normals[i + k];
    if (d <= 0) return false;
  }
  return true;
}

describe('geometry', () => {
  it('builds a centred box of 12 triangles facing outwards', () => {
    const b = box(2, 4, 6);
    expect(triangleCount(b)).toBe(12);
    expect(bounds(b)).toEqual({ min: [-1, -2, -3], max: [1, 2, 3] });
    expect(normalsPointAwayFrom(b, [0, 0, 0])).toBe(true);
    expect(misfacingTriangles(b)).toEqual([]);
  });

  it('closes a cylinder with caps and drops the triangles that collapse on the axis', () => {
    const c = cylinder(1, 2, 8);
    // 8 per cap (one triangle per sector) + 16 on the side.
    expect(triangleCount(c)).toBe(32);
    expect(bounds(c).min[1]).toBe(0);
    expect(bounds(c).max[1]).toBe(2);
    expect(misfacingTriangles(c)).toEqual([]);
    expect(triangleCount(cylinder(1, 2, 8, 'none'))).toBe(16);
  });

  it('keeps faces outward through mirrors and non-uniform scales', () => {
    const mirrored = transform(box(1, 1, 1), scale(-1, 2, 0.5), translate(3, 0, 0));
    expect(misfacingTriangles(mirrored)).toEqual([]);
    expect(normalsPointAwayFrom(mirrored, [3, 0, 0])).toBe(true);
  });

  it('points a tube from one point to another', () => {
    const t = tubeBetween([1, 2, 3], [1, 2, 7], 0.5, 12);
    const { min, max } = bounds(t);
    expect(min[2]).toBeCloseTo(3, 9);
    expect(max[2]).toBeCloseTo(7, 9);
    expect((min[0] + max[0]) / 2).toBeCloseTo(1, 9);
    expect(misfacingTriangles(t)).toEqual([]);
  });

  it('routes a pipe through right-angle bends and rejects other corners', () => {
    const run = pipeRun(
      [
        [0, 0, 0],
        [0, 0, -3],
        [4, 0, -3],
        [4, 2, -3],
      ],
      0.1,
      0.4,
      12,
    );
    expect(misfacingTriangles(run)).toEqual([]);
    const { min, max } = bounds(run);
    expect(min[2]).toBeCloseTo(-3.1, 9);
    expect(max[0]).toBeCloseTo(4.1, 9);
    expect(max[1]).toBeCloseTo(2, 9);
    expect(() =>
      pipeRun(
        [
          [0, 0, 0],
          [1, 0, 0],
          [2, 1, 0],
        ],
        0.1,
        0.2,
        8,
      ),
    ).toThrow(/right angle/);
  });

  it('turns a lathe profile into a solid whose faces agree with its normals, at any rotation', () => {
    const flanged = lathe(
      [
        [0, 0],
        [1, 0],
        [1, 0.1],
        [0.5, 0.1],
        [0.5, 1],
        [0, 1],
      ],
      16,
    );
    expect(misfacingTriangles(transform(flanged, rotateY(0.3)))).toEqual([]);
  });
});
