import { Box3, Frustum, Matrix4, Sphere, Vector3, type Camera, type Layers, type Object3D } from 'three';

/**
 * Partial frames under software WebGL. SwiftShader shades every pixel on the CPU, and Chrome's
 * software compositor holds the page's main thread until a drawn frame is finished, so a frame costs
 * in proportion to the pixels it shades (`npm run bench -- frame-hold`). Most frames of a live twin
 * change a few parts: a colour, a spinning impeller, a blinking alarm. Such a frame redraws only the
 * rectangle around those parts, where they were drawn last and where they are now (a scissor: the
 * canvas keeps the rest of the previous picture, `preserveDrawingBuffer`). Anything else (the camera,
 * a model loaded, a resize, a part whose bounds cannot be known) draws the whole canvas.
 */

/** A rectangle of the canvas in CSS pixels from its top left: x0, y0 inclusive; x1, y1 exclusive. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Pixels added around a part's rectangle: the selection rim (3 CSS pixels outside the part) and a
 * margin for rounding.
 */
export const DAMAGE_MARGIN_PX = 4;

/** Above this share of the canvas a partial frame saves too little: the whole canvas is drawn. */
export const MAX_DAMAGE_SHARE = 0.6;

/** What the bindings changed in their last pass (BindingRuntime). */
export interface DamageSource {
  /** Parts whose look or pose changed in the last pass of the bindings, `touchedCount` of them. */
  readonly touched: readonly Object3D[];
  readonly touchedCount: number;
  /** Something changed that no rectangle covers (a model loaded, a bone moved a skinned mesh). */
  readonly wholeFrame: boolean;
  /** Every part the bindings can change (null: not in the scene): their places are kept from each whole frame. */
  readonly bound: readonly (Object3D | null)[];
}

const box = new Box3();
const part = new Box3();
const corner = new Vector3();

/**
 * The rectangle `node` and everything under it covers on a canvas of `width` x `height` CSS pixels,
 * seen by `camera` (matrices up to date), into `out`. False when it cannot be known: a skinned or
 * instanced mesh (their bounds follow bones and instances only when drawn), or a part reaching behind
 * the camera.
 */
export function footprint(node: Object3D, camera: Camera, width: number, height: number, out: Rect): boolean {
  box.makeEmpty();
  let known = true;
  node.traverse((o) => {
    if (!known) return;
    const mesh = o as Object3D & {
      geometry?: { boundingBox: Box3 | null; computeBoundingBox(): void };
      isSkinnedMesh?: boolean;
      isInstancedMesh?: boolean;
    };
    if (mesh.isSkinnedMesh || mesh.isInstancedMesh) {
      known = false;
      return;
    }
    const geometry = mesh.geometry;
    if (!geometry) return;
    if (geometry.boundingBox === null) geometry.computeBoundingBox();
    if (geometry.boundingBox === null) return;
    box.union(part.copy(geometry.boundingBox).applyMatrix4(o.matrixWorld));
  });
  if (!known) return false;
  if (box.isEmpty()) {
    out.x0 = out.y0 = out.x1 = out.y1 = 0;
    return true;
  }
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < 8; i++) {
    corner.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z);
    corner.applyMatrix4(camera.matrixWorldInverse);
    // At or behind the camera's plane the projection folds over: no rectangle holds such a part.
    if (corner.z >= 0 && (camera as Camera & { isPerspectiveCamera?: boolean }).isPerspectiveCamera) return false;
    corner.applyMatrix4(camera.projectionMatrix);
    const x = ((corner.x + 1) / 2) * width;
    const y = ((1 - corner.y) / 2) * height;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  out.x0 = x0;
  out.y0 = y0;
  out.x1 = x1;
  out.y1 = y1;
  return true;
}

const isEmpty = (r: Rect) => !(r.x1 > r.x0 && r.y1 > r.y0);

