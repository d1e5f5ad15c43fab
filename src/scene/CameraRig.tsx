import { useEffect, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { Vector3 } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { View } from '../twin/schema';
import { useApp } from '../store/app';

const DURATION_S = 0.8;

/** Moves the camera smoothly to the requested view preset. */
export function CameraRig({ views }: { views: View[] }) {
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const request = useApp((s) => s.view);
  const from = useRef({ pos: new Vector3(), target: new Vector3() });
  const to = useRef({ pos: new Vector3(), target: new Vector3() });
  const t = useRef(1);

  useEffect(() => {
    const view = views.find((v) => v.id === request?.id);
    if (!view || !controls) return;
    from.current.pos.copy(camera.position);
    from.current.target.copy(controls.target);
    to.current.pos.set(...view.camera.position);
    to.current.target.set(...view.camera.target);
    t.current = 0;
  }, [request, views, camera, controls]);

  useFrame((_, dt) => {
    if (t.current >= 1 || !controls) return;
    t.current = Math.min(1, t.current + dt / DURATION_S);
    const k = t.current * t.current * (3 - 2 * t.current); // ease in-out
    camera.position.lerpVectors(from.current.pos, to.current.pos, k);
    controls.target.lerpVectors(from.current.target, to.current.target, k);
    controls.update();
  });
  return null;
}
