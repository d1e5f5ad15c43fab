import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import { Box3, Vector3 } from 'three';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { findNode } from './sceneRegistry';

/**
 * `window.twinview`: a small read-only diagnostics API (used by the end-to-end tests and handy in
 * the console): is the scene ready, where is a node on screen, and what colour is drawn there.
 */
export interface TwinviewProbe {
  ready(): boolean;
  screenPosition(path: string): { x: number; y: number } | null;
  pixelAt(path: string): [number, number, number] | null;
  value(signalId: string): number;
}

declare global {
  interface Window {
    twinview?: TwinviewProbe;
  }
}

const box = new Box3();
const center = new Vector3();

export function SceneProbe({ twin }: { twin: Twin }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);

  useEffect(() => {
    const screenPosition = (path: string) => {
      const found = findNode(path);
      if (!found.ok) return null;
      box.setFromObject(found.node).getCenter(center).project(camera);
      const rect = gl.domElement.getBoundingClientRect();
      if (Math.abs(center.x) > 1 || Math.abs(center.y) > 1) return null;
      return { x: ((center.x + 1) / 2) * rect.width, y: ((1 - center.y) / 2) * rect.height };
    };
    window.twinview = {
      ready: () => {
        const errors = useApp.getState().modelErrors;
        return twin.assets.every((a) => a.id in errors || isRegistered(a.id));
      },
      screenPosition,
      pixelAt: (path) => {
        const p = screenPosition(path);
        if (!p) return null;
        const canvas = gl.domElement;
        const scale = canvas.width / canvas.getBoundingClientRect().width;
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const ctx = copy.getContext('2d');
        if (!ctx) return null;
        ctx.drawImage(canvas, 0, 0);
        const d = ctx.getImageData(Math.round(p.x * scale), Math.round(p.y * scale), 1, 1).data;
        return [d[0], d[1], d[2]];
      },
      value: (id) => telemetry.value(id),
    };
    return () => {
      delete window.twinview;
    };
  }, [camera, gl, twin]);
  return null;
}

function isRegistered(assetId: string): boolean {
  const found = findNode(`${assetId}/__none__`);
  return found.ok || found.reason === 'no-node';
}
