/**
 * Alarm periods a trend shades: from each raise to its clear, for the alarms whose rules read a
 * trended signal. Built from audit transitions (the tab's log, or the historian's
 * `/api/history/v1/alarms`) and the current alarm list (an alarm raised before the log starts, as
 * when the shared service's audit is joined mid-way, still shades from its raise time).
 */
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import type { Priority, Rule } from '../twin/schema';
import { parseExpr, signalsOf } from '../expr/parse';

/** Transitions of one alarm and kind this close together are one transition told by two sources. */
const SAME_EVENT_MS = 1000;

/** How far apart the list's raise time and the log's may be and still be the same raise. */
const KNOWN_SLACK_MS = 5000;

export interface AlarmPeriod {
  alarmId: string;
  priority: Priority;
  from: number;
  /** When it cleared; null while it has not. */
  to: number | null;
}

/** The transitions a period is made of (the audit entry's fields that matter here). */
export type AlarmTransition = Pick<AlarmAuditEntry, 't' | 'alarmId' | 'event' | 'state' | 'priority'>;

/** Ids of the rules (alarms) that read any of `signals`. */
export function alarmsOnSignals(rules: readonly Rule[], signals: readonly string[]): Set<string> {
  const wanted = new Set(signals);
  const out = new Set<string>();
  for (const rule of rules) {
    let read: string[] = [];
    if (rule.kind === 'condition' && rule.when !== undefined) {
      try {
        read = signalsOf(parseExpr(rule.when));
      } catch {
        read = [];
      }
    } else if (rule.signal !== undefined) read = [rule.signal];
    if (read.some((s) => wanted.has(s))) out.add(rule.id);
  }
  return out;
}

/**
 * The periods of the alarms in `ids` that overlap `from`..`to`, oldest first. A raise opens a period;
 * a clear (or a return to normal, such as a reset) closes it.
 */
export function alarmPeriods(
  transitions: readonly AlarmTransition[],
  current: readonly AlarmSnapshot[],
  ids: ReadonlySet<string>,
  from: number,
  to: number,
): AlarmPeriod[] {
  const periods: AlarmPeriod[] = [];
  const open = new Map<string, AlarmPeriod>();
  const sorted = transitions.filter((e) => ids.has(e.alarmId)).sort((a, b) => a.t - b.t);
  // The same transition told twice (the historian's log and this tab's, or the service's summary of
  // an earlier raise) carries times a few ms apart: the second is dropped, or it would reopen a period.
  const lastOf = new Map<string, number>();
  for (const e of sorted) {
    const key = `${e.alarmId}\n${e.event}`;
    const last = lastOf.get(key);
    if (last !== undefined && e.t - last <= SAME_EVENT_MS) continue;
    lastOf.set(key, e.t);
    const running = open.get(e.alarmId);
    if (e.event === 'raise') {
      if (running) continue;
      const p: AlarmPeriod = { alarmId: e.alarmId, priority: e.priority, from: e.t, to: null };
      open.set(e.alarmId, p);
      periods.push(p);
    } else if (running && (e.event === 'clear' || e.state === 'normal')) {
      running.to = e.t;
      open.delete(e.alarmId);
    }
  }
  for (const a of current) {
    if (!ids.has(a.id)) continue;
    // The log already tells this raise (its times may differ from the list's by the clock of whoever
    // wrote them, such as the service's): the list only fills in raises from before the log starts.
    if (sorted.some((e) => e.alarmId === a.id && e.t >= a.raisedAt - KNOWN_SLACK_MS)) continue;
    const gone = a.state === 'cleared-unacknowledged' || a.conditionActive === false;
    const cleared = a.clearedAt ?? (gone ? a.raisedAt : null);
    periods.push({ alarmId: a.id, priority: a.priority, from: a.raisedAt, to: cleared });
  }
  return periods.filter((p) => p.from <= to && (p.to ?? Infinity) >= from).sort((a, b) => a.from - b.from);
}
