import { describe, expect, it } from 'vitest';
import { BoxGeometry, Group, Mesh, MeshBasicMaterial, PerspectiveCamera, type Object3D } from 'three';
import { DAMAGE_MARGIN_PX, DamageTracker, RegionCull, footprint, type DamageSource, type Rect } from './damage';
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

describe('RegionCull', () => {
  /** A scene: a part at the centre, one far left, one far right, and a long rail across the bottom. */
  function scene() {
    const root = new Group();
    const centre = part('centre', 0);
    const left = part('left', -4);
    const right = part('right', 4);
    // 12 m long, thin, below the centre: its bounding sphere (radius 6) reaches the centre part, its box does not.
    const rail = new Mesh(new BoxGeometry(12, 0.1, 0.1), new MeshBasicMaterial());
    rail.name = 'rail';
    rail.position.y = -2.5;
    root.add(centre, left, right, rail);
    root.updateMatrixWorld();
    return { root, centre, left, right, rail };
  }

  /** The rectangle around the centre part, as a partial frame would redraw it. */
  function aroundCentre(centre: Object3D): Rect {
    const r = rect();
    footprint(centre, camera(), W, H, r);
    return {
      x0: r.x0 - DAMAGE_MARGIN_PX,
      y0: r.y0 - DAMAGE_MARGIN_PX,
      x1: r.x1 + DAMAGE_MARGIN_PX,
      y1: r.y1 + DAMAGE_MARGIN_PX,
    };
  }

  it('leaves out, for one render, the parts that cannot reach the rectangle, and puts them back', () => {
    const { root, centre, left, right, rail } = scene();
    const cull = new RegionCull();
    expect(cull.hide(root, camera(), aroundCentre(centre), W, H)).toBe(3);
    const cam = camera();
    expect(centre.layers.test(cam.layers)).toBe(true);
    for (const out of [left, right, rail]) expect(out.layers.test(cam.layers)).toBe(false);
    cull.restore();
    for (const m of [centre, left, right, rail]) expect(m.layers.test(cam.layers)).toBe(true);
  });

  it('keeps every part whose box reaches the rectangle, and a child inside it when its parent is left out', () => {
    const { root, centre, left } = scene();
    // A child of the far-left part, placed at the centre (its parent's layer does not hide it).
    const child = part('child', 4, 0.5);
    left.add(child);
    root.updateMatrixWorld();
    const cull = new RegionCull();
    cull.hide(root, camera(), aroundCentre(centre), W, H);
    const cam = camera();
    expect(left.layers.test(cam.layers)).toBe(false);
    expect(child.layers.test(cam.layers)).toBe(true);
    // The whole canvas: nothing is left out.
    cull.hide(root, camera(), { x0: 0, y0: 0, x1: W, y1: H }, W, H);
    expect(cull.count).toBe(0);
    root.traverse((o) => expect(o.layers.test(cam.layers)).toBe(true));
  });

  it('leaves alone what it must draw anyway: parts on other layers and parts drawn whatever the frustum', () => {
    const { root, centre, left, right } = scene();
    left.layers.set(2);
    right.frustumCulled = false;
    const cull = new RegionCull();
    cull.hide(root, camera(), aroundCentre(centre), W, H);
    expect(left.layers.mask).toBe(1 << 2);
    expect(right.layers.test(camera().layers)).toBe(true);
    cull.restore();
    expect(left.layers.mask).toBe(1 << 2);
  });
});
