/**
 * Camera sizes that follow the scene, for models of any size (a 10 cm part, a 1 km site): where to
 * stand to see all of something, how near and far the camera may zoom, its clipping planes, and how
 * far above a part a label sits. Pure arithmetic, no three.js objects.
 */

/** Margin around what is fitted, so it does not touch the edges of the view. */
export const FIT_MARGIN = 1.15;
/** The direction a fitted view looks from (towards -x, -y, -z): above and to the front right. */
export const FIT_DIRECTION: readonly [number, number, number] = normalize([1, 0.75, 1]);

/** Scenes smaller than this (metres) are treated as this size, so a point or an empty scene still frames. */
const MIN_RADIUS = 1e-3;

function normalize(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
}

/**
 * How far from a sphere's centre a perspective camera must stand to see all of it, with `margin`:
 * `fovDeg` is the vertical field of view, and a narrow canvas (aspect < 1) narrows the horizontal one.
 */
export function fitDistance(radius: number, fovDeg: number, aspect: number, margin = FIT_MARGIN): number {
  const vertical = (fovDeg * Math.PI) / 180;
  const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * Math.max(aspect, 1e-3));
  const half = Math.min(vertical, horizontal) / 2;
  return (Math.max(radius, MIN_RADIUS) * margin) / Math.sin(half);
}

/** Where a camera stands to see a whole sphere from `FIT_DIRECTION`, looking at its centre. */
export function fitView(
  center: readonly [number, number, number],
  radius: number,
  fovDeg: number,
  aspect: number,
): { position: [number, number, number]; target: [number, number, number] } {
  const d = fitDistance(radius, fovDeg, aspect);
  return {
    position: [center[0] + FIT_DIRECTION[0] * d, center[1] + FIT_DIRECTION[1] * d, center[2] + FIT_DIRECTION[2] * d],
    target: [center[0], center[1], center[2]],
  };
}

/**
 * How close and how far the orbit controls may take the camera from its target, for a scene of
 * bounding radius `radius`: close enough to inspect a part a thousandth of the scene's size, far
 * enough to see it all several times over, and never closer than the twin's own views put it.
 */
export function zoomLimits(radius: number, farthestView = 0): { minDistance: number; maxDistance: number } {
  const r = Math.max(radius, MIN_RADIUS);
  return { minDistance: r * 2e-3, maxDistance: Math.max(r * 12, farthestView * 1.5) };
}

/**
 * Clipping planes for a camera `targetDistance` from what it looks at and `centerDistance` from the
 * scene's centre: near a small share of the distance to the target (depth precision is spent where the
 * operator looks), far just past the far side of the scene. Written into `out` (called per frame).
 */
export function clipPlanes(
  radius: number,
  targetDistance: number,
  centerDistance: number,
  out: { near: number; far: number },
): { near: number; far: number } {
  const r = Math.max(radius, MIN_RADIUS);
  out.near = Math.max(targetDistance / 100, r * 1e-5);
  out.far = Math.max(centerDistance + r * 2, out.near * 10);
  return out;
}

/** How far above a part's top a label sits by default: a small share of the scene's size. */
export function labelLift(radius: number): number {
  return Math.max(radius, MIN_RADIUS) * 0.03;
}
