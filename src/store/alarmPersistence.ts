/**
 * Alarm state kept on the main thread, per twin, in localStorage: the alarm list the worker last
 * sent and the audit log. A reload or a worker restart hands the list back to the engine (so
 * nothing is lost or acknowledged by it); the audit log lives only here, bounded.
 */
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';

/** Audit entries kept per twin (the oldest go first). */
export const AUDIT_KEEP = 2000;

/** The part of Storage we use, so tests can pass a Map-backed one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface SavedAlarms {
  alarms: AlarmSnapshot[];
  audit: AlarmAuditEntry[];
}

export const alarmStorageKey = (twinId: string) => `twinview.alarms.${twinId}`;

/** Reads what was saved for a twin; anything unreadable counts as nothing saved. */
export function loadAlarms(store: KeyValueStore | null, twinId: string): SavedAlarms {
  const empty: SavedAlarms = { alarms: [], audit: [] };
  if (!store) return empty;
  try {
    const raw = store.getItem(alarmStorageKey(twinId));
    if (raw === null) return empty;
    const data = JSON.parse(raw) as Partial<SavedAlarms> | null;
    const alarms = Array.isArray(data?.alarms) ? data.alarms.filter(isSnapshot) : [];
    const audit = Array.isArray(data?.audit) ? data.audit.filter(isAuditEntry) : [];
    return { alarms, audit };
  } catch {
    return empty;
  }
}

/** Saves; a full or unavailable storage is ignored (the live state is unaffected). */
export function saveAlarms(store: KeyValueStore | null, twinId: string, saved: SavedAlarms): boolean {
  if (!store) return false;
  try {
    store.setItem(alarmStorageKey(twinId), JSON.stringify(saved));
    return true;
  } catch {
    return false;
  }
}

/** Appends entries, keeping the newest `keep`. Returns a new array. */
export function appendAudit(
  log: readonly AlarmAuditEntry[],
  entries: readonly AlarmAuditEntry[],
  keep = AUDIT_KEEP,
): AlarmAuditEntry[] {
  const all = log.concat(entries);
  return all.length > keep ? all.slice(all.length - keep) : all;
}

function isSnapshot(x: unknown): x is AlarmSnapshot {
  const a = x as AlarmSnapshot | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.id === 'string' &&
    typeof a.state === 'string' &&
    typeof a.raisedAt === 'number' &&
    typeof a.message === 'string'
  );
}

function isAuditEntry(x: unknown): x is AlarmAuditEntry {
  const e = x as AlarmAuditEntry | null;
  return typeof e === 'object' && e !== null && typeof e.t === 'number' && typeof e.alarmId === 'string';
}

/** The browser's localStorage, or null where it is unavailable (privacy mode, sandboxed iframe). */
export function browserStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
