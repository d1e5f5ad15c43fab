import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../engine/protocol';
import { rollupAlarms } from './alarmRollup';

const alarm = (
  id: string,
  asset: string,
  priority: AlarmSnapshot['priority'],
  state: AlarmSnapshot['state'] = 'active',
): AlarmSnapshot => ({
  id,
  asset,
  priority,
  state,
  message: id,
  signal: 's',
  value: 1,
  raisedAt: 0,
});

describe('rollupAlarms', () => {
  it('shows the most urgent unacknowledged alarm on every ancestor', () => {
    const r = rollupAlarms([alarm('a', 'station/Pump1/Motor', 'medium'), alarm('b', 'station/Tank1', 'urgent')]);
    expect(r.get('station')).toEqual({ unacknowledged: 'urgent', any: 'urgent', count: 2 });
    expect(r.get('station/Pump1')).toEqual({ unacknowledged: 'medium', any: 'medium', count: 1 });
    expect(r.has('station/Valve1')).toBe(false);
  });

  it('does not count acknowledged alarms as unacknowledged', () => {
    const r = rollupAlarms([alarm('a', 'station/Pump1', 'urgent', 'acknowledged'), alarm('b', 'station/Pump2', 'low')]);
    expect(r.get('station')).toMatchObject({ unacknowledged: 'low', any: 'urgent' });
  });

  it('rolls up through declared parents above the asset, and survives a cycle', () => {
    const parents = new Map([
      ['station', 'north'],
      ['north', 'site'],
      ['site', 'north'],
    ]);
    const r = rollupAlarms([alarm('a', 'station/Pump1', 'high')], parents);
    expect(r.get('north')?.unacknowledged).toBe('high');
    expect(r.get('site')?.unacknowledged).toBe('high');
  });
});
