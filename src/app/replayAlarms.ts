/**
 * The alarms active at a past moment, rebuilt from the audit transitions (this tab's log, the
 * historian's, or a recording's backtest): each alarm's last transition at or before the moment says
 * its state then. Pure, so the alarm list in replay shows exactly what the log says.
 */
import type { AlarmAuditEntry, AlarmSnapshot, AlarmState } from '../engine/protocol';
import type { Priority } from '../twin/schema';

/** What the log does not carry: from the twin's rule of that id. */
export interface AlarmDescription {
  message: string;
  asset?: string;
  signal?: string;
}

interface Building {
  id: string;
  state: AlarmState | 'normal';
  priority: Priority;
  value: number;
  raisedAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  clearedAt?: number;
  shelvedAt?: number;
  shelvedBy?: string;
  comment?: string;
}

/**
 * The alarms not in the normal state at `at`, newest raise first. `transitions` must be in time
 * order (the audit log is); entries after `at` are ignored. Alarms the log never raised within it
 * (only acknowledged, say, because the log starts later) are shown with their raise time unknown (0).
 */
export function alarmsAt(
  transitions: readonly AlarmAuditEntry[],
  at: number,
  describe: (alarmId: string) => AlarmDescription | undefined,
): AlarmSnapshot[] {
  const byId = new Map<string, Building>();
  for (const e of transitions) {
    if (e.t > at) break;
    let b = byId.get(e.alarmId);
    if (!b) {
      b = { id: e.alarmId, state: 'normal', priority: e.priority, value: NaN, raisedAt: 0 };
      byId.set(e.alarmId, b);
    }
    b.state = e.state;
    b.priority = e.priority;
    if (e.comment !== undefined) b.comment = e.comment;
    switch (e.event) {
      case 'raise':
        b.raisedAt = e.t;
        b.value = e.value ?? NaN;
        b.acknowledgedAt = b.acknowledgedBy = b.clearedAt = undefined;
        break;
      case 'acknowledge':
        b.acknowledgedAt = e.t;
        b.acknowledgedBy = e.operator;
        break;
      case 'clear':
        b.clearedAt = e.t;
        break;
      case 'shelve':
        b.shelvedAt = e.t;
        b.shelvedBy = e.operator;
        break;
      default:
        break;
    }
  }
  const out: AlarmSnapshot[] = [];
  for (const b of byId.values()) {
    if (b.state === 'normal') continue;
    const d = describe(b.id);
    const a: AlarmSnapshot = {
      id: b.id,
      message: d?.message ?? b.id,
      priority: b.priority,
      signal: d?.signal ?? '',
      state: b.state,
      value: b.value,
      raisedAt: b.raisedAt,
    };
    if (d?.asset !== undefined) a.asset = d.asset;
    if (b.acknowledgedAt !== undefined) a.acknowledgedAt = b.acknowledgedAt;
    if (b.acknowledgedBy !== undefined) a.acknowledgedBy = b.acknowledgedBy;
    if (b.clearedAt !== undefined) a.clearedAt = b.clearedAt;
    if (b.shelvedAt !== undefined) a.shelvedAt = b.shelvedAt;
    if (b.shelvedBy !== undefined) a.shelvedBy = b.shelvedBy;
    if (b.comment !== undefined) a.comment = b.comment;
    out.push(a);
  }
  return out.sort((x, y) => y.raisedAt - x.raisedAt);
}

/**
 * Two transition lists (the tab's own and the historian's, or several fetches) as one, in time
 * order, each transition once: the same alarm, event and time is the same transition.
 */
export function mergeTransitions(a: readonly AlarmAuditEntry[], b: readonly AlarmAuditEntry[]): AlarmAuditEntry[] {
  const seen = new Set<string>();
  const out: AlarmAuditEntry[] = [];
  for (const e of [...a, ...b]) {
    const key = `${e.t}\u0000${e.alarmId}\u0000${e.event}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  // Stable: equal times keep their order within each list.
  return out.sort((x, y) => x.t - y.t);
}
