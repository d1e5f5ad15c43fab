/**
 * The alarm state machine, one alarm per rule (ISA-18.2 style):
 *
 *   normal --raise--> active --ack--> acknowledged --clear--> normal
 *                       |
 *                       +--clear--> cleared-unacknowledged --ack--> normal
 *                                          |
 *                                          +--raise--> active (re-raised)
 *
 * An alarm leaves the list only when it has both cleared and been acknowledged, so an operator never
 * misses one that came and went. Every change sets a flag; the worker posts the list only then.
 */
import type { Priority } from '../twin/schema';
import type { AlarmSnapshot, AlarmState } from './protocol';

/** What an alarm is, independent of its state: from the rule. */
export interface AlarmDef {
  id: string;
  message: string;
  priority: Priority;
  asset?: string;
  /** The signal id the rule watches. */
  signal: string;
}

interface AlarmRecord {
  def: AlarmDef;
  state: AlarmState | 'normal';
  value: number;
  raisedAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  clearedAt?: number;
}

export class AlarmBook {
  private readonly records: AlarmRecord[];
  private readonly byId = new Map<string, AlarmRecord>();
  private dirty = false;

  constructor(defs: readonly AlarmDef[]) {
    this.records = defs.map((def) => ({ def, state: 'normal', value: Number.NaN, raisedAt: 0 }));
    for (const r of this.records) this.byId.set(r.def.id, r);
  }

  /** The condition of alarm `id` started (after its on-delay). Returns whether anything changed. */
  raise(id: string, value: number, now: number): boolean {
    const r = this.byId.get(id);
    if (!r || r.state === 'active' || r.state === 'acknowledged') return false;
    // From normal, or a re-raise of a cleared-unacknowledged alarm: a new occurrence.
    r.state = 'active';
    r.value = value;
    r.raisedAt = now;
    r.acknowledgedAt = undefined;
    r.acknowledgedBy = undefined;
    r.clearedAt = undefined;
    return (this.dirty = true);
  }

  /** The condition of alarm `id` ended. Returns whether anything changed. */
  clear(id: string, now: number): boolean {
    const r = this.byId.get(id);
    if (!r) return false;
    if (r.state === 'active') {
      r.state = 'cleared-unacknowledged';
      r.clearedAt = now;
    } else if (r.state === 'acknowledged') {
      r.state = 'normal';
    } else return false;
    return (this.dirty = true);
  }

  /** An operator acknowledges alarm `id`. Returns false when there was nothing to acknowledge. */
  acknowledge(id: string, now: number, operator?: string): boolean {
    const r = this.byId.get(id);
    if (!r) return false;
    if (r.state === 'active') {
      r.state = 'acknowledged';
      r.acknowledgedAt = now;
      r.acknowledgedBy = operator;
    } else if (r.state === 'cleared-unacknowledged') {
      r.state = 'normal';
    } else return false;
    return (this.dirty = true);
  }

  /** State of one alarm; undefined for an unknown id. */
  state(id: string): AlarmState | 'normal' | undefined {
    return this.byId.get(id)?.state;
  }

  /** The alarms that are not normal, in the twin's rule order; fresh objects the caller may keep. */
  snapshot(): AlarmSnapshot[] {
    const out: AlarmSnapshot[] = [];
    for (const r of this.records) {
      if (r.state === 'normal') continue;
      const s: AlarmSnapshot = {
        id: r.def.id,
        message: r.def.message,
        priority: r.def.priority,
        signal: r.def.signal,
        state: r.state,
        value: r.value,
        raisedAt: r.raisedAt,
      };
      if (r.def.asset !== undefined) s.asset = r.def.asset;
      if (r.acknowledgedAt !== undefined) s.acknowledgedAt = r.acknowledgedAt;
      if (r.acknowledgedBy !== undefined) s.acknowledgedBy = r.acknowledgedBy;
      if (r.clearedAt !== undefined) s.clearedAt = r.clearedAt;
      out.push(s);
    }
    return out;
  }

  /** Has anything changed since the last takeChanges()? */
  get changed(): boolean {
    return this.dirty;
  }

  /** The list when it changed since the last call, else null. */
  takeChanges(): AlarmSnapshot[] | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return this.snapshot();
  }
}
