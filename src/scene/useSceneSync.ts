import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import type { AlarmSnapshot } from '../engine/protocol';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { useTimeCursor } from '../store/timeCursor';
import { requestBindingsFrame } from './sceneFrames';

/** How often an idle scene checks whether values have gone stale (no frames are drawn for the check). */
export const STALE_CHECK_MS = 500;

/** What the scene keeps in step with the app: node bindings (BindingRuntime) and instance grids alike. */
export interface SceneSyncTarget {
  online: boolean;
  setAlarms(alarms: readonly AlarmSnapshot[]): void;
  /** Whether a stale look would change at `now` (ms). */
  staleChanged(now: number): boolean;
}

/**
 * Keeps a binding runtime in step with the alarm list and the connection (structural changes, not
 * per message), and wakes an idle scene when data goes stale: a slow timer asks the runtime, and a
 * frame is drawn only when a look would change.
 */
export function useSceneSync(target: SceneSyncTarget): void {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    const sync = () => {
      const s = useApp.getState();
      // A replayed moment (or a recording played with no broker) is judged by its own times, not by
      // whether the broker is reachable now: otherwise every part would be washed out as stale.
      const replaying = useTimeCursor.getState().mode === 'replay' || telemetry.replayAt !== null;
      target.online = replaying || s.connection?.state === 'online';
      target.setAlarms(s.alarms);
      requestBindingsFrame(invalidate);
    };
    sync();
    const unsubscribe = useApp.subscribe((s, prev) => {
      if (s.alarms !== prev.alarms || s.connection !== prev.connection) sync();
    });
    const unsubscribeCursor = useTimeCursor.subscribe((c, prev) => {
      if (c.mode !== prev.mode) sync();
    });
    const staleTimer = setInterval(() => {
      if (target.staleChanged(Date.now())) requestBindingsFrame(invalidate);
    }, STALE_CHECK_MS);
    return () => {
      unsubscribe();
      unsubscribeCursor();
      clearInterval(staleTimer);
    };
  }, [target, invalidate]);
}
