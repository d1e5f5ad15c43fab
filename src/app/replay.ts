/**
 * Time travel on the main thread: follows the time cursor (src/store/timeCursor.ts) and makes the
 * whole page show its moment. In replay the telemetry store's overlay shows the values at `at` (from
 * the tab's own history, and the historian's snapshot for what the tab does not reach back to), the
 * alarm list shows the alarms active then (rebuilt from the audit transitions), and the scene gets a
 * frame; "Live" puts the newest values back, the worker having kept ingesting meanwhile.
 */
import { create } from 'zustand';
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { isAnnunciated, useAlarms } from '../store/alarms';
import { useApp, requestFocus } from '../store/app';
import { useTimeCursor } from '../store/timeCursor';
import { requestSceneFrame } from '../scene/sceneFrames';
import { alarmsAt, mergeTransitions, type AlarmDescription } from './replayAlarms';
import { fetchSnapshot, fetchTransitions, type FetchLike } from './timelineHistory';

/** Whether a historian answers: `checking` until the first answer. */
export type HistorianState = 'checking' | 'answering' | 'absent';

/** A recording opened in the page: the timeline spans it and its alarms are the backtest's. */
export interface OpenRecording {
  name: string;
  from: number;
  to: number;
  transitions: AlarmAuditEntry[];
}

export interface ReplayState {
  /** The alarms at the replayed moment; null when live. */
  alarms: AlarmSnapshot[] | null;
  historian: HistorianState;
  /** The historian's alarm transitions of the last day (or fewer), in time order. */
  historianTransitions: AlarmAuditEntry[];
  recording: OpenRecording | null;
  /** What the timeline says about the last recording action (opened badly, exported from where). */
  notice: { kind: 'error' | 'info'; text: string } | null;
}

export const useReplay = create<ReplayState>(() => ({
  alarms: null,
  historian: 'checking',
  historianTransitions: [],
  recording: null,
  notice: null,
}));

/** How far back the timeline asks the historian for alarms, and how often. */
export const ALARM_HISTORY_MS = 24 * 3_600_000;
const ALARMS_REFRESH_MS = 30_000;
/** Cursor ticks: often while playing (smooth), once a second while live (`at` only follows the clock). */
const PLAY_TICK_MS = 250;
const LIVE_TICK_MS = 1000;
/** A drag asks the historian once it rests this long, not for every position it passed. */
const SNAPSHOT_DELAY_MS = 150;

/** Every transition the page knows of, in time order: a recording's, or the tab's and the historian's. */
export function knownTransitions(): AlarmAuditEntry[] {
  const { recording, historianTransitions } = useReplay.getState();
  if (recording) return recording.transitions;
  return mergeTransitions(useAlarms.getState().audit, historianTransitions);
}

function describer(twin: Twin): (id: string) => AlarmDescription | undefined {
  const rules = new Map(twin.rules.map((r) => [r.id, r]));
  return (id) => {
    const r = rules.get(id);
    if (!r) return undefined;
    const d: AlarmDescription = { message: r.message };
    if (r.asset !== undefined) d.asset = r.asset;
    if (r.signal !== undefined) d.signal = r.signal;
    return d;
  };
}

/** The same alarms in the same states (what the scene draws from them). */
function sameAlarms(a: readonly AlarmSnapshot[], b: readonly AlarmSnapshot[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].state !== b[i].state) return false;
  return true;
}

/**
 * Starts following the cursor for a twin; returns the stop function. One per page (the operator's
 * timeline or the embed mounts it). `fetchImpl` is the page's fetch (tests pass their own).
 */
