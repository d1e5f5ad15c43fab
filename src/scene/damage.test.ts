import { describe, expect, it } from 'vitest';
import { BoxGeometry, Group, Mesh, MeshBasicMaterial, PerspectiveCamera, type Object3D } from 'three';
import { DAMAGE_MARGIN_PX, DamageTracker, footprint, type DamageSource, type Rect } from './damage';
import { skinnedArm } from './skinnedArm.testing';

const W = 800;
const H = 600;

/** A camera at z = 10 looking at the origin, 800 x 600 CSS pixels. */
function camera() {
  const c = new PerspectiveCamera(45, W / H, 0.1, 100);
  c.position.set(0, 0, 10);
  c.lookAt(0, 0, 0);
  c.updateMatrixWorld();
  return c;
}

function part(name: string, x: number, size = 1): Mesh {
  const m = new Mesh(new BoxGeometry(size, size, size), new MeshBasicMaterial());
  m.name = name;
  m.position.x = x;
  return m;
}

function source(touched: Object3D[], bound: Object3D[], wholeFrame = false): DamageSource {
  return { touched, touchedCount: touched.length, wholeFrame, bound };
}

const rect = (): Rect => ({ x0: 0, y0: 0, x1: 0, y1: 0 });

describe('footprint', () => {
  it('is the screen rectangle of the part and everything under it', () => {
    const root = new Group();
    const a = part('a', 0);
    root.add(a);
    root.updateMatrixWorld();
    const r = rect();
    expect(footprint(a, camera(), W, H, r)).toBe(true);
    // Centred on the canvas, symmetric, and about a tenth of its height for a 1 m box 10 m away.
    expect((r.x0 + r.x1) / 2).toBeCloseTo(W / 2, 5);
    expect((r.y0 + r.y1) / 2).toBeCloseTo(H / 2, 5);
    expect(r.y1 - r.y0).toBeGreaterThan(50);
    expect(r.y1 - r.y0).toBeLessThan(120);
    // A child far to the right widens the parent's rectangle.
    const child = part('child', 3);
    a.add(child);
    root.updateMatrixWorld();
    const wider = rect();
    footprint(a, camera(), W, H, wider);
    expect(wider.x1).toBeGreaterThan(r.x1 + 100);
    expect(wider.x0).toBeCloseTo(r.x0, 5);
  });

  it('has no rectangle for a part reaching behind the camera, or a skinned mesh', () => {
    const behind = part('behind', 0, 30);
    behind.updateMatrixWorld();
    expect(footprint(behind, camera(), W, H, rect())).toBe(false);
    const { root } = skinnedArm();
    root.updateMatrixWorld(true);
    expect(footprint(root, camera(), W, H, rect())).toBe(false);
  });
});

describe('DamageTracker', () => {
  it('redraws the whole canvas for a model loaded, nothing touched, or a part it never saw drawn', () => {
    const a = part('a', 0);
    a.updateMatrixWorld();
    const d = new DamageTracker();
    expect(d.plan(source([a], [a], true), camera(), W, H)).toBeNull();
    expect(d.plan(source([], [a]), camera(), W, H)).toBeNull();
    expect(d.plan(source([a], []), camera(), W, H)).toBeNull();
  });

  it('redraws a recoloured part where it is, with a margin, after a whole frame saw it', () => {
    const root = new Group();
    const a = part('a', -2);
    const b = part('b', 2);
    root.add(a, b);
    root.updateMatrixWorld();
    const cam = camera();
    const d = new DamageTracker();
    d.drewWhole(source([], [a, b]), cam, W, H);
    const only = rect();
    footprint(a, cam, W, H, only);
    const planned = d.plan(source([a], [a, b]), cam, W, H);
    expect(planned).not.toBeNull();
    expect(planned!.x0).toBe(Math.floor(only.x0 - DAMAGE_MARGIN_PX));
    expect(planned!.x1).toBe(Math.ceil(only.x1 + DAMAGE_MARGIN_PX));
    expect(planned!.y0).toBe(Math.floor(only.y0 - DAMAGE_MARGIN_PX));
    // Part b, to the right, is outside it.
    const bRect = rect();
    footprint(b, cam, W, H, bRect);
    expect(planned!.x1).toBeLessThan(bRect.x0);
  });

  it('redraws a moved part where it was drawn and where it is now', () => {
    const a = part('a', -2);
    a.updateMatrixWorld();
    const cam = camera();
    const d = new DamageTracker();
    d.drewWhole(source([], [a]), cam, W, H);
    const before = rect();
    footprint(a, cam, W, H, before);
    a.position.x = 1;
    const planned = d.plan(source([a], [a]), cam, W, H)!;
    const after = rect();
    footprint(a, cam, W, H, after);
    expect(planned.x0).toBeLessThanOrEqual(before.x0);
    expect(planned.x1).toBeGreaterThanOrEqual(after.x1);
    // The next move starts from where this frame drew it, not from the first place.
    a.position.x = 2;
    const next = d.plan(source([a], [a]), cam, W, H)!;
    expect(next.x0).toBeGreaterThan(before.x1);
  });

  it('draws whole when the rectangle would be most of the canvas, and keeps it inside the canvas', () => {
    const big = part('big', 0, 6);
    const edge = part('edge', 4.5);
    big.updateMatrixWorld();
    edge.updateMatrixWorld();
    const cam = camera();
    const d = new DamageTracker();
    d.drewWhole(source([], [big, edge]), cam, W, H);
    expect(d.plan(source([big], [big, edge]), cam, W, H)).toBeNull();
    const clipped = d.plan(source([edge], [big, edge]), cam, W, H)!;
    expect(clipped.x1).toBeLessThanOrEqual(W);
    expect(clipped.x0).toBeGreaterThanOrEqual(0);
  });
});
