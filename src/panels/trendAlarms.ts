/**
 * Alarm periods a trend shades: from each raise to its clear, for the alarms whose rules read a
 * trended signal. Built from audit transitions (the tab's log, or the historian's
 * `/api/history/v1/alarms`) and the current alarm list (an alarm raised before the log starts, as
 * when the shared service's audit is joined mid-way, still shades from its raise time).
 */
import type { AlarmAuditEntry, AlarmSnapshot } from '../engine/protocol';
import type { Priority, Rule } from '../twin/schema';
import { parseExpr, signalsOf } from '../expr/parse';

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
  for (const e of sorted) {
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
    const cleared = a.clearedAt ?? (a.conditionActive === false ? a.raisedAt : null);
    const known = periods.some((p) => p.alarmId === a.id && p.from <= a.raisedAt && (p.to ?? Infinity) >= a.raisedAt);
    if (known) continue;
    periods.push({ alarmId: a.id, priority: a.priority, from: a.raisedAt, to: cleared });
  }
  return periods.filter((p) => p.from <= to && (p.to ?? Infinity) >= from).sort((a, b) => a.from - b.from);
}
