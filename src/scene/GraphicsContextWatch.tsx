import { useEffect } from 'react';
import { useStore, useThree } from '@react-three/fiber';
import { sceneStats } from './sceneStats';

/**
 * Watches the canvas' WebGL context. A GPU process that crashes or is reset (a driver update, a
 * watchdog on a loaded machine, software WebGL out of memory) takes the context with it: the canvas
 * goes blank. three.js asks the browser for a new one (it prevents the loss' default) and rebuilds
 * its own state when it comes back, but a scene that draws on demand would not draw again until
 * something changed, and then perhaps only a rectangle of it (damage.ts). So on a restore this asks
 * for a frame, which FrameGate draws whole (r3f's invalidate counts as a foreign request). While the
 * context is lost FrameGate counts no frames: the kiosk's watchdog then sees a stalled scene and
 * reloads the page if the context never comes back.
 */
export function GraphicsContextWatch({ onLostChange }: { onLostChange(lost: boolean): void }) {
  const gl = useThree((s) => s.gl);
  const store = useStore();
  useEffect(() => {
    const canvas = gl.domElement;
    const lost = () => {
      sceneStats.contextLosses++;
      onLostChange(true);
    };
    const restored = () => {
      onLostChange(false);
      // Through the store: FrameGate wraps invalidate to tell its own requests from others'.
      store.getState().invalidate();
    };
    canvas.addEventListener('webglcontextlost', lost);
    canvas.addEventListener('webglcontextrestored', restored);
    // Lost before this effect ran (a page opened on a machine whose GPU process is down).
    if (gl.getContext().isContextLost()) onLostChange(true);
    return () => {
      canvas.removeEventListener('webglcontextlost', lost);
      canvas.removeEventListener('webglcontextrestored', restored);
    };
  }, [gl, store, onLostChange]);
  return null;
}
