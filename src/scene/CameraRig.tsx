import { useEffect, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { Box3, Sphere, Vector3, type PerspectiveCamera } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { View } from '../twin/schema';
import { useApp } from '../store/app';
import { boundsOf } from './sceneRegistry';

const DURATION_S = 0.8;
/** Margin around a focused part, so it does not touch the edges of the view. */
const FIT_MARGIN = 1.3;

const box = new Box3();
const sphere = new Sphere();
const direction = new Vector3();

/**
 * Moves the camera smoothly: to a view preset (`useApp.view`), or to fit a part (`useApp.focus`,
 * asked for by the inspector, the keyboard, or the alarm list through `requestFocus`). The scene renders
 * on demand, so the rig asks for frames while it moves and none after.
 */
export function CameraRig({ views }: { views: View[] }) {
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const viewRequest = useApp((s) => s.view);
  const focusRequest = useApp((s) => s.focus);
  const from = useRef({ pos: new Vector3(), target: new Vector3() });
  const to = useRef({ pos: new Vector3(), target: new Vector3() });
  const t = useRef(1);

  const start = (): void => {
    if (!controls) return;
    from.current.pos.copy(camera.position);
    from.current.target.copy(controls.target);
    t.current = 0;
    invalidate();
  };

  useEffect(() => {
    const view = views.find((v) => v.id === viewRequest?.id);
    if (!view || !controls) return;
    to.current.pos.set(...view.camera.position);
    to.current.target.set(...view.camera.target);
    start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start reads refs only
  }, [viewRequest, views, camera, controls]);

  useEffect(() => {
    if (!focusRequest || !controls) return;
    if (!boundsOf(focusRequest.path, box)) return;
    box.getBoundingSphere(sphere);
    const fov = ((camera as PerspectiveCamera).fov ?? 45) * (Math.PI / 180);
    const distance = (Math.max(sphere.radius, 0.3) / Math.sin(fov / 2)) * FIT_MARGIN;
    // Keep the operator's viewing direction; only move closer or further.
    direction.copy(camera.position).sub(controls.target).normalize();
    to.current.target.copy(sphere.center);
    to.current.pos.copy(sphere.center).addScaledVector(direction, distance);
    start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start reads refs only
  }, [focusRequest, camera, controls]);

  useFrame((_, dt) => {
    if (t.current >= 1 || !controls) return;
    t.current = Math.min(1, t.current + Math.min(dt, 0.1) / DURATION_S);
    const k = t.current * t.current * (3 - 2 * t.current); // ease in-out
    camera.position.lerpVectors(from.current.pos, to.current.pos, k);
    controls.target.lerpVectors(from.current.target, to.current.target, k);
    controls.update();
    if (t.current < 1) invalidate();
  });
  return null;
}
