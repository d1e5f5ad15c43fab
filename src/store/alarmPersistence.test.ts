import { describe, expect, it } from 'vitest';
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import { alarmStorageKey, appendAudit, loadAlarms, saveAlarms, type KeyValueStore } from './alarmPersistence';

const memory = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};
const alarm: AlarmSnapshot = {
  id: 'hot',
  message: 'Hot',
  priority: 'high',
  signal: 's',
  state: 'acknowledged',
  value: 97,
  raisedAt: 1,
  acknowledgedBy: 'ana',
};
const audit: AlarmAuditEntry = { t: 1, alarmId: 'hot', event: 'raise', state: 'active', priority: 'high' };

describe('alarm persistence', () => {
  it('saves and loads the alarm list and the audit log per twin', () => {
    const store = memory();
    expect(saveAlarms(store, 'pump-station', { alarms: [alarm], audit: [audit] })).toBe(true);
    expect(loadAlarms(store, 'pump-station')).toEqual({ alarms: [alarm], audit: [audit] });
    expect(loadAlarms(store, 'other')).toEqual({ alarms: [], audit: [] });
  });

  it('treats unreadable or malformed saved data as nothing saved, keeping the good entries', () => {
    const store = memory();
    store.setItem(alarmStorageKey('t'), '{not json');
    expect(loadAlarms(store, 't')).toEqual({ alarms: [], audit: [] });
    store.setItem(alarmStorageKey('t'), JSON.stringify({ alarms: [alarm, { id: 3 }, null], audit: 'x' }));
    expect(loadAlarms(store, 't')).toEqual({ alarms: [alarm], audit: [] });
  });

  it('survives a storage that refuses to write (quota, privacy mode)', () => {
    const full: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(saveAlarms(full, 't', { alarms: [alarm], audit: [] })).toBe(false);
    expect(loadAlarms(null, 't')).toEqual({ alarms: [], audit: [] });
  });

  it('keeps only the newest audit entries', () => {
    const log = Array.from({ length: 5 }, (_, i) => ({ ...audit, t: i }));
    expect(appendAudit(log, [{ ...audit, t: 5 }], 3).map((e) => e.t)).toEqual([3, 4, 5]);
  });
});
