import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import { alarmStorageKey } from './alarmPersistence';

// The store reads localStorage when it is loaded: a Map-backed one stands in for the browser's.
const saved = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (k: string) => saved.get(k) ?? null,
  setItem: (k: string, v: string) => void saved.set(k, v),
});
const store = await import('./alarms');
const { useAlarms } = store;

const alarm = (id: string, state: AlarmSnapshot['state'] = 'active'): AlarmSnapshot => ({
  id,
  message: id,
  priority: 'high',
  signal: 's',
  state,
  value: 1,
  raisedAt: 1,
});
const entry = (alarmId: string, t: number): AlarmAuditEntry => ({
  t,
  alarmId,
  event: 'raise',
  state: 'active',
  priority: 'high',
});
const savedFor = (twin: string) => JSON.parse(saved.get(alarmStorageKey(twin)) ?? 'null') as unknown;

beforeEach(() => {
  vi.useFakeTimers();
  saved.clear();
  store.openAlarmStore('lab');
});
afterEach(() => vi.useRealTimers());

describe('the alarm store, local and shared', () => {
  it("saves this screen's alarms and audit, never the service's, and brings the local log back when the service goes", () => {
    store.receiveMode({ kind: 'local', reason: 'absent' });
    store.receiveAlarms([alarm('mine')]);
    store.receiveAudit([entry('mine', 5)]);
    vi.advanceTimersByTime(300);
    expect(savedFor('lab')).toEqual({ alarms: [alarm('mine')], audit: [entry('mine', 5)] });

    store.receiveMode({ kind: 'shared', instance: 'run-1' });
    expect(useAlarms.getState().audit).toEqual([]); // the service's log starts afresh
    store.receiveAlarms([alarm('theirs', 'acknowledged')]);
    store.receiveAudit([entry('theirs', 9)]);
    vi.advanceTimersByTime(300);
    expect(savedFor('lab')).toEqual({ alarms: [alarm('mine')], audit: [entry('mine', 5)] });

    store.receiveMode({ kind: 'local', reason: 'offline' });
    expect(useAlarms.getState().audit).toEqual([entry('mine', 5)]);
  });

  it('keeps one request per alarm waiting until its answer, and the reason of a refusal until the next action', () => {
    store.beginRequest('a', { requestId: 'r1', what: 'acknowledge' });
    store.beginRequest('b', { requestId: 'r2', what: 'shelve' });
    expect(useAlarms.getState().pending).toEqual({
      a: { requestId: 'r1', what: 'acknowledge' },
      b: { requestId: 'r2', what: 'shelve' },
    });
    store.settleRequest('r1', true);
    store.settleRequest('r2', false, 'shelve does not apply');
    store.settleRequest('unknown', false, 'ignored');
    expect(useAlarms.getState().pending).toEqual({});
    expect(useAlarms.getState().refused).toEqual({ b: 'shelve does not apply' });
    store.beginRequest('b', { requestId: 'r3', what: 'shelve' });
    expect(useAlarms.getState().refused).toEqual({});
    store.abandonRequests('no answer: the engine restarted');
    expect(useAlarms.getState()).toMatchObject({ pending: {}, refused: { b: 'no answer: the engine restarted' } });
  });

  it('opening a twin starts unsure of the service, with nothing waiting', () => {
    store.receiveMode({ kind: 'shared', instance: 'x' });
    store.beginRequest('a', { requestId: 'r1', what: 'acknowledge' });
    store.openAlarmStore('other');
    expect(useAlarms.getState()).toMatchObject({
      mode: { kind: 'local', reason: 'checking' },
      pending: {},
      refused: {},
    });
  });
});
