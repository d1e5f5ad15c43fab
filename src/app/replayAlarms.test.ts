import { describe, expect, it } from 'vitest';
import type { AlarmAuditEntry } from '../engine/protocol';
import { alarmsAt, mergeTransitions } from './replayAlarms';

const e = (
  t: number,
  alarmId: string,
  event: AlarmAuditEntry['event'],
  state: AlarmAuditEntry['state'],
  extra: Partial<AlarmAuditEntry> = {},
): AlarmAuditEntry => ({
  t,
  alarmId,
  event,
  state,
  priority: 'high',
  ...extra,
});
const describeRule = (id: string) =>
  id === 'hot' ? { message: 'Pump hot', asset: 'station/Pump1', signal: 'pump1.temp' } : undefined;

const log: AlarmAuditEntry[] = [
  e(100, 'hot', 'raise', 'active', { value: 97 }),
  e(200, 'hot', 'acknowledge', 'acknowledged', { operator: 'ana' }),
  e(300, 'level', 'raise', 'active', { priority: 'low', value: 5 }),
  e(400, 'hot', 'clear', 'normal'),
  e(500, 'level', 'clear', 'cleared-unacknowledged', { priority: 'low' }),
];

describe('alarms at a past moment', () => {
  it('is empty before anything was raised', () => {
    expect(alarmsAt(log, 50, describeRule)).toEqual([]);
  });

  it('shows a raised alarm as active with its value and the rule’s message and part', () => {
    expect(alarmsAt(log, 150, describeRule)).toEqual([
      {
        id: 'hot',
        message: 'Pump hot',
        priority: 'high',
        signal: 'pump1.temp',
        state: 'active',
        value: 97,
        raisedAt: 100,
        asset: 'station/Pump1',
      },
    ]);
  });

  it('follows acknowledgement and lists the newest raise first', () => {
    const at = alarmsAt(log, 350, describeRule);
    expect(at.map((a) => [a.id, a.state])).toEqual([
      ['level', 'active'],
      ['hot', 'acknowledged'],
    ]);
    expect(at[1]).toMatchObject({ acknowledgedAt: 200, acknowledgedBy: 'ana' });
  });

  it('drops an alarm once it returned to normal, keeps one cleared but unacknowledged', () => {
    const at = alarmsAt(log, 1000, describeRule);
    expect(at.map((a) => [a.id, a.state])).toEqual([['level', 'cleared-unacknowledged']]);
    expect(at[0]).toMatchObject({ message: 'level', clearedAt: 500, priority: 'low' });
  });

  it('counts a transition at exactly the moment', () => {
    expect(alarmsAt(log, 100, describeRule)).toHaveLength(1);
  });

  it('a raise after a clear starts afresh (no old acknowledgement carried over)', () => {
    const again = [...log, e(600, 'hot', 'raise', 'active', { value: 99 })];
    const [hot] = alarmsAt(again, 700, describeRule);
    expect(hot).toMatchObject({ state: 'active', raisedAt: 600, value: 99 });
    expect(hot.acknowledgedAt).toBeUndefined();
  });
});

describe('merging transition lists', () => {
  it('keeps each transition once, in time order', () => {
    const merged = mergeTransitions(log.slice(0, 3), [log[1], log[4], log[3]]);
    expect(merged.map((x) => x.t)).toEqual([100, 200, 300, 400, 500]);
  });
});
