import { describe, expect, it } from 'vitest';
import type { AlarmAuditEntry } from '../engine/protocol';
import {
  alarmMarks,
  fractionOf,
  HOUR,
  keyAction,
  ticks,
  timeAtFraction,
  timelineWindow,
  zoomMs,
} from './timelineModel';

const now = 100 * HOUR;

describe('timeline window', () => {
  it('spans the zoom up to now while the cursor is within it', () => {
    expect(timelineWindow(zoomMs('1h'), now - 10_000, now, null)).toEqual({ from: now - HOUR, to: now });
  });

  it('moves back to keep an older cursor in view, centred', () => {
    const w = timelineWindow(zoomMs('15m'), now - 2 * HOUR, now, null);
    expect(w.from).toBe(now - 2 * HOUR - 7.5 * 60_000);
    expect(w.to - w.from).toBe(15 * 60_000);
  });

  it('spans a set range as it is', () => {
    expect(timelineWindow(HOUR, 5, now, { from: 1, to: 9 })).toEqual({ from: 1, to: 9 });
  });

  it('converts between time and position, clamped', () => {
    const w = { from: 1000, to: 2000 };
    expect(fractionOf(1250, w)).toBe(0.25);
    expect(fractionOf(5000, w)).toBe(1);
    expect(timeAtFraction(0.5, w)).toBe(1500);
    expect(timeAtFraction(-1, w)).toBe(1000);
  });
});

describe('scrubber keys', () => {
  const w = { from: 0, to: 10_000 };
  it('arrows step 1% of the window, page keys 10%', () => {
    expect(keyAction('ArrowLeft', 5000, w, true)).toEqual({ kind: 'seek', t: 4900 });
    expect(keyAction('ArrowRight', 5000, w, true)).toEqual({ kind: 'seek', t: 5100 });
    expect(keyAction('PageDown', 5000, w, true)).toEqual({ kind: 'seek', t: 4000 });
    expect(keyAction('PageUp', 5000, w, true)).toEqual({ kind: 'seek', t: 6000 });
  });

  it('Home goes to the start; End and stepping past the end go live when the window ends now', () => {
    expect(keyAction('Home', 5000, w, true)).toEqual({ kind: 'seek', t: 0 });
    expect(keyAction('End', 5000, w, true)).toEqual({ kind: 'live' });
    expect(keyAction('PageUp', 9500, w, true)).toEqual({ kind: 'live' });
  });

  it('stays within a set range', () => {
    expect(keyAction('End', 5000, w, false)).toEqual({ kind: 'seek', t: 10_000 });
    expect(keyAction('PageUp', 9500, w, false)).toEqual({ kind: 'seek', t: 10_000 });
    expect(keyAction('PageDown', 500, w, false)).toEqual({ kind: 'seek', t: 0 });
  });

  it('ignores other keys', () => {
    expect(keyAction('a', 5000, w, true)).toBeNull();
  });
});

describe('ticks and marks', () => {
  it('puts a handful of whole-hour ticks on a day', () => {
    const t = ticks({ from: now - 24 * HOUR + 1, to: now });
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.length).toBeLessThanOrEqual(6);
    expect(t.every((x) => x % HOUR === 0)).toBe(true);
  });

  it('marks raises within the window only', () => {
    const e = (t: number, event: AlarmAuditEntry['event']): AlarmAuditEntry => ({
      t,
      alarmId: 'a',
      event,
      state: 'active',
      priority: 'high',
    });
    const marks = alarmMarks(
      [e(50, 'raise'), e(150, 'raise'), e(160, 'acknowledge'), e(250, 'raise'), e(400, 'raise')],
      { from: 100, to: 300 },
    );
    expect(marks.map((m) => [m.t, m.at])).toEqual([
      [150, 0.25],
      [250, 0.75],
    ]);
  });
});
