/** Pure helpers over the alarm audit log: CSV export and the flood indicator. */
import type { AlarmAuditEntry } from '../engine/protocol';

/** More than FLOOD_COUNT new alarms within FLOOD_MS is an alarm flood (EEMUA 191). */
export const FLOOD_COUNT = 10;
export const FLOOD_MS = 10 * 60_000;

/** Alarms raised within FLOOD_MS before `now`. */
export function recentRaises(log: readonly AlarmAuditEntry[], now: number): number {
  let n = 0;
  for (let i = log.length - 1; i >= 0 && now - log[i].t <= FLOOD_MS; i--) if (log[i].event === 'raise') n++;
  return n;
}

export function isFlood(log: readonly AlarmAuditEntry[], now: number): boolean {
  return recentRaises(log, now) > FLOOD_COUNT;
}

/** Was a high or urgent alarm raised after `since` (ms)? What the optional alarm sound announces. */
export function newUrgentRaise(log: readonly AlarmAuditEntry[], since: number): boolean {
  for (let i = log.length - 1; i >= 0 && log[i].t > since; i--) {
    const e = log[i];
    if (e.event === 'raise' && (e.priority === 'high' || e.priority === 'urgent')) return true;
  }
  return false;
}

const COLUMNS = ['time', 'alarm', 'event', 'state', 'priority', 'operator', 'comment', 'value'] as const;

/**
 * RFC 4180 CSV, one row per entry, times in ISO 8601 UTC. A cell that starts with = + - @ is
 * prefixed with ' so a spreadsheet does not run an operator's comment as a formula.
 */
export function auditToCsv(log: readonly AlarmAuditEntry[]): string {
  const rows = [COLUMNS.join(',')];
  for (const e of log) {
    rows.push(
      [
        new Date(e.t).toISOString(),
        e.alarmId,
        e.event,
        e.state,
        e.priority,
        e.operator ?? '',
        e.comment ?? '',
        e.value === undefined ? '' : String(e.value),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

function csvCell(text: string): string {
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