function unite(into: Rect, r: Rect): void {
  if (isEmpty(r)) return;
  if (isEmpty(into)) {
    into.x0 = r.x0;
    into.y0 = r.y0;
    into.x1 = r.x1;
    into.y1 = r.y1;
    return;
  }
  into.x0 = Math.min(into.x0, r.x0);
  into.y0 = Math.min(into.y0, r.y0);
  into.x1 = Math.max(into.x1, r.x1);
  into.y1 = Math.max(into.y1, r.y1);
}

/**
 * Keeps where each changing part was last drawn, and plans each frame: the rectangle to redraw, or
 * null for the whole canvas.
 */
export class DamageTracker {
  /** Where each part was drawn in the last frame that drew it (CSS pixels). */
  private readonly last = new Map<Object3D, Rect>();
  private readonly now: Rect = { x0: 0, y0: 0, x1: 0, y1: 0 };
  /** The touched parts' places in the frame being planned, reused from frame to frame. */
  private readonly places: Rect[] = [];
  /** The rectangle of the last plan; the caller reads it, this class reuses it. */
  readonly region: Rect = { x0: 0, y0: 0, x1: 0, y1: 0 };

  /**
   * The rectangle (whole CSS pixels, inside the canvas) that covers every part `source` touched,
   * where it was drawn last and where it is now, or null when the whole canvas must be drawn.
   * Records the parts' new places: call it only for a frame that draws.
   */
  plan(source: DamageSource, camera: Camera, width: number, height: number): Rect | null {
    if (source.wholeFrame || source.touchedCount === 0 || !(width > 0 && height > 0)) return null;
    const region = this.region;
    region.x0 = region.y0 = region.x1 = region.y1 = 0;
    for (let i = 0; i < source.touchedCount; i++) {
      const node = source.touched[i];
      node.updateWorldMatrix(true, true);
      const now = (this.places[i] ??= { x0: 0, y0: 0, x1: 0, y1: 0 });
      if (!footprint(node, camera, width, height, now)) return null;
      const before = this.last.get(node);
      // A part never seen drawn may have moved from anywhere.
      if (before === undefined) return null;
      unite(region, before);
      unite(region, now);
    }
    if (isEmpty(region)) return null;
    region.x0 = Math.max(0, Math.floor(region.x0 - DAMAGE_MARGIN_PX));
    region.y0 = Math.max(0, Math.floor(region.y0 - DAMAGE_MARGIN_PX));
    region.x1 = Math.min(width, Math.ceil(region.x1 + DAMAGE_MARGIN_PX));
    region.y1 = Math.min(height, Math.ceil(region.y1 + DAMAGE_MARGIN_PX));
    if (isEmpty(region)) return null;
    if ((region.x1 - region.x0) * (region.y1 - region.y0) > MAX_DAMAGE_SHARE * width * height) return null;
    // Only now, with the frame certain to be partial: the parts' new places are what it draws.
    for (let i = 0; i < source.touchedCount; i++) this.remember(source.touched[i], this.places[i]);
    return region;
  }

  /**
   * After a whole frame: the places of the parts the bindings can change, as that frame drew them
   * (matrices up to date). Parts whose place cannot be known are forgotten: their next change draws
   * the whole canvas.
   */
  drewWhole(source: DamageSource, camera: Camera, width: number, height: number): void {
    this.last.clear();
    const remember = (node: Object3D) => {
      if (footprint(node, camera, width, height, this.now)) this.remember(node, this.now);
    };
    for (let i = 0; i < source.bound.length; i++) {
      const node = source.bound[i];
      if (node) remember(node);
    }
  }

  private remember(node: Object3D, r: Rect): void {
    const kept = this.last.get(node);
    if (kept) {
      kept.x0 = r.x0;
      kept.y0 = r.y0;
      kept.x1 = r.x1;
      kept.y1 = r.y1;
    } else {
      this.last.set(node, { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 });
    }
  }
}

const regionFrustum = new Frustum();
const toRegion = new Matrix4();
const viewProjection = new Matrix4();
const sphere = new Sphere();
const worldBox = new Box3();

