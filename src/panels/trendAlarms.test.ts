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
    expect(alarmPeriods([raise(10), clear(20), raise(30), clear(40)], [], ids, 0, 100)).toEqual([
      { alarmId: 'hot', priority: 'high', from: 10, to: 20 },
      { alarmId: 'hot', priority: 'high', from: 30, to: 40 },
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
