/**
 * What a dashboard hears of the alarm service on Twinview's namespace (src/engine/namespace.ts): its
 * retained status (whose alarms the page shows), its retained alarms (the shared list), its audit
 * records and its replies to this page's requests. Pure and bounded; the worker session feeds it the
 * namespace messages and posts what it hands out.
 */
import { NAMESPACE_VERSION, splitTopic, type ServiceReply } from './namespace';
import type { AlarmAuditEntry, AlarmEvent, AlarmMode, AlarmSnapshot, AlarmState } from './protocol';

/** Shared alarms held at most (one per rule: a twin with more rules is beyond what a page lists). */
export const MAX_SHARED_ALARMS = 10_000;
/** Audit keys remembered to drop the same transition heard twice (as a record and in an alarm). */
const SEEN_KEYS = 4096;
/** Audit entries held between two takes; a flood beyond this keeps the newest. */
const AUDIT_HELD = 2000;
/** Replies held between two takes (a page has few requests in flight). */
const REPLIES_HELD = 200;

const STATES: ReadonlySet<string> = new Set<AlarmState>([
  'active',
  'acknowledged',
  'cleared-unacknowledged',
  'shelved',
  'suppressed',
  'out-of-service',
]);
const PRIORITIES: ReadonlySet<string> = new Set(['urgent', 'high', 'medium', 'low']);

export class SharedAlarmView {
  private mode: AlarmMode = { kind: 'local', reason: 'checking' };
  private modeChanged = true;
  private statusHeard = false;
  private readonly alarms = new Map<string, AlarmSnapshot>();
  private alarmsChanged = false;
  private audit: AlarmAuditEntry[] = [];
  private readonly seen = new Map<string, true>();
  private replies: ServiceReply[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly twin: string) {}

  /** Is the service the authority now (its alarms are the list, actions go to it)? */
  get shared(): boolean {
    return this.mode.kind === 'shared';
  }

  get current(): AlarmMode {
    return this.mode;
  }

  /** The shared alarms as last heard (for the local engine to continue from when the service goes). */
  list(): AlarmSnapshot[] {
    return [...this.alarms.values()];
  }

  /** Connected for a while and no status heard: no service runs for this twin (a broker-only deployment). */
  noStatusHeard(): void {
    if (!this.statusHeard && this.mode.kind === 'local' && this.mode.reason === 'checking')
      this.setMode({ kind: 'local', reason: 'absent' });
  }

  /** One message of the namespace; those of other twins and anything malformed are ignored. */
  handle(topic: string, payload: Uint8Array): void {
    const parts = splitTopic(topic);
    if (parts === null || parts.twin !== this.twin) return;
    const [kind, arg] = parts.rest;
    const text = this.decoder.decode(payload);
    if (kind === 'service' && parts.rest.length === 1) this.onStatus(text);
    else if (kind === 'alarms' && parts.rest.length === 2) this.onAlarm(arg, text);
    else if (kind === 'audit' && parts.rest.length === 1) this.onAudit(text);
    else if (kind === 'replies' && parts.rest.length === 2) this.onReply(text);
  }

  /** The mode when it changed since the last call, else null. */
  takeMode(): AlarmMode | null {
    if (!this.modeChanged) return null;
    this.modeChanged = false;
    return this.mode;
  }

  /** The shared list when it changed while shared (always once on becoming shared), else null. */
  takeAlarms(): AlarmSnapshot[] | null {
    if (!this.alarmsChanged || !this.shared) return null;
    this.alarmsChanged = false;
    return this.list();
  }

  /** Shared audit entries since the last call, oldest first (empty while local). */
  takeAudit(): AlarmAuditEntry[] {
    const out = this.audit;
    if (out.length === 0) return out;
    this.audit = [];
    return out.sort((a, b) => a.t - b.t);
  }

  takeReplies(): ServiceReply[] {
    const out = this.replies;
    if (out.length > 0) this.replies = [];
    return out;
  }

  private setMode(mode: AlarmMode): void {
    const was = this.mode;
    this.mode = mode;
    this.modeChanged = true;
    if (mode.kind === 'shared' && was.kind !== 'shared') {
      // The page's audit panel starts again from the service's: what its alarms say, then its records.
      this.seen.clear();
      this.audit = [];
      for (const a of this.alarms.values()) this.auditFromAlarm(a);
      this.alarmsChanged = true;
    }
  }

