import { useEffect, useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useApp } from '../store/app';
import { BindingRuntime } from './bindingRuntime';

/** Applies bindings every frame from the telemetry store: no React render per message. */
export function Bindings({ twin }: { twin: Twin }) {
  const runtime = useMemo(() => new BindingRuntime(twin, telemetry), [twin]);
  useFrame((_, dt) => runtime.apply(Math.min(dt, 0.1)));
  // Report bindings whose node is missing, a second after models load and whenever that changes.
  useEffect(() => {
    const timer = setInterval(() => {
      const text = runtime.problems.map((p) => `${p.node}: ${p.message}`);
      if (text.join('\n') !== useApp.getState().sceneWarnings.join('\n')) useApp.setState({ sceneWarnings: text });
    }, 1000);
    return () => clearInterval(timer);
  }, [runtime]);
  return null;
}
