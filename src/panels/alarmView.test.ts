import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../engine/protocol';
import {
  alarmModeText,
  alarmStateText,
  assetChoices,
  bannerCounts,
  DEFAULT_FILTER,
  refusalText,
  visibleAlarms,
} from './alarmView';
import { testT } from '../i18n/testing';

const en = testT('en');
const de = testT('de');

const alarm = (a: Partial<AlarmSnapshot> & Pick<AlarmSnapshot, 'id'>): AlarmSnapshot => ({
  message: a.id,
  priority: 'medium',
  signal: 's',
  state: 'active',
  value: 1,
  raisedAt: 0,
  ...a,
});

const list = [
  alarm({ id: 'a', priority: 'low', raisedAt: 5, asset: 'station/Pump1' }),
  alarm({ id: 'b', priority: 'urgent', raisedAt: 1, asset: 'station/Tank1', message: 'Tank 1 overflow' }),
  alarm({ id: 'c', priority: 'urgent', raisedAt: 3, state: 'acknowledged', asset: 'station/Pump1/Motor' }),
  alarm({ id: 'd', priority: 'high', state: 'shelved', chattering: true }),
  alarm({ id: 'e', priority: 'high', state: 'cleared-unacknowledged', predicted: true }),
];
const ids = (f: Partial<typeof DEFAULT_FILTER>) => visibleAlarms(list, { ...DEFAULT_FILTER, ...f }).map((a) => a.id);

describe('visibleAlarms', () => {
  it('sorts by priority, then newest first, and hides shelved ones by default', () => {
    expect(ids({})).toEqual(['c', 'b', 'e', 'a']);
  });

  it('filters by state, including the out-of-annunciation ones', () => {
    expect(ids({ state: 'unacknowledged' })).toEqual(['b', 'e', 'a']);
    expect(ids({ state: 'shelved' })).toEqual(['d']);
    expect(ids({ state: 'all' })).toEqual(['c', 'b', 'd', 'e', 'a']); // d and e tie: list order
  });

  it('filters by priority, by asset (with everything under it) and by text', () => {
    expect(ids({ priority: 'urgent' })).toEqual(['c', 'b']);
    expect(ids({ asset: 'station/Pump1' })).toEqual(['c', 'a']);
    expect(ids({ asset: 'station/Pump' })).toEqual([]);
    expect(ids({ text: 'OVERFLOW' })).toEqual(['b']);
  });
});

describe('bannerCounts', () => {
  it('counts unacknowledged alarms by priority and all by state', () => {
    const c = bannerCounts(list);
    expect(c.unacknowledged).toEqual({ urgent: 1, high: 1, medium: 0, low: 1 });
    expect(c.byState).toMatchObject({ active: 2, acknowledged: 1, shelved: 1, 'cleared-unacknowledged': 1 });
    expect([c.chattering, c.predicted]).toEqual([1, 1]);
  });
});

describe('assetChoices', () => {
  it('lists every asset path with its ancestors, sorted', () => {
    expect(assetChoices(list)).toEqual(['station', 'station/Pump1', 'station/Pump1/Motor', 'station/Tank1']);
  });
});

describe('whose alarms the panel says these are', () => {
  const clock = (t: number) => `T${t}`;
  it('names the shared service with the time it came online', () => {
    expect(alarmModeText({ kind: 'shared', since: 5, instance: 'i' }, clock, en)).toEqual({
      tag: 'shared',
      text: 'Shared alarms: kept by the alarm service for every screen (online since T5)',
    });
  });
  it('says plainly when the alarms are of this screen only, and why', () => {
    expect(alarmModeText({ kind: 'local', reason: 'absent' }, clock, en)).toEqual({
      tag: 'this screen only',
      text: 'Alarms of this screen only: the alarm service is not running',
    });
    expect(alarmModeText({ kind: 'local', reason: 'offline' }, clock, en).text).toMatch(
      /^Alarms of this screen only: the alarm service is not running/,
    );
    expect(alarmModeText({ kind: 'local', reason: 'checking' }, clock, en).text).toMatch(
      /until the alarm service answers/,
    );
  });
  it("shows a refusal with the service's reason", () => {
    expect(refusalText('alarm "x" has nothing to acknowledge', en)).toBe(
      'Not applied: alarm "x" has nothing to acknowledge',
    );
  });
  it('says it in German', () => {
    expect(alarmModeText({ kind: 'shared', since: 5, instance: 'i' }, clock, de)).toEqual({
      tag: 'gemeinsam',
      text: 'Gemeinsame Alarme: vom Alarmdienst für alle Bildschirme geführt (online seit T5)',
    });
    expect(alarmModeText({ kind: 'local', reason: 'absent' }, clock, de).tag).toBe('nur dieser Bildschirm');
    expect(refusalText('alarm "x" has nothing to acknowledge', de)).toBe(
      'Nicht ausgeführt: alarm "x" has nothing to acknowledge',
    );
    expect(alarmStateText('cleared-unacknowledged', de)).toBe('Gegangen, unquittiert');
    expect(alarmStateText('cleared-unacknowledged', en)).toBe('Cleared, unacknowledged');
  });
});
