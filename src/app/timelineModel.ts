/**
 * The timeline's geometry and keys, pure: which stretch of time it spans, where a time sits on it,
 * what a key press does, where its ticks and alarm marks go.
 */
import type { AlarmAuditEntry } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import type { TimeRange } from '../store/timeCursor';

export const HOUR = 3_600_000;
export const ZOOMS = [
  { id: '24h', ms: 24 * HOUR },
  { id: '1h', ms: HOUR },
  { id: '15m', ms: 15 * 60_000 },
] as const;
export type ZoomId = (typeof ZOOMS)[number]['id'];

export function zoomMs(id: ZoomId): number {
  return ZOOMS.find((z) => z.id === id)?.ms ?? ZOOMS[0].ms;
}

/**
 * The stretch shown: a set range (a recording, a host's time range) as it is; otherwise the last
 * `span` ms up to now, moved back so that a cursor older than that stays in view.
 */
export function timelineWindow(span: number, at: number, now: number, range: TimeRange | null): TimeRange {
  if (range) return range;
  if (at >= now - span) return { from: now - span, to: now };
  const from = at - span / 2;
  return { from, to: from + span };
}

/** Where `t` sits on the window, 0 (left) to 1 (right), clamped. */
export function fractionOf(t: number, w: TimeRange): number {
  const f = (t - w.from) / (w.to - w.from);
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/** The time at fraction `f` of the window (0 left, 1 right), clamped to the window. */
export function timeAtFraction(f: number, w: TimeRange): number {
  const c = f < 0 ? 0 : f > 1 ? 1 : f;
  return w.from + c * (w.to - w.from);
}

export type KeyAction = { kind: 'seek'; t: number } | { kind: 'live' } | null;

/**
 * What a key does on the scrubber: arrows step 1% of the window, PageUp/PageDown 10%, Home goes
 * to the window's start, End to its end (live when the window ends now and no range is set).
 */
export function keyAction(key: string, at: number, w: TimeRange, endsNow: boolean): KeyAction {
  const span = w.to - w.from;
  const step = (d: number): KeyAction => {
    const t = at + d;
    if (t >= w.to && endsNow) return { kind: 'live' };
    return { kind: 'seek', t: Math.max(w.from, Math.min(w.to, t)) };
  };
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return step(-span / 100);
    case 'ArrowRight':
    case 'ArrowUp':
      return step(span / 100);
    case 'PageDown':
      return step(-span / 10);
    case 'PageUp':
      return step(span / 10);
    case 'Home':
      return { kind: 'seek', t: w.from };
    case 'End':
      return endsNow ? { kind: 'live' } : { kind: 'seek', t: w.to };
    default:
      return null;
  }
}

const TICK_STEPS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];

/** Round times for the axis, about `target` of them, aligned to the step in UTC (whole minutes and hours). */
export function ticks(w: TimeRange, target = 6): number[] {
  const span = w.to - w.from;
  const step = TICK_STEPS.find((s) => span / s <= target) ?? 24 * HOUR;
  const out: number[] = [];
  for (let t = Math.ceil(w.from / step) * step; t <= w.to; t += step) out.push(t);
  return out;
}

export interface AlarmMark {
  t: number;
  alarmId: string;
  priority: Priority;
  /** 0..1 along the window. */
  at: number;
}

/** Alarm raises within the window, at most `max` (the newest), oldest first. */
export function alarmMarks(transitions: readonly AlarmAuditEntry[], w: TimeRange, max = 200): AlarmMark[] {
  const out: AlarmMark[] = [];
  for (let i = transitions.length - 1; i >= 0 && out.length < max; i--) {
    const e = transitions[i];
    if (e.event !== 'raise' || e.t < w.from || e.t > w.to) continue;
    out.push({ t: e.t, alarmId: e.alarmId, priority: e.priority, at: fractionOf(e.t, w) });
  }
  return out.reverse();
}
