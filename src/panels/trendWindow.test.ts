import { describe, expect, it } from 'vitest';
import { testT } from '../i18n/testing';
import {
  checkCustomRange,
  needsHistory,
  parseLocalDateTime,
  requestSpan,
  resolveSpan,
  toLocalDateTime,
  windowLabel,
  MAX_CUSTOM_RANGE_MS,
} from './trendWindow';

const live = { mode: 'live' as const, at: 0, range: null };
const NOW = 1_800_000_000_000;

describe('resolveSpan', () => {
  it('ends a live window at now and follows the clock', () => {
    expect(resolveSpan({ kind: 'span', ms: 60_000 }, live, NOW, null)).toEqual({
      from: NOW - 60_000,
      to: NOW,
      moving: true,
      marker: null,
    });
  });

  it('holds a paused window at the moment it was paused', () => {
    const span = resolveSpan({ kind: 'span', ms: 60_000 }, live, NOW + 5000, NOW);
    expect(span).toMatchObject({ from: NOW - 60_000, to: NOW, moving: false });
  });

  it('ends the window at the replay moment and marks it', () => {
    const span = resolveSpan(
      { kind: 'span', ms: 900_000 },
      { mode: 'replay', at: NOW - 3_600_000, range: null },
      NOW,
      null,
    );
    expect(span).toEqual({ from: NOW - 4_500_000, to: NOW - 3_600_000, moving: false, marker: NOW - 3_600_000 });
  });

  it('shows a custom range as chosen', () => {
    expect(resolveSpan({ kind: 'custom', from: 10, to: 20 }, live, NOW, null)).toMatchObject({ from: 10, to: 20 });
  });

  it('lets a host-set range win over the window and a custom range', () => {
    const cursor = { mode: 'live' as const, at: 0, range: { from: 100, to: 200 } };
    expect(resolveSpan({ kind: 'custom', from: 10, to: 20 }, cursor, NOW, null)).toMatchObject({ from: 100, to: 200 });
    expect(resolveSpan({ kind: 'span', ms: 60_000 }, cursor, NOW, null)).toMatchObject({ from: 100, to: 200 });
  });
});

describe('checkCustomRange', () => {
  const parse = (s: string) => (s === 'x' ? NaN : Number(s));

  it('accepts a range in the past, from before to', () => {
    expect(checkCustomRange('100', '200', 1000, parse)).toEqual({ ok: true, from: 100, to: 200 });
  });

  it('names the field that is missing or not a time', () => {
    expect(checkCustomRange('', '200', 1000, parse)).toEqual({ ok: false, field: 'from', reason: 'missing' });
    expect(checkCustomRange('100', ' ', 1000, parse)).toEqual({ ok: false, field: 'to', reason: 'missing' });
    expect(checkCustomRange('x', '200', 1000, parse)).toEqual({ ok: false, field: 'from', reason: 'invalid' });
    expect(checkCustomRange('100', 'x', 1000, parse)).toEqual({ ok: false, field: 'to', reason: 'invalid' });
  });

  it('refuses an end before the start, a start in the future and a range too long to draw', () => {
    expect(checkCustomRange('200', '100', 1000, parse)).toMatchObject({ ok: false, reason: 'order' });
    expect(checkCustomRange('200', '200', 1000, parse)).toMatchObject({ ok: false, reason: 'order' });
    expect(checkCustomRange('2000', '3000', 1000, parse)).toMatchObject({ ok: false, field: 'from', reason: 'future' });
    expect(checkCustomRange('0', String(MAX_CUSTOM_RANGE_MS + 1), Infinity, parse)).toMatchObject({
      ok: false,
      reason: 'too-long',
    });
  });
});

describe('local date-time text', () => {
  it('round-trips a minute in local time', () => {
    const t = new Date(2026, 10, 30, 14, 5).getTime();
    expect(toLocalDateTime(t)).toBe('2026-11-30T14:05');
    expect(parseLocalDateTime('2026-11-30T14:05')).toBe(t);
    expect(parseLocalDateTime('2026-11-30T14:05:30')).toBe(t + 30_000);
  });

  it('refuses impossible dates and other text', () => {
    expect(parseLocalDateTime('2026-02-31T10:00')).toBeNaN();
    expect(parseLocalDateTime('2026-11-30T25:00')).toBeNaN();
    expect(parseLocalDateTime('yesterday')).toBeNaN();
    expect(parseLocalDateTime('<img src=x>')).toBeNaN();
  });
});

describe('needsHistory', () => {
  const span = { from: 1000, to: 2000, moving: true, marker: null };
  it('asks the historian when the window starts before the tab holds data, or it holds none', () => {
    expect(needsHistory(span, 1500, false)).toBe(true);
    expect(needsHistory(span, null, false)).toBe(true);
    expect(needsHistory(span, 500, false)).toBe(false);
  });
  it('always asks in replay', () => {
    expect(needsHistory(span, 500, true)).toBe(true);
  });
});

describe('requestSpan', () => {
  it('snaps a moving window so small clock steps ask for the same span', () => {
    const end = NOW + 5000; // within a 72 s step
    const a = requestSpan({ from: end - 3_600_000, to: end, moving: true, marker: null });
    const b = requestSpan({ from: end - 3_600_000 + 1000, to: end + 1000, moving: true, marker: null });
    expect(b).toEqual(a);
    expect(a.from).toBeLessThanOrEqual(end - 3_600_000);
    expect(a.to).toBeGreaterThanOrEqual(end + 1000);
  });
});

describe('windowLabel', () => {
  it('names a window in whole hours, minutes or seconds, in the UI language', () => {
    const en = testT('en', 'trends');
    expect(windowLabel(86_400_000, en)).toBe('24 h');
    expect(windowLabel(900_000, en)).toBe('15 min');
    expect(windowLabel(90_000, en)).toBe('90 s');
    expect(windowLabel(60_000, testT('de', 'trends'))).toBe('1 min');
  });
});
