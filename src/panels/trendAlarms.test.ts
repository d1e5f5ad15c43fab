import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Rule } from '../twin/schema';
import { alarmPeriods, alarmsOnSignals, type AlarmTransition } from './trendAlarms';

const ids = new Set(['hot']);
const raise = (t: number, alarmId = 'hot'): AlarmTransition => ({
  t,
  alarmId,
  event: 'raise',
  state: 'active',
  priority: 'high',
});
const clear = (t: number, alarmId = 'hot'): AlarmTransition => ({
  t,
  alarmId,
  event: 'clear',
  state: 'cleared-unacknowledged',
  priority: 'high',
});

describe('alarmPeriods', () => {
  it('shades from each raise to its clear', () => {
    expect(alarmPeriods([raise(10_000), clear(20_000), raise(30_000), clear(40_000)], [], ids, 0, 100_000)).toEqual([
      { alarmId: 'hot', priority: 'high', from: 10_000, to: 20_000 },
      { alarmId: 'hot', priority: 'high', from: 30_000, to: 40_000 },
    ]);
  });

  it('keeps a period open while the alarm has not cleared', () => {
    const ack: AlarmTransition = {
      t: 15,
      alarmId: 'hot',
      event: 'acknowledge',
      state: 'acknowledged',
      priority: 'high',
    };
    expect(alarmPeriods([raise(10), ack], [], ids, 0, 100)).toEqual([
      { alarmId: 'hot', priority: 'high', from: 10, to: null },
    ]);
  });

  it('orders transitions by time and ignores other alarms and periods outside the span', () => {
    const periods = alarmPeriods([clear(20), raise(10), raise(50, 'other'), raise(200), clear(210)], [], ids, 0, 100);
    expect(periods).toEqual([{ alarmId: 'hot', priority: 'high', from: 10, to: 20 }]);
  });

  it('takes an alarm raised before the log starts from the current list', () => {
    const snapshot = { id: 'hot', priority: 'urgent', raisedAt: 5, state: 'active', signal: 'a' } as AlarmSnapshot;
    expect(alarmPeriods([], [snapshot], ids, 0, 100)).toEqual([
      { alarmId: 'hot', priority: 'urgent', from: 5, to: null },
    ]);
    // Already in the log: not twice.
    expect(alarmPeriods([raise(5)], [snapshot], ids, 0, 100)).toHaveLength(1);
  });

  it("does not reopen a raise and clear the log holds, even when the list's raise time differs a little", () => {
    const T = 1_800_000_000_000;
    const snapshot = { id: 'hot', priority: 'high', raisedAt: T + 800, state: 'active', signal: 'a' } as AlarmSnapshot;
    expect(alarmPeriods([raise(T), clear(T + 500)], [snapshot], ids, 0, 2 * T)).toEqual([
      { alarmId: 'hot', priority: 'high', from: T, to: T + 500 },
    ]);
  });

  it('counts a transition told by two sources a few ms apart once', () => {
    // The historian's raise and clear, then the shared service's summary of the same raise.
    expect(alarmPeriods([raise(1000), clear(1004), raise(1012)], [], ids, 0, 5000)).toEqual([
      { alarmId: 'hot', priority: 'high', from: 1000, to: 1004 },
    ]);
    // A raise again well after the clear is a new period.
    expect(alarmPeriods([raise(1000), clear(1004), raise(3000)], [], ids, 0, 5000)).toHaveLength(2);
  });

  it('closes a listed alarm whose condition is gone', () => {
    const snapshot = {
      id: 'hot',
      priority: 'high',
      raisedAt: 5,
      clearedAt: 9,
      state: 'cleared-unacknowledged',
      signal: 'a',
    } as AlarmSnapshot;
    expect(alarmPeriods([], [snapshot], ids, 0, 100)).toEqual([{ alarmId: 'hot', priority: 'high', from: 5, to: 9 }]);
  });
});

describe('alarmsOnSignals', () => {
  it('finds the rules reading a signal in their condition or as their watched signal', () => {
    const rules = [
      { id: 'hot', kind: 'condition', when: 'avg(a, 1m) > 3 && b == 1' },
      { id: 'band', kind: 'anomaly', signal: 'b' },
      { id: 'other', kind: 'condition', when: 'c > 1' },
      { id: 'broken', kind: 'condition', when: 'a >> 1' },
    ] as Rule[];
    expect([...alarmsOnSignals(rules, ['b'])]).toEqual(['hot', 'band']);
    expect([...alarmsOnSignals(rules, ['a'])]).toEqual(['hot']);
  });
});
