import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskScheduler, kioskPlan, type KioskShow } from './kioskScheduler';
import type { AlarmSnapshot } from '../engine/protocol';

const plan = { playlist: ['overview', 'pumps', 'tank'], cycleMs: 20_000, takeoverMs: 10_000 };

function alarm(over: Partial<AlarmSnapshot> = {}) {
  return {
    id: 'pump1.hot',
    priority: 'high',
    state: 'active',
    raisedAt: 1000,
    asset: 'station/Pump1',
    ...over,
  } as const;
}

function kiosk(p = plan) {
  const shown: KioskShow[] = [];
  const k = new KioskScheduler(p, (s) => shown.push(s));
  return { k, shown, last: () => shown[shown.length - 1] };
}

describe('kiosk playlist', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the first view at once and each next one after the cycle time, wrapping round', () => {
    const { k, shown } = kiosk();
    k.start();
    expect(shown).toEqual([{ kind: 'view', viewId: 'overview' }]);
    vi.advanceTimersByTime(19_999);
    expect(shown).toHaveLength(1);
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(40_000);
    expect(shown.map((s) => (s.kind === 'view' ? s.viewId : s.alarmId))).toEqual([
      'overview',
      'pumps',
      'tank',
      'overview',
    ]);
  });

  it('a single view is shown once and nothing cycles', () => {
    const { k, shown } = kiosk({ ...plan, playlist: ['overview'] });
    k.start();
    vi.advanceTimersByTime(100_000);
    expect(shown).toEqual([{ kind: 'view', viewId: 'overview' }]);
  });

  it('an empty playlist shows nothing', () => {
    const { k, shown } = kiosk({ ...plan, playlist: [] });
    k.start();
    vi.advanceTimersByTime(100_000);
    expect(shown).toEqual([]);
    expect(k.current()).toBeNull();
  });

  it('stops cycling when stopped', () => {
    const { k, shown } = kiosk();
    k.start();
    k.stop();
    vi.advanceTimersByTime(100_000);
    expect(shown).toHaveLength(1);
  });
});

describe('kiosk alarm takeover', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a new high alarm takes over with its part, then the interrupted view resumes for a full cycle', () => {
    const { k, shown, last } = kiosk();
    k.start();
    vi.advanceTimersByTime(25_000); // on "pumps", 5 s in
    k.alarms([alarm()]);
    expect(last()).toEqual({ kind: 'alarm', alarmId: 'pump1.hot', asset: 'station/Pump1' });
    vi.advanceTimersByTime(9_999);
    expect(k.current()).toEqual({ kind: 'alarm', alarmId: 'pump1.hot' });
    vi.advanceTimersByTime(1);
    expect(last()).toEqual({ kind: 'view', viewId: 'pumps' });
    vi.advanceTimersByTime(19_999);
    expect(last()).toEqual({ kind: 'view', viewId: 'pumps' });
    vi.advanceTimersByTime(1);
    expect(last()).toEqual({ kind: 'view', viewId: 'tank' });
    expect(shown.filter((s) => s.kind === 'alarm')).toHaveLength(1);
  });

  it('low and medium alarms, and alarms already acknowledged, never take over', () => {
    const { k, shown } = kiosk();
    k.start();
    k.alarms([
      alarm({ id: 'a', priority: 'low' }),
      alarm({ id: 'b', priority: 'medium' }),
      alarm({ id: 'c', state: 'acknowledged' }),
      alarm({ id: 'd', state: 'shelved' }),
    ]);
    expect(shown).toEqual([{ kind: 'view', viewId: 'overview' }]);
  });

  it('the same raising takes over once, however often the list is sent; a later raising again', () => {
    const { k, shown } = kiosk();
    k.start();
    k.alarms([alarm()]);
    vi.advanceTimersByTime(10_000);
    k.alarms([alarm()]);
    k.alarms([alarm()]);
    expect(shown.filter((s) => s.kind === 'alarm')).toHaveLength(1);
    k.alarms([alarm({ state: 'acknowledged' })]);
    k.alarms([alarm({ raisedAt: 90_000 })]);
    expect(shown.filter((s) => s.kind === 'alarm')).toHaveLength(2);
  });

  it('acknowledged elsewhere, the alarm gives the screen back at once', () => {
    const { k, last } = kiosk();
    k.start();
    k.alarms([alarm()]);
    vi.advanceTimersByTime(2_000);
    k.alarms([alarm({ state: 'acknowledged' })]);
    expect(last()).toEqual({ kind: 'view', viewId: 'overview' });
  });

  it('several new alarms take turns, most severe first; one calmed before its turn is skipped', () => {
    const { k, shown } = kiosk();
    k.start();
    k.alarms([alarm({ id: 'high1' }), alarm({ id: 'urgent1', priority: 'urgent' }), alarm({ id: 'high2' })]);
    expect(k.current()).toEqual({ kind: 'alarm', alarmId: 'urgent1' });
    k.alarms([
      alarm({ id: 'high1', state: 'acknowledged' }),
      alarm({ id: 'urgent1', priority: 'urgent' }),
      alarm({ id: 'high2' }),
    ]);
    vi.advanceTimersByTime(10_000);
    expect(k.current()).toEqual({ kind: 'alarm', alarmId: 'high2' });
    vi.advanceTimersByTime(10_000);
    expect(k.current()).toEqual({ kind: 'view', viewId: 'overview' });
    expect(shown.filter((s) => s.kind === 'alarm').map((s) => (s.kind === 'alarm' ? s.alarmId : ''))).toEqual([
      'urgent1',
      'high2',
    ]);
  });

  it('takes over even with no playlist, and then leaves the camera where it is', () => {
    const { k, shown } = kiosk({ ...plan, playlist: [] });
    k.start();
    k.alarms([alarm()]);
    vi.advanceTimersByTime(10_000);
    expect(shown).toEqual([{ kind: 'alarm', alarmId: 'pump1.hot', asset: 'station/Pump1' }]);
    expect(k.current()).toBeNull();
  });
});

describe('kiosk plan from the twin', () => {
  it('defaults to every view, 30 s each and 30 s per alarm', () => {
    expect(kioskPlan({ views: [{ id: 'a', camera: { position: [0, 0, 0], target: [0, 0, 0] } }] })).toEqual({
      playlist: ['a'],
      cycleMs: 30_000,
      takeoverMs: 30_000,
    });
  });

  it('takes the declared playlist, cycle and takeover', () => {
    expect(kioskPlan({ views: [], kiosk: { playlist: ['b'], cycle: '20s', takeover: 5 } })).toEqual({
      playlist: ['b'],
      cycleMs: 20_000,
      takeoverMs: 5_000,
    });
  });
});
