import { describe, expect, it } from 'vitest';
import { clipPlanes, fitDistance, fitView, FIT_DIRECTION, labelLift, zoomLimits } from './sceneFraming';

/** The angle (radians) a sphere of `radius` at `distance` takes up, seen from its centre line. */
const halfAngle = (radius: number, distance: number) => Math.asin(radius / distance);

describe('fitDistance', () => {
  it('stands far enough that the sphere fits the vertical field of view, with a margin', () => {
    const d = fitDistance(1, 45, 1.6);
    expect(halfAngle(1, d)).toBeLessThan((22.5 * Math.PI) / 180);
    expect(halfAngle(1, d)).toBeGreaterThan((22.5 * Math.PI) / 180 / 1.3);
  });

  it('stands further back on a narrow (portrait) canvas, where the horizontal view is the tighter one', () => {
    expect(fitDistance(1, 45, 0.5)).toBeGreaterThan(fitDistance(1, 45, 1.5) * 1.5);
  });

  it('scales with the scene, from a 10 cm part to a 1 km site', () => {
    expect(fitDistance(0.05, 45, 1) / fitDistance(500, 45, 1)).toBeCloseTo(0.05 / 500, 10);
  });

  it('still frames an empty scene or a point', () => {
    expect(fitDistance(0, 45, 1)).toBeGreaterThan(0);
  });
});

describe('fitView', () => {
  it('looks at the centre from above and to the front right', () => {
    const v = fitView([10, 2, -4], 3, 45, 1.5);
    expect(v.target).toEqual([10, 2, -4]);
    const d = fitDistance(3, 45, 1.5);
    expect(v.position[0]).toBeCloseTo(10 + FIT_DIRECTION[0] * d);
    expect(v.position[1]).toBeGreaterThan(2);
    expect(Math.hypot(v.position[0] - 10, v.position[1] - 2, v.position[2] + 4)).toBeCloseTo(d);
  });
});

describe('zoomLimits', () => {
  it('follows the scene’s size: close enough for a small part, far enough to see it all', () => {
    const tiny = zoomLimits(0.07);
    const site = zoomLimits(700);
    expect(tiny.maxDistance).toBeGreaterThan(fitDistance(0.07, 45, 1));
    expect(tiny.minDistance).toBeLessThan(0.001);
    expect(site.maxDistance).toBeGreaterThan(fitDistance(700, 45, 1));
    // On a 1 km site the camera can still come within a couple of metres of a 1 m part.
    expect(site.minDistance).toBeLessThan(2);
  });

  it('never stops the camera short of the twin’s own views', () => {
    expect(zoomLimits(1, 400).maxDistance).toBeGreaterThanOrEqual(400);
  });
});

describe('clipPlanes', () => {
  it('keeps the whole scene between near and far, wherever the camera is', () => {
    const out = { near: 0, far: 0 };
    // A 1 km site seen whole from 1.8 km.
    clipPlanes(700, 1800, 1800, out);
    expect(out.far).toBeGreaterThan(1800 + 700);
    expect(out.near).toBeLessThan(1800 - 700);
    // A 10 cm part seen from 20 cm.
    clipPlanes(0.07, 0.2, 0.2, out);
    expect(out.far).toBeGreaterThan(0.27);
    expect(out.near).toBeLessThan(0.13);
  });

  it('moves the near plane in with the camera, so a close-up part is not cut', () => {
    const out = { near: 0, far: 0 };
    clipPlanes(700, 3, 500, out);
    expect(out.near).toBeLessThan(0.1);
    expect(out.far).toBeGreaterThan(500 + 700);
  });
});

describe('labelLift', () => {
  it('is a small share of the scene: millimetres on a small part, metres on a site', () => {
    expect(labelLift(0.07)).toBeLessThan(0.005);
    expect(labelLift(700)).toBeGreaterThan(5);
    expect(labelLift(12)).toBeCloseTo(0.36);
  });
});