  private onStatus(text: string): void {
    this.statusHeard = true;
    if (text === '') {
      // The retained status was removed: nothing says a service runs.
      this.setMode({ kind: 'local', reason: 'absent' });
      return;
    }
    const s = parseObject(text);
    if (s === null || s.v !== NAMESPACE_VERSION || typeof s.instance !== 'string') return;
    if (s.state === 'online') {
      const mode: AlarmMode = { kind: 'shared', instance: s.instance };
      if (typeof s.since === 'number') mode.since = s.since;
      this.setMode(mode);
    } else if (s.state === 'offline') {
      this.setMode({ kind: 'local', reason: 'offline' });
    }
  }

  private onAlarm(id: string, text: string): void {
    if (text === '') {
      if (this.alarms.delete(id)) this.alarmsChanged = true;
      return;
    }
    const a = parseObject(text);
    if (a === null || !isSnapshot(a) || a.id !== id) return;
    if (!this.alarms.has(id) && this.alarms.size >= MAX_SHARED_ALARMS) return;
    if (a.value === null) a.value = NaN;
    this.alarms.set(id, a);
    this.alarmsChanged = true;
    if (this.shared) this.auditFromAlarm(a);
  }

  private onAudit(text: string): void {
    if (!this.shared) return;
    const r = parseObject(text);
    // Command records belong to the command log, not to an alarm's history.
    if (r === null || r.v !== NAMESPACE_VERSION || r.kind !== 'alarm') return;
    if (typeof r.t !== 'number' || typeof r.alarmId !== 'string' || typeof r.event !== 'string') return;
    if (typeof r.priority !== 'string' || !PRIORITIES.has(r.priority)) return;
    const entry: AlarmAuditEntry = {
      t: r.t,
      alarmId: r.alarmId,
      event: r.event as AlarmEvent,
      state: (typeof r.state === 'string' ? r.state : 'normal') as AlarmAuditEntry['state'],
      priority: r.priority as AlarmAuditEntry['priority'],
    };
    if (typeof r.operator === 'string') entry.operator = r.operator;
    if (typeof r.comment === 'string') entry.comment = r.comment;
    if (typeof r.value === 'number') entry.value = r.value;
    this.addAudit(entry);
  }

  private onReply(text: string): void {
    const r = parseObject(text);
    if (r === null || r.v !== NAMESPACE_VERSION || typeof r.id !== 'string' || typeof r.ok !== 'boolean') return;
    const reply: ServiceReply = { v: NAMESPACE_VERSION, id: r.id, ok: r.ok };
    if (typeof r.error === 'string') reply.error = r.error;
    this.replies.push(reply);
    if (this.replies.length > REPLIES_HELD) this.replies.shift();
  }

  /**
   * A newcomer hears no past audit records (they are not retained), so the alarms' own times stand in
   * for them: when each was raised, acknowledged and shelved, and by whom.
   */
  private auditFromAlarm(a: AlarmSnapshot): void {
    const base = { alarmId: a.id, priority: a.priority };
    this.addAudit({ ...base, t: a.raisedAt, event: 'raise', state: 'active', value: a.value });
    if (a.acknowledgedAt !== undefined) {
      const ack: AlarmAuditEntry = { ...base, t: a.acknowledgedAt, event: 'acknowledge', state: 'acknowledged' };
      if (a.acknowledgedBy !== undefined) ack.operator = a.acknowledgedBy;
      if (a.comment !== undefined) ack.comment = a.comment;
      this.addAudit(ack);
    }
    if (a.shelvedAt !== undefined) {
      const shelve: AlarmAuditEntry = { ...base, t: a.shelvedAt, event: 'shelve', state: 'shelved' };
      if (a.shelvedBy !== undefined) shelve.operator = a.shelvedBy;
      this.addAudit(shelve);
    }
  }

  /** Adds an entry unless the same transition (alarm, event, time) was already heard. */
  private addAudit(e: AlarmAuditEntry): void {
    const key = `${e.alarmId}\n${e.event}\n${e.t}`;
    if (this.seen.has(key)) return;
    this.seen.set(key, true);
    if (this.seen.size > SEEN_KEYS) this.seen.delete(this.seen.keys().next().value as string);
    this.audit.push(e);
    if (this.audit.length > AUDIT_HELD) this.audit.shift();
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(text);
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isSnapshot(a: Record<string, unknown>): a is Record<string, unknown> & AlarmSnapshot {
  return (
    typeof a.id === 'string' &&
    typeof a.message === 'string' &&
    typeof a.signal === 'string' &&
    typeof a.state === 'string' &&
    STATES.has(a.state) &&
    typeof a.priority === 'string' &&
    PRIORITIES.has(a.priority) &&
    typeof a.raisedAt === 'number' &&
    // JSON writes a NaN value (a text signal's) as null.
    (typeof a.value === 'number' || a.value === null)
  );
}