type Drawable = Object3D & {
  isMesh?: boolean;
  isLine?: boolean;
  isSkinnedMesh?: boolean;
  isInstancedMesh?: boolean;
  geometry?: {
    boundingSphere: Sphere | null;
    boundingBox: Box3 | null;
    computeBoundingSphere(): void;
    computeBoundingBox(): void;
  };
};

/**
 * Leaves out of a partial frame the meshes that cannot reach its rectangle. A scissor keeps
 * SwiftShader from shading pixels outside the rectangle, but every draw call still costs it the
 * vertices, the triangle setup and a dispatch to its threads: measured on the GPU process, a 5 %
 * scissor over 33 draws cost 8.4 ms of CPU a frame, the same with the 3 draws that reach it 1.6 ms.
 * A mesh is left out only when its bounding sphere or its box (each holds every vertex) lies wholly
 * outside the pyramid through the rectangle, so it has no pixel inside: the frame's pixels do not change.
 * Left-out meshes sit on no layer for that one render; `restore` puts their layers back.
 */
export class RegionCull {
  private readonly hidden: Object3D[] = [];
  private readonly masks: number[] = [];
  /** How many meshes the last `hide` left out. */
  count = 0;
  private layers: Layers | null = null;
  /** Tests one object: made once, not a closure per frame. */
  private readonly visit = (o: Object3D): void => {
    const d = o as Drawable;
    // Not points: a point's square is sized in pixels, and reaches past its sphere.
    if (!(d.isMesh || d.isLine) || !d.frustumCulled || d.isSkinnedMesh || d.isInstancedMesh) return;
    if (!d.layers.test(this.layers!) || !d.geometry) return;
    if (d.geometry.boundingSphere === null) d.geometry.computeBoundingSphere();
    if (d.geometry.boundingSphere === null) return;
    sphere.copy(d.geometry.boundingSphere).applyMatrix4(d.matrixWorld);
    if (regionFrustum.intersectsSphere(sphere)) {
      // A long part (a pipe, a rail) has a sphere far larger than itself: its box says more.
      if (d.geometry.boundingBox === null) d.geometry.computeBoundingBox();
      if (d.geometry.boundingBox === null) return;
      if (regionFrustum.intersectsBox(worldBox.copy(d.geometry.boundingBox).applyMatrix4(d.matrixWorld))) return;
    }
    this.hidden.push(d);
    this.masks.push(d.layers.mask);
    d.layers.mask = 0;
  };

  /** Leaves out the meshes of `scene` outside `region` (CSS pixels of a `width` x `height` canvas). */
  hide(scene: Object3D, camera: Camera, region: Rect, width: number, height: number): number {
    this.restore();
    // One pixel more on each side: the rectangle's edges are whole pixels, a triangle's are not.
    const ax = ((region.x0 - 1) / width) * 2 - 1;
    const bx = ((region.x1 + 1) / width) * 2 - 1;
    const ay = 1 - ((region.y1 + 1) / height) * 2;
    const by = 1 - ((region.y0 - 1) / height) * 2;
    // Clip space to the rectangle's own clip space: its pyramid's planes come out of the frustum code.
    // prettier-ignore
    toRegion.set(
      2 / (bx - ax), 0, 0, -(ax + bx) / (bx - ax),
      0, 2 / (by - ay), 0, -(ay + by) / (by - ay),
      0, 0, 1, 0,
      0, 0, 0, 1,
    );
    viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    regionFrustum.setFromProjectionMatrix(toRegion.multiply(viewProjection));
    // World matrices are as the last frame drew them, and plan() brought the touched parts up to date:
    // anything else that moved made the frame whole. (The render updates them all again.)
    this.layers = camera.layers;
    scene.traverseVisible(this.visit);
    this.count = this.hidden.length;
    return this.count;
  }

  /** Puts back what the last `hide` left out. */
  restore(): void {
    for (let i = 0; i < this.hidden.length; i++) this.hidden[i].layers.mask = this.masks[i];
    this.hidden.length = 0;
    this.masks.length = 0;
  }
}
