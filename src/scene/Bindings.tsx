import { useEffect } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { useApp } from '../store/app';
import type { BindingRuntime } from './bindingRuntime';
import { requestBlinkFrame, requestLabelFrame, requestMotionFrame, setSceneInvalidator } from './sceneFrames';
import { sceneStats } from './sceneStats';
import { useSceneSync } from './useSceneSync';

/**
 * Applies bindings in the frame loop from the telemetry store: no React render per message. The
 * canvas renders on demand, so this also decides when the next frame is needed: new data, a spin,
 * the next blink flip, a change of alarms or connection, or a value going stale.
 */
export function Bindings({ runtime }: { runtime: BindingRuntime }) {
  const invalidate = useThree((s) => s.invalidate);
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const view = { camera, width: size.width, height: size.height };

  useEffect(() => setSceneInvalidator(invalidate), [invalidate]);

  useSceneSync(runtime);
  // The material copies the bindings made go with the runtime (another twin, the scene unmounting).
  useEffect(() => () => runtime.dispose(), [runtime]);

  // Report bindings whose node is missing, a second after models load and whenever that changes.
  useEffect(() => {
    const timer = setInterval(() => {
      const text = runtime.problems.map((p) => `${p.node}: ${p.message}`);
      if (text.join('\n') !== useApp.getState().sceneWarnings.join('\n')) useApp.setState({ sceneWarnings: text });
    }, 1000);
    return () => clearInterval(timer);
  }, [runtime]);

  useFrame((state, dt) => {
    view.camera = state.camera;
    const t0 = performance.now();
    runtime.apply(Math.min(dt, 0.1), Date.now(), view);
    sceneStats.bindingMs += performance.now() - t0;
    // Under software WebGL a spin alone asks for frames at a capped rate (framePolicy.ts).
    if (runtime.moving) requestMotionFrame(invalidate);
    else if (runtime.blinking) requestBlinkFrame(invalidate);
    if (runtime.labelDue > 0) requestLabelFrame(invalidate, runtime.labelDue);
  });
  return null;
}
