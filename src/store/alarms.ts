/**
 * The alarm side of the main thread (zustand): the full alarm list from the worker (shelved,
 * suppressed and out-of-service ones included; the app store's `alarms` holds only the annunciated
 * ones, which the scene and the roll-up use), the audit log, whose alarms they are (the shared alarm
 * service's, or this screen's), the operator's requests waiting for an answer, and the operator's
 * settings. This screen's own alarms and audit are saved per twin, so a reload or a worker restart can
 * restore them; the service's are not (the broker holds them for every screen).
 */
import { create } from 'zustand';
import type { AlarmAuditEntry, AlarmMode, AlarmSnapshot } from '../engine/protocol';
import { appendAudit, browserStorage, loadAlarms, saveAlarms, type KeyValueStore } from './alarmPersistence';

const OPERATOR_KEY = 'twinview.operator';
const SOUND_KEY = 'twinview.alarmSound';
export const DEFAULT_OPERATOR = 'operator';

/** An operator's action sent and not answered yet: its alarm's buttons wait, so a click is sent once. */
export interface PendingRequest {
  requestId: string;
  /** What was asked, in words ("acknowledge", "shelve", ...). */
  what: string;
}

export interface AlarmStoreState {
  twinId: string | null;
  all: AlarmSnapshot[];
  audit: AlarmAuditEntry[];
  /** Whose alarms `all` and `audit` are. */
  mode: AlarmMode;
  /** By alarm id: the request waiting for its answer (one at a time per alarm). */
  pending: Record<string, PendingRequest>;
  /** By alarm id: why the last action on it was not applied, until the next action on it. */
  refused: Record<string, string>;
  operator: string;
  sound: boolean;
}

const CHECKING: AlarmMode = { kind: 'local', reason: 'checking' };

const storage: KeyValueStore | null = browserStorage();

function readSetting(key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export const useAlarms = create<AlarmStoreState>(() => ({
  twinId: null,
  all: [],
  audit: [],
  mode: CHECKING,
  pending: {},
  refused: {},
  operator: readSetting(OPERATOR_KEY) || DEFAULT_OPERATOR,
  sound: readSetting(SOUND_KEY) === 'on',
}));

/** The states an operator is alerted to; the others are out of annunciation. */
export function isAnnunciated(a: AlarmSnapshot): boolean {
  return a.state === 'active' || a.state === 'acknowledged' || a.state === 'cleared-unacknowledged';
}

/** Loads what was saved for a twin; returns the alarm list to restore into the engine. */
export function openAlarmStore(twinId: string): AlarmSnapshot[] {
  if (saveTimer !== null) saveNow(); // the previous twin's pending state
  const saved = loadAlarms(storage, twinId);
  useAlarms.setState({ twinId, all: saved.alarms, audit: saved.audit, mode: CHECKING, pending: {}, refused: {} });
  return saved.alarms;
}

/** Saves at most this often: in an alarm flood the list changes every frame, and a save is a full JSON write. */
const SAVE_EVERY_MS = 250;
let saveTimer: ReturnType<typeof setTimeout> | null = null;

function saveNow(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  const { twinId, all, audit, mode } = useAlarms.getState();
  // The service's alarms are not this screen's to keep: saved, they would come back as local ones.
  if (twinId !== null && mode.kind === 'local') saveAlarms(storage, twinId, { alarms: all, audit });
}

function persist(): void {
  if (useAlarms.getState().mode.kind === 'shared') return;
  saveTimer ??= setTimeout(saveNow, SAVE_EVERY_MS);
}

/**
 * The worker says whose alarms it sends from now on. Becoming shared, the audit panel starts again
 * from the service's (the worker sends it next); back to local, this screen's saved log returns.
 */
export function receiveMode(mode: AlarmMode): void {
  const was = useAlarms.getState().mode;
  if (was.kind === 'local') saveNow(); // what this screen did last, before the list is replaced
  if (mode.kind === 'shared' && was.kind !== 'shared') useAlarms.setState({ mode, audit: [] });
  else if (mode.kind === 'local' && was.kind === 'shared') {
    const twinId = useAlarms.getState().twinId;
    useAlarms.setState({ mode, audit: twinId !== null ? loadAlarms(storage, twinId).audit : [] });
  } else useAlarms.setState({ mode });
}

/** An action was sent for an alarm; its buttons wait for the answer. */
export function beginRequest(alarmId: string, request: PendingRequest): void {
  useAlarms.setState((s) => {
    const refused = { ...s.refused };
    delete refused[alarmId];
    return { pending: { ...s.pending, [alarmId]: request }, refused };
  });
}

/** The answer to a request: the alarm's buttons are free again; a refusal is kept to show. */
export function settleRequest(requestId: string, ok: boolean, error?: string): void {
  useAlarms.setState((s) => {
    const entry = Object.entries(s.pending).find(([, p]) => p.requestId === requestId);
    if (!entry) return {};
    const pending = { ...s.pending };
    delete pending[entry[0]];
    return ok ? { pending } : { pending, refused: { ...s.refused, [entry[0]]: error ?? 'no reason given' } };
  });
}

/** Every request still waiting ends unanswered (the engine restarted or stopped). */
export function abandonRequests(why: string): void {
  useAlarms.setState((s) => {
    const refused = { ...s.refused };
    for (const id of Object.keys(s.pending)) refused[id] = why;
    return { pending: {}, refused };
  });
}

// A reload within the save delay must not lose an acknowledgement: save what is pending on the way out.
if (typeof window !== 'undefined') window.addEventListener('pagehide', saveNow);

export function receiveAlarms(alarms: AlarmSnapshot[]): void {
  useAlarms.setState({ all: alarms });
  persist();
}

export function receiveAudit(entries: AlarmAuditEntry[]): void {
  useAlarms.setState((s) => ({ audit: appendAudit(s.audit, entries) }));
  persist();
}

export function setOperator(name: string): void {
  const operator = name.trim() || DEFAULT_OPERATOR;
  useAlarms.setState({ operator });
  try {
    storage?.setItem(OPERATOR_KEY, operator);
  } catch {
    // Not remembered; the session still uses it.
  }
}

export function setAlarmSound(on: boolean): void {
  useAlarms.setState({ sound: on });
  try {
    storage?.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered.
  }
}
