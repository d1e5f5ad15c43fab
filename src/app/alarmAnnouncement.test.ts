import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../engine/protocol';
import { alarmRaisings, announceNewAlarms } from './alarmAnnouncement';
import { testT } from '../i18n/testing';

const en = testT('en');

const alarm = (over: Partial<AlarmSnapshot>): AlarmSnapshot => ({
  id: 'pump1.hot',
  message: 'Pump 1 bearing hot',
  priority: 'high',
  asset: 'station/Pump1',
  signal: 'pump1.temp',
  state: 'active',
  value: 99,
  raisedAt: 2000,
  ...over,
});

describe('announceNewAlarms', () => {
  it('announces a new high alarm at once, naming its message and part', () => {
    expect(announceNewAlarms(new Set(), [alarm({})], 1000, en)).toEqual({
      polite: '',
      assertive: 'New high alarm: Pump 1 bearing hot (station/Pump1)',
    });
  });

  it('announces low and medium alarms politely', () => {
    const a = announceNewAlarms(
      new Set(),
      [alarm({ priority: 'low' }), alarm({ id: 'b', priority: 'medium', message: 'B', asset: undefined })],
      0,
      en,
    );
    expect(a).toEqual({
      polite: 'New low alarm: Pump 1 bearing hot (station/Pump1). New medium alarm: B',
      assertive: '',
    });
  });

  it('does not repeat a raising already seen, but announces the same rule raised again', () => {
    const first = [alarm({})];
    const seen = alarmRaisings(first);
    expect(announceNewAlarms(seen, first, 0, en).assertive).toBe('');
    expect(announceNewAlarms(seen, [alarm({ raisedAt: 5000 })], 0, en).assertive).toMatch(/New high alarm/);
  });

  it('says nothing of alarms raised before the page opened or already acknowledged', () => {
    expect(announceNewAlarms(new Set(), [alarm({ raisedAt: 500 })], 1000, en)).toEqual({ polite: '', assertive: '' });
    expect(announceNewAlarms(new Set(), [alarm({ state: 'acknowledged' })], 0, en)).toEqual({
      polite: '',
      assertive: '',
    });
  });
  it("announces in German, keeping the twin's message as written", () => {
    expect(announceNewAlarms(new Set(), [alarm({})], 1000, testT('de'))).toEqual({
      polite: '',
      assertive: 'Neuer Alarm, Priorität hoch: Pump 1 bearing hot (station/Pump1)',
    });
  });
});
