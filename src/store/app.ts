/**
 * Structural app state (zustand): what is loaded, the connection, alarms, selection. Changes here
 * are rare (a twin loads, the connection drops, an alarm changes), so React may render on them.
 */
import { create } from 'zustand';
import type { Twin } from '../twin/schema';
import type { TwinProblem } from '../twin/validate';
import type { AlarmSnapshot, ConnectionStatus, EngineStats } from '../engine/protocol';

export type TwinLoad =
  | { state: 'idle' }
  | { state: 'loading'; id: string }
  | { state: 'ready'; id: string; twin: Twin; brokerUrl: string }
  | { state: 'invalid'; id: string; problems: TwinProblem[] }
  | { state: 'failed'; id: string; message: string };

export interface AppState {
  load: TwinLoad;
  connection: ConnectionStatus | null;
  alarms: AlarmSnapshot[];
  stats: EngineStats | null;
  /** Messages per second over the last stats interval. */
  messageRate: number;
  /** Payload bytes per second over the last stats interval. */
  byteRate: number;
  engineError: string | null;
  /** Scene node path ("station/Pump1") of the selected part, if any. */
  selected: string | null;
  /** Asset model load failures, by asset id. */
  modelErrors: Record<string, string>;
  /** Bindings that point at nodes the loaded models do not have. */
  sceneWarnings: string[];
  /** A request to fly the camera to a scene node ("station/Pump1"); seq re-triggers the same path. */
  focus: { path: string; seq: number } | null;
  /** Requested camera view id, and a counter so picking the same view again re-applies it. */
  view: { id: string; seq: number } | null;
  /** Ad-hoc trends opened from the inspector, oldest first (src/panels/trendAdHoc.ts). */
  trends: { key: number; signal: string }[];
}

export const useApp = create<AppState>(() => ({
  load: { state: 'idle' },
  connection: null,
  alarms: [],
  stats: null,
  messageRate: 0,
  byteRate: 0,
  engineError: null,
  selected: null,
  modelErrors: {},
  sceneWarnings: [],
  view: null,
  focus: null,
  trends: [],
}));

/** Asks the scene to fly the camera to a node. */
export function requestFocus(path: string): void {
  useApp.setState((s) => ({ focus: { path, seq: (s.focus?.seq ?? 0) + 1 } }));
}
