import { useEffect } from 'react';
import { addAfterEffect, addEffect, useThree } from '@react-three/fiber';
import { Box3, Vector3 } from 'three';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { boundsOf, hasAsset, instanceLook } from './sceneRegistry';
import type { BindingRuntime } from './bindingRuntime';
import { resetSceneStats, sceneStats } from './sceneStats';

/**
 * `window.twinview`: a small read-only diagnostics API (used by the end-to-end tests and handy in
 * the console): is the scene ready, where is a node on screen, and what colour is drawn there.
 */
export interface TwinviewProbe {
  ready(): boolean;
  screenPosition(path: string): { x: number; y: number } | null;
  pixelAt(path: string): [number, number, number] | null;
  value(signalId: string): number;
  /** Frames rendered since the page loaded: stays put while the scene is idle. */
  frames(): number;
  /** The scene's cost counters (see sceneStats.ts), for the benchmark; `busyLog` as a plain array. */
  stats(): Omit<typeof sceneStats, 'busyLog'> & { busyLog: number[] };
  resetStats(): void;
  /**
   * Calls `callback` right after each frame has been drawn into the canvas (before the page composites
   * it), with the scene's WebGL context current: where a benchmark reads a pixel back. Returns an unsubscribe.
   */
  afterRender(callback: () => void): () => void;
  /** Calls `callback` at the start of each frame, before anything is drawn. Returns an unsubscribe. */
  beforeRender(callback: () => void): () => void;
  /** How a bound node is drawn: stale (washed out) and its alarm look (0 none, 1 acknowledged, 2 blinking). */
  look(path: string): { stale: boolean; alarm: number };
  /**
   * The screen rectangle a node's bounding box covers (CSS pixels from the canvas' top left, not
   * clipped to the canvas), and the canvas' size: how much of the view a part takes up.
   */
  screenBounds(
    path: string,
  ): { left: number; top: number; right: number; bottom: number; width: number; height: number } | null;
  /**
   * Waits for the next frame that redraws only part of the canvas (damage.ts), then draws the same
   * moment whole and counts the pixels that differ: a partial frame must leave the picture exactly as
   * a whole one would. `share`: the part of the canvas the partial frame redrew; `culled`: the meshes
   * it left out because they cannot reach that part (RegionCull).
   */
  checkNextPartialFrame(
    timeoutMs?: number,
  ): Promise<{ pixels: number; differing: number; share: number; culled: number } | null>;
}

declare global {
  interface Window {
    twinview?: TwinviewProbe;
  }
}

const box = new Box3();
const center = new Vector3();
const corner = new Vector3();

export function SceneProbe({ twin, runtime }: { twin: Twin; runtime: BindingRuntime }) {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const get = useThree((s) => s.get);
  useEffect(() => {
    const screenPosition = (path: string) => {
      if (!boundsOf(path, box)) return null;
      box.getCenter(center).project(camera);
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
        // A lost context leaves a blank canvas: say so rather than hand back its black.
        if (gl.getContext().isContextLost()) throw new Error('the WebGL context is lost');
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
      frames: () => sceneStats.frames,
      stats: () => ({
        ...sceneStats,
        busyLog: Array.from(sceneStats.busyLog.subarray(0, Math.min(sceneStats.busyFrames, sceneStats.busyLog.length))),
      }),
      resetStats: resetSceneStats,
      afterRender: (callback) => addAfterEffect(callback),
      beforeRender: (callback) => addEffect(callback),
      look: (path) => instanceLook(path) ?? { stale: runtime.isStale(path), alarm: runtime.alarmLook(path) },
      screenBounds: (path) => {
        if (!boundsOf(path, box)) return null;
        const rect = gl.domElement.getBoundingClientRect();
        const out = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
        for (let i = 0; i < 8; i++) {
          corner
            .set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z)
            .project(camera);
          const x = ((corner.x + 1) / 2) * rect.width;
          const y = ((1 - corner.y) / 2) * rect.height;
          out.left = Math.min(out.left, x);
          out.right = Math.max(out.right, x);
          out.top = Math.min(out.top, y);
          out.bottom = Math.max(out.bottom, y);
        }
        return { ...out, width: rect.width, height: rect.height };
      },
      checkNextPartialFrame: (timeoutMs = 10_000) =>
        new Promise((resolve) => {
          const start = sceneStats.partialFrames;
          const startShare = sceneStats.partialShare;
          const startCulled = sceneStats.culledDraws;
          const timer = setTimeout(() => {
            off();
            resolve(null);
          }, timeoutMs);
          const off = addAfterEffect(() => {
            if (sceneStats.partialFrames === start) return;
            off();
            clearTimeout(timer);
            const context = gl.getContext();
            const w = context.drawingBufferWidth;
            const h = context.drawingBufferHeight;
            const read = () => {
              const pixels = new Uint8Array(w * h * 4);
              context.readPixels(0, 0, w, h, context.RGBA, context.UNSIGNED_BYTE, pixels);
              return pixels;
            };
            const partial = read();
            const state = get();
            state.gl.render(state.scene, state.camera);
            const whole = read();
            let differing = 0;
            for (let i = 0; i < partial.length; i += 4) {
              if (
                Math.abs(partial[i] - whole[i]) > 2 ||
                Math.abs(partial[i + 1] - whole[i + 1]) > 2 ||
                Math.abs(partial[i + 2] - whole[i + 2]) > 2
              )
                differing++;
            }
            resolve({
              pixels: w * h,
              differing,
              share: sceneStats.partialShare - startShare,
              culled: sceneStats.culledDraws - startCulled,
            });
          });
        }),
    };
    return () => {
      delete window.twinview;
    };
  }, [camera, gl, get, twin, runtime]);
  return null;
}

function isRegistered(assetId: string): boolean {
  return hasAsset(assetId);
}
