import { useEffect, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { Box3, Sphere, Vector3, type PerspectiveCamera } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { View } from '../twin/schema';
import { useApp } from '../store/app';
import { boundsOf, hasAsset, onRegistryChange, sceneBounds } from './sceneRegistry';
import { clipPlanes, fitDistance, fitView, zoomLimits } from './sceneFraming';

const DURATION_S = 0.8;
/** The view request that fits the whole scene (a twin without views, or "Reset view" there). */
export const WHOLE_SCENE_VIEW = '';

const box = new Box3();
const sphere = new Sphere();
const direction = new Vector3();
const planes = { near: 0, far: 0 };

/**
 * Moves the camera smoothly: to a view preset (`useApp.view`), or to fit a part (`useApp.focus`,
 * asked for by the inspector, the keyboard, the tree or the alarm list through `requestFocus`). With no
 * views in the twin, the first view fits the whole scene once its models are in. Zoom limits and
 * clipping planes follow the scene's size (sceneFraming.ts), so a 10 cm part and a 1 km site both work.
 * The scene renders on demand, so the rig asks for frames while it moves and none after.
 */
export function CameraRig({
  views,
  assetIds,
  onSceneSize,
}: {
  views: View[];
  assetIds: readonly string[];
  /** Called with the scene's bounding radius (metres) whenever models come or go. */
  onSceneSize?: (radius: number) => void;
}) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const aspect = useThree((s) => s.size.width / Math.max(1, s.size.height));
  const viewRequest = useApp((s) => s.view);
  const focusRequest = useApp((s) => s.focus);
  const from = useRef({ pos: new Vector3(), target: new Vector3() });
  const to = useRef({ pos: new Vector3(), target: new Vector3() });
  const t = useRef(1);
  /** The scene's bounding sphere, once models are in (radius 0 before). */
  const scene = useRef({ center: new Vector3(), radius: 0 });
  const aspectRef = useRef(aspect);
  aspectRef.current = aspect;

  const start = (): void => {
    if (!controls) return;
    from.current.pos.copy(camera.position);
    from.current.target.copy(controls.target);
    t.current = 0;
    invalidate();
  };

  /** Sets `to` to the view that shows the whole scene. */
  const wholeScene = (): boolean => {
    const { center, radius } = scene.current;
    if (radius <= 0) return false;
    const v = fitView([center.x, center.y, center.z], radius, camera.fov, aspectRef.current);
    to.current.pos.set(...v.position);
    to.current.target.set(...v.target);
    return true;
  };

  // The scene's size, as models arrive: zoom limits follow it, and a twin without views is framed
  // whole until every model is in (after that the operator's camera is theirs).
  useEffect(() => {
    if (!controls) return;
    let framed = false;
    const farthestView = Math.max(
      0,
      ...views.map((v) => Math.hypot(...v.camera.position.map((p, i) => p - v.camera.target[i]))),
    );
    const measure = () => {
      if (!sceneBounds(assetIds, box)) return;
      box.getBoundingSphere(sphere);
      scene.current.center.copy(sphere.center);
      scene.current.radius = sphere.radius;
      const limits = zoomLimits(sphere.radius, farthestView);
      controls.minDistance = limits.minDistance;
      controls.maxDistance = limits.maxDistance;
      onSceneSize?.(sphere.radius);
      const errors = useApp.getState().modelErrors;
      if (views.length === 0 && !framed && wholeScene()) {
        camera.position.copy(to.current.pos);
        controls.target.copy(to.current.target);
        controls.update();
        framed = assetIds.every((id) => hasAsset(id) || id in errors);
      }
      invalidate();
    };
    measure();
    return onRegistryChange(measure);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- wholeScene reads refs only
  }, [controls, camera, views, assetIds, invalidate, onSceneSize]);

  useEffect(() => {
    if (!viewRequest || !controls) return;
    const view = views.find((v) => v.id === viewRequest.id);
    if (view) {
      to.current.pos.set(...view.camera.position);
      to.current.target.set(...view.camera.target);
    } else if (viewRequest.id !== WHOLE_SCENE_VIEW || !wholeScene()) {
      return;
    }
    start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start reads refs only
  }, [viewRequest, views, camera, controls]);

  useEffect(() => {
    if (!focusRequest || !controls) return;
    if (!boundsOf(focusRequest.path, box)) return;
    box.getBoundingSphere(sphere);
    const distance = Math.max(fitDistance(sphere.radius, camera.fov, aspectRef.current), controls.minDistance);
    // Keep the operator's viewing direction; only move closer or further.
    direction.copy(camera.position).sub(controls.target).normalize();
    to.current.target.copy(sphere.center);
    to.current.pos.copy(sphere.center).addScaledVector(direction, distance);
    start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start reads refs only
  }, [focusRequest, camera, controls]);

  useFrame((_, dt) => {
    if (!controls) return;
    if (t.current < 1) {
      t.current = Math.min(1, t.current + Math.min(dt, 0.1) / DURATION_S);
      const k = t.current * t.current * (3 - 2 * t.current); // ease in-out
      camera.position.lerpVectors(from.current.pos, to.current.pos, k);
      controls.target.lerpVectors(from.current.target, to.current.target, k);
      controls.update();
      if (t.current < 1) invalidate();
    }
    const { center, radius } = scene.current;
    if (radius <= 0) return;
    clipPlanes(radius, camera.position.distanceTo(controls.target), camera.position.distanceTo(center), planes);
    // Only when they change noticeably: a new projection matrix every frame is wasted work.
    if (
      Math.abs(planes.near - camera.near) > camera.near * 0.05 ||
      Math.abs(planes.far - camera.far) > camera.far * 0.05
    ) {
      camera.near = planes.near;
      camera.far = planes.far;
      camera.updateProjectionMatrix();
    }
  });
  return null;
}
