/**
 * The alarm side of the main thread (zustand): the full alarm list from the worker (shelved,
 * suppressed and out-of-service ones included; the app store's `alarms` holds only the annunciated
 * ones, which the scene and the roll-up use), the audit log, and the operator's settings. Every
 * change is saved per twin, so a reload or a worker restart can restore it.
 */
import { create } from 'zustand';
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import { appendAudit, browserStorage, loadAlarms, saveAlarms, type KeyValueStore } from './alarmPersistence';

const OPERATOR_KEY = 'twinview.operator';
const SOUND_KEY = 'twinview.alarmSound';
export const DEFAULT_OPERATOR = 'operator';

export interface AlarmStoreState {
  twinId: string | null;
  all: AlarmSnapshot[];
  audit: AlarmAuditEntry[];
  operator: string;
  sound: boolean;
}

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
  useAlarms.setState({ twinId, all: saved.alarms, audit: saved.audit });
  return saved.alarms;
}

/** Saves at most this often: in an alarm flood the list changes every frame, and a save is a full JSON write. */
const SAVE_EVERY_MS = 250;
let saveTimer: ReturnType<typeof setTimeout> | null = null;

function saveNow(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  const { twinId, all, audit } = useAlarms.getState();
  if (twinId !== null) saveAlarms(storage, twinId, { alarms: all, audit });
}

function persist(): void {
  saveTimer ??= setTimeout(saveNow, SAVE_EVERY_MS);
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