export function startTimeTravel(twin: Twin, fetchImpl: FetchLike = (u, i) => fetch(u, i)): () => void {
  const describe = describer(twin);
  let snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  let snapshotAbort: AbortController | null = null;
  let stopped = false;
  /** The scene's alarm looks (the app store's annunciated list) in replay: the alarms of that moment. */
  let sceneAlarms: AlarmSnapshot[] | null = null;

  const show = () => {
    const s = useTimeCursor.getState();
    if (s.mode === 'live') {
      if (telemetry.replayAt !== null) telemetry.leaveReplay();
      if (useReplay.getState().alarms !== null) useReplay.setState({ alarms: null });
      if (sceneAlarms !== null) {
        sceneAlarms = null;
        useApp.setState({ alarms: useAlarms.getState().all.filter(isAnnunciated) });
      }
      requestSceneFrame();
      return;
    }
    const at = s.at;
    const missing = telemetry.showMoment(at);
    const alarms = alarmsAt(knownTransitions(), at, describe);
    const annunciated = alarms.filter(isAnnunciated);
    useReplay.setState({ alarms });
    // Playback moves the cursor a few times a second; the scene re-syncs only when the set changes.
    if (sceneAlarms === null || !sameAlarms(sceneAlarms, annunciated)) {
      sceneAlarms = annunciated;
      useApp.setState({ alarms: sceneAlarms });
    }
    requestSceneFrame();
    if (missing.length > 0 && useReplay.getState().historian !== 'absent' && !useReplay.getState().recording) {
      askSnapshot(at);
    }
  };

  const askSnapshot = (at: number) => {
    if (snapshotTimer !== null) clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(() => {
      snapshotTimer = null;
      snapshotAbort?.abort();
      const abort = new AbortController();
      snapshotAbort = abort;
      fetchSnapshot(fetchImpl, { twin: twin.id, at }, abort.signal)
        .then((res) => {
          if (stopped || abort.signal.aborted) return;
          if (!res.ok) {
            if (res.kind === 'unavailable') useReplay.setState({ historian: 'absent' });
            return;
          }
          useReplay.setState({ historian: 'answering' });
          telemetry.applySnapshot(at, res.value);
          requestSceneFrame();
        })
        .catch(() => undefined); // aborted: a newer moment was asked for
    }, SNAPSHOT_DELAY_MS);
  };

  const refreshAlarms = async () => {
    if (useReplay.getState().recording) return;
    const now = Date.now();
    const res = await fetchTransitions(fetchImpl, { twin: twin.id, from: now - ALARM_HISTORY_MS, to: now });
    if (stopped) return;
    if (res.ok) useReplay.setState({ historian: 'answering', historianTransitions: res.value });
    else if (res.kind === 'unavailable') useReplay.setState({ historian: 'absent', historianTransitions: [] });
    // A refused question keeps what we had; the next refresh asks again.
    if (useTimeCursor.getState().mode === 'replay') show();
  };

  let last = useTimeCursor.getState();
  const unsubscribe = useTimeCursor.subscribe((s) => {
    // While live, `at` follows the clock every second: nothing to show then, and no frame to draw (an
    // idle scene draws none).
    if ((s.mode === last.mode && s.at === last.at) || (s.mode === 'live' && last.mode === 'live')) {
      last = s;
      return;
    }
    last = s;
    show();
  });
  // A transition logged while replaying can change the alarms shown at the moment.
  const unsubscribeAudit = useAlarms.subscribe((s, prev) => {
    if (s.audit !== prev.audit && useTimeCursor.getState().mode === 'replay') show();
  });
  // The session replaces the app store's alarms when the live list changes; in replay the moment's stay.
  const unsubscribeApp = useApp.subscribe((s) => {
    if (sceneAlarms !== null && s.alarms !== sceneAlarms) useApp.setState({ alarms: sceneAlarms });
  });
  const ticker = setInterval(() => {
    const s = useTimeCursor.getState();
    if (s.playing || Date.now() - s.at >= LIVE_TICK_MS) s.tick();
  }, PLAY_TICK_MS);
  void refreshAlarms();
  const alarmsTimer = setInterval(() => void refreshAlarms(), ALARMS_REFRESH_MS);
  if (useTimeCursor.getState().mode === 'replay') show();

  return () => {
    stopped = true;
    unsubscribe();
    unsubscribeAudit();
    unsubscribeApp();
    clearInterval(ticker);
    clearInterval(alarmsTimer);
    if (snapshotTimer !== null) clearTimeout(snapshotTimer);
    snapshotAbort?.abort();
    useTimeCursor.getState().goLive();
    telemetry.leaveReplay();
    useReplay.setState({ alarms: null });
    if (sceneAlarms !== null) useApp.setState({ alarms: useAlarms.getState().all.filter(isAnnunciated) });
  };
}

/** "Show" on an audit entry: as `showAlarmMoment`, for the twin loaded now. */
export function showAuditMoment(alarmId: string, t: number): void {
  const load = useApp.getState().load;
  if (load.state === 'ready') showAlarmMoment(load.twin, alarmId, t);
  else useTimeCursor.getState().seek(t);
}

/** "Show" on an audit entry or an alarm mark: the cursor goes to that moment and the alarm's part is selected. */
export function showAlarmMoment(twin: Twin, alarmId: string, t: number): void {
  useTimeCursor.getState().seek(t);
  const asset = twin.rules.find((r) => r.id === alarmId)?.asset;
  if (asset) {
    useApp.setState({ selected: asset });
    requestFocus(asset);
  }
}
