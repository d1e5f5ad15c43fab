/**
 * The scene side of the editor outside React: the transform gizmo's mode, the preview's camera as
 * the views section reads it, and the numbers an edit writes (placements from a dragged object,
 * views from the camera), rounded so twin.json stays readable. Pure but for two small stores.
 */
import { create } from 'zustand';
import type { TwinDoc } from './draft';

export type GizmoMode = 'translate' | 'rotate' | 'scale';

/** The keys most 3D tools use for the gizmo's modes (Blender's and Unity's W/E/R). */
export const GIZMO_KEYS: Readonly<Record<string, GizmoMode>> = { w: 'translate', e: 'rotate', r: 'scale' };

export const useGizmo = create<{ mode: GizmoMode }>(() => ({ mode: 'translate' }));

export type Vec3 = [number, number, number];

/** What the preview's camera looks from and at; set by the scene while it is mounted. */
let cameraReader: (() => { position: Vec3; target: Vec3 }) | null = null;

export function setCameraReader(reader: typeof cameraReader): () => void {
  cameraReader = reader;
  return () => {
    if (cameraReader === reader) cameraReader = null;
  };
}

export function readCamera(): { position: Vec3; target: Vec3 } | null {
  return cameraReader ? cameraReader() : null;
}

const round = (n: number, step: number) => {
  const r = Math.round(n / step) * step;
  // toPrecision drops float noise (0.30000000000000004); "+ 0" turns -0 into 0.
  return Number(r.toPrecision(12)) + 0;
};
const roundVec = (v: readonly number[], step: number): Vec3 => [
  round(v[0], step),
  round(v[1], step),
  round(v[2], step),
];

/**
 * An asset's placement from a dragged object: position to the millimetre, rotation in degrees (the
 * schema's unit; three.js works in radians) to a tenth, scale one number when it is the same on
 * every axis.
 */
export function placementOf(
  position: readonly number[],
  rotationRadians: readonly number[],
  scale: readonly number[],
): { position: Vec3; rotation: Vec3; scale: number | Vec3 } {
  const degrees = rotationRadians.map((r) => (r * 180) / Math.PI);
  const s = roundVec(scale, 0.001);
  return {
    position: roundVec(position, 0.001),
    rotation: roundVec(degrees, 0.1),
    scale: s[0] === s[1] && s[1] === s[2] ? s[0] : s,
  };
}

/** An id not yet taken: "view-1", "view-2", ... */
export function freeId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/** A view of the camera as it is now, to the centimetre, with a free id. */
export function viewFromCamera(
  camera: { position: readonly number[]; target: readonly number[] },
  takenIds: Iterable<string>,
): { id: string; camera: { position: Vec3; target: Vec3 } } {
  return {
    id: freeId('view', takenIds),
    camera: { position: roundVec(camera.position, 0.01), target: roundVec(camera.target, 0.01) },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The document's list under `key` (assets, bindings, views), made an array if it is not one. */
export function listOf(doc: TwinDoc, key: string): unknown[] {
  if (!Array.isArray(doc[key])) doc[key] = [];
  return doc[key] as unknown[];
}

/** The ids of a document list's entries that have one. */
export function idsOf(doc: TwinDoc, key: string): string[] {
  const list = doc[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((x) => (isObject(x) && typeof x.id === 'string' ? [x.id] : []));
}

/** The index of the asset with this id in the document, or -1. */
export function assetIndex(doc: TwinDoc, id: string): number {
  const list = doc.assets;
  if (!Array.isArray(list)) return -1;
  return list.findIndex((a) => isObject(a) && a.id === id);
}
