/**
 * The alarm state machine, one alarm per rule (ISA-18.2 / IEC 62682):
 *
 *   normal --raise--> active --ack--> acknowledged --clear--> normal
 *                       |                  (latched: stays until reset)
 *                       +--clear--> cleared-unacknowledged --ack--> normal
 *                                          +--raise--> active (a new occurrence)
 *
 * Over that sit three operator or design states that take an alarm out of annunciation: shelved
 * (until an expiry), suppressed by design (while the rule's suppressWhen holds) and out of service.
 * Leaving one brings the alarm back unacknowledged if its condition still holds.
 *
 * An alarm leaves the list only when it has both cleared and been acknowledged, so an operator never
 * misses one that came and went. Every transition goes to a bounded audit log.
 */
import type { Guidance, Priority } from '../twin/schema';
import type { AlarmAuditEntry, AlarmEvent, AlarmSnapshot, AlarmState } from './protocol';

/** What an alarm is, independent of its state: from the rule. */
export interface AlarmDef {
  id: string;
  message: string;
  priority: Priority;
  asset?: string;
  /** The signal id the rule watches. */
  signal: string;
  latch?: boolean;
  /** A forecast: its alarms are predictions. */
  predicted?: boolean;
  guidance?: Guidance;
}

type Annunciation = 'normal' | 'active' | 'acknowledged' | 'cleared-unacknowledged';
type Overlay = 'shelved' | 'suppressed' | 'out-of-service';

/** Chattering: this many raises within CHATTER_MS. */
export const CHATTER_RAISES = 3;
export const CHATTER_MS = 60_000;
/** Audit entries kept until taken (the main thread keeps the long log). */
export const AUDIT_CAPACITY = 1000;

/**
 * One alarm's state. A class with every field set in its constructor, the optional ones to undefined:
 * as a literal whose optional fields were added when first used, in whatever order events came,
 * records had several hidden classes (more in each new engine), and the alarm book's reads of them
 * (raise, clear, suppression, its snapshots and audit entries) were megamorphic.
 */
class AlarmRecord {
  state: Annunciation = 'normal';
  overlay: Overlay | null = null;
  /** Does the rule's condition hold now (whatever the operator did)? */
  condition = false;
  message: string;
  value = Number.NaN;
  raisedAt = 0;
  acknowledgedAt: number | undefined = undefined;
  acknowledgedBy: string | undefined = undefined;
  comment: string | undefined = undefined;
  clearedAt: number | undefined = undefined;
  shelvedAt: number | undefined = undefined;
  shelvedUntil: number | undefined = undefined;
  shelvedBy: string | undefined = undefined;
  /** Times of the last CHATTER_RAISES raises, a ring. */
  raises: number[] = [];
  chattering = false;

  constructor(
    readonly def: AlarmDef,
    /** Position in the defs. */
    readonly index: number,
  ) {
    this.message = def.message;
  }
}

export interface OperatorAction {
  operator?: string;
  comment?: string;
}

export class AlarmBook {
  private readonly records: AlarmRecord[];
  private readonly byId = new Map<string, AlarmRecord>();
  /**
   * Per record, kept by log() (every transition) and restore(): 1 when snapshot() lists it, and its
   * overlay (OVERLAY_*). With 10,000 rules, snapshot() and the per-message suppression check then
   * read these bytes instead of every record object (which pushed the rules' data out of the cache).
   */
  private readonly listed: Uint8Array;
  private readonly overlays: Uint8Array;
  /**
   * Per record, the alarm as snapshot() last gave it; null once anything changed (then a fresh one is
   * made). Beside the records rather than in them, so snapshot() reads this array and touches a
   * record only when its alarm changed (with thousands listed, a record each was a cache miss each).
   */
  private readonly snaps: (AlarmSnapshot | null)[];
  private dirty = false;
  private audit: AlarmAuditEntry[] = [];

  constructor(defs: readonly AlarmDef[]) {
    this.records = defs.map((def, index) => new AlarmRecord(def, index));
    for (const r of this.records) this.byId.set(r.def.id, r);
    this.listed = new Uint8Array(defs.length);
    this.overlays = new Uint8Array(defs.length);
    this.snaps = defs.map(() => null);
  }

  /** The condition of alarm `id` started (after its on-delay). Returns whether anything changed. */
  raise(id: string, value: number, now: number): boolean {
    return this.raiseRecord(this.byId.get(id), value, now);
  }

  /**
   * raise(), clear() and setSuppressed() by the alarm's position in the defs (the rule's index): the
   * engine's per-message path, which then looks up no string.
   */
  raiseAt(index: number, value: number, now: number): boolean {
    return this.raiseRecord(this.records[index], value, now);
  }

  clearAt(index: number, now: number): boolean {
    return this.clearRecord(this.records[index], now);
  }

  setSuppressedAt(index: number, suppressed: boolean, now: number): boolean {
    // Nothing to change (setSuppressedRecord's own first test), decided without the record.
    if (suppressed ? this.overlays[index] !== OVERLAY_NONE : this.overlays[index] !== OVERLAY_SUPPRESSED) return false;
    return this.setSuppressedRecord(this.records[index], suppressed, now);
  }

  private raiseRecord(r: AlarmRecord | undefined, value: number, now: number): boolean {
    if (!r || r.condition) return false;
    r.condition = true;
    r.value = value;
    r.raises.push(now);
    if (r.raises.length > CHATTER_RAISES) r.raises.shift();
    r.chattering = isChattering(r, now);
    if (r.overlay === null && (r.state === 'normal' || r.state === 'cleared-unacknowledged')) this.annunciate(r, now);
    this.log(r, now, 'raise', { value });
    return (this.dirty = true);
  }

  /** The condition of alarm `id` ended. Returns whether anything changed. */
  clear(id: string, now: number): boolean {
    return this.clearRecord(this.byId.get(id), now);
  }

  private clearRecord(r: AlarmRecord | undefined, now: number): boolean {
    if (!r || !r.condition) return false;
    r.condition = false;
    r.clearedAt = now;
    if (r.overlay === null && !r.def.latch) {
      if (r.state === 'active') r.state = 'cleared-unacknowledged';
      else if (r.state === 'acknowledged') r.state = 'normal';
    }
    this.log(r, now, 'clear', {});
    return (this.dirty = true);
  }

  /** An operator acknowledges alarm `id`. Returns false when there was nothing to acknowledge. */
  acknowledge(id: string, now: number, action: OperatorAction = {}): boolean {
    const r = this.byId.get(id);
    if (!r || r.overlay !== null) return false;
    if (r.state === 'active') {
      r.state = 'acknowledged';
      r.acknowledgedAt = now;
      r.acknowledgedBy = action.operator;
    } else if (r.state === 'cleared-unacknowledged') {
      r.state = 'normal';
    } else return false;
    if (action.comment) r.comment = action.comment;
    this.log(r, now, 'acknowledge', action);
    return (this.dirty = true);
  }

  /** Resets a latched alarm whose condition has cleared. */
  reset(id: string, now: number, action: OperatorAction = {}): boolean {
    const r = this.byId.get(id);
    if (!r || !r.def.latch || r.condition || r.overlay !== null) return false;
    if (r.state !== 'active' && r.state !== 'acknowledged') return false;
    r.state = 'normal';
    this.log(r, now, 'reset', action);
    return (this.dirty = true);
  }

  /** Shelves alarm `id` until `until` (ms); shelving again moves the expiry. */
  shelve(id: string, now: number, until: number, action: OperatorAction = {}): boolean {
    const r = this.byId.get(id);
    if (!r || until <= now || (r.overlay !== null && r.overlay !== 'shelved')) return false;
    r.overlay = 'shelved';
    r.state = 'normal';
    r.shelvedAt = now;
    r.shelvedUntil = until;
    r.shelvedBy = action.operator;
    this.log(r, now, 'shelve', action);
    return (this.dirty = true);
  }

  /** Ends a shelve early. */
  unshelve(id: string, now: number, action: OperatorAction = {}): boolean {
    const r = this.byId.get(id);
    if (!r || r.overlay !== 'shelved') return false;
    this.leave(r, now, 'unshelve', action);
    return true;
  }

  /** Takes alarm `id` out of service (maintenance), or puts it back. */
  setOutOfService(id: string, outOfService: boolean, now: number, action: OperatorAction = {}): boolean {
    const r = this.byId.get(id);
    if (!r) return false;
    if (outOfService) {
      if (r.overlay === 'out-of-service') return false;
      r.overlay = 'out-of-service';
      r.state = 'normal';
      this.log(r, now, 'out-of-service', action);
      return (this.dirty = true);
    }
    if (r.overlay !== 'out-of-service') return false;
    this.leave(r, now, 'return-to-service', action);
    return true;
  }

  /** Suppression by design follows the rule's suppressWhen; operator states take precedence. */
  setSuppressed(id: string, suppressed: boolean, now: number): boolean {
    return this.setSuppressedRecord(this.byId.get(id), suppressed, now);
  }

  private setSuppressedRecord(r: AlarmRecord | undefined, suppressed: boolean, now: number): boolean {
    if (!r) return false;
    if (suppressed) {
      if (r.overlay !== null) return false;
      r.overlay = 'suppressed';
      r.state = 'normal';
      this.log(r, now, 'suppress', {});
      return (this.dirty = true);
    }
    if (r.overlay !== 'suppressed') return false;
    this.leave(r, now, 'unsuppress', {});
    return true;
  }

  /** Adds an operator's comment to the alarm and the audit log. */
  comment(id: string, now: number, action: OperatorAction): boolean {
    const r = this.byId.get(id);
    if (!r || !action.comment) return false;
    r.comment = action.comment;
    this.log(r, now, 'comment', action);
    return (this.dirty = true);
  }

  /** Replaces the text of an alarm (a forecast's ETA); changes only when the text does. */
  setMessage(id: string, message: string): void {
    const r = this.byId.get(id);
    if (!r || r.message === message) return;
    r.message = message;
    this.snaps[r.index] = null;
    if (r.state !== 'normal') this.dirty = true;
  }

  /** Lets time pass: shelves expire, chattering flags fall. */
  tick(now: number): void {
    for (const r of this.records) {
      if (r.overlay === 'shelved' && r.shelvedUntil !== undefined && now >= r.shelvedUntil) {
        this.leave(r, now, 'shelve-expired', {});
      }
      if (r.chattering && !isChattering(r, now)) {
        r.chattering = false;
        this.snaps[r.index] = null;
        this.dirty = true;
      }
    }
  }

  /** State of one alarm; undefined for an unknown id. */
  state(id: string): AlarmState | 'normal' | undefined {
    const r = this.byId.get(id);
    return r && stateOf(r);
  }

  /** Does alarm `id`'s condition hold (as last reported by its rule)? */
  conditionHolds(id: string): boolean {
    return this.byId.get(id)?.condition ?? false;
  }

  /**
   * The alarms the operator should see or can act on (not normal; suppressed ones only while their
   * condition holds), in the twin's rule order. A fresh list each call; an alarm that has not changed
   * since the last call is the same object as then (with 10,000 rules, rebuilding every alarm for each
   * change was a tenth of the engine's time), so callers may keep them but must not modify them.
   */
  snapshot(): AlarmSnapshot[] {
    const out: AlarmSnapshot[] = [];
    const listed = this.listed;
    const snaps = this.snaps;
    for (let i = 0; i < listed.length; i++) {
      if (listed[i] === 0) continue;
      let snap = snaps[i];
      if (snap === null) {
        const r = this.records[i];
        snaps[i] = snap = this.snapshotOf(r, stateOf(r) as AlarmState);
      }
      out.push(snap);
    }
    return out;
  }

  private snapshotOf(r: AlarmRecord, state: AlarmState): AlarmSnapshot {
    const s: AlarmSnapshot = {
      id: r.def.id,
      message: r.message,
      priority: r.def.priority,
      signal: r.def.signal,
      state,
      value: r.value,
      raisedAt: r.raisedAt,
      conditionActive: r.condition,
    };
    if (r.def.asset !== undefined) s.asset = r.def.asset;
    if (r.acknowledgedAt !== undefined) s.acknowledgedAt = r.acknowledgedAt;
    if (r.acknowledgedBy !== undefined) s.acknowledgedBy = r.acknowledgedBy;
    if (r.comment !== undefined) s.comment = r.comment;
    if (r.clearedAt !== undefined) s.clearedAt = r.clearedAt;
    if (r.overlay === 'shelved') {
      s.shelvedAt = r.shelvedAt;
      s.shelvedUntil = r.shelvedUntil;
      if (r.shelvedBy !== undefined) s.shelvedBy = r.shelvedBy;
    }
    if (r.def.latch) s.latched = true;
    if (r.def.predicted) s.predicted = true;
    if (r.chattering) s.chattering = true;
    if (r.def.guidance) s.guidance = r.def.guidance;
    return s;
  }

  /**
   * Restores alarm state saved before a reload or a worker crash. Unknown ids (a rule removed from
   * the twin) are ignored. Returns the ids whose condition held, so their rules can be marked raised.
   */
  restore(saved: readonly AlarmSnapshot[]): string[] {
    const holding: string[] = [];
    for (const s of saved) {
      const r = this.byId.get(s.id);
      if (!r) continue;
      r.overlay = s.state === 'shelved' || s.state === 'suppressed' || s.state === 'out-of-service' ? s.state : null;
      r.state = r.overlay === null ? (s.state as Annunciation) : 'normal';
      r.condition = s.conditionActive ?? (s.state === 'active' || s.state === 'acknowledged');
      r.value = s.value;
      r.raisedAt = s.raisedAt;
      r.acknowledgedAt = s.acknowledgedAt;
      r.acknowledgedBy = s.acknowledgedBy;
      r.comment = s.comment;
      r.clearedAt = s.clearedAt;
      r.shelvedAt = s.shelvedAt;
      r.shelvedUntil = s.shelvedUntil;
      r.shelvedBy = s.shelvedBy;
      if (s.predicted) r.message = s.message;
      this.snaps[r.index] = null;
      this.track(r);
      if (r.condition) holding.push(s.id);
    }
    this.dirty = true;
    return holding;
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

  /** Audit entries since the last call (oldest first; at most AUDIT_CAPACITY are held). */
  takeAudit(): AlarmAuditEntry[] {
    const out = this.audit;
    if (out.length > 0) this.audit = [];
    return out;
  }

  private annunciate(r: AlarmRecord, now: number): void {
    r.state = 'active';
    r.raisedAt = now;
    r.acknowledgedAt = undefined;
    r.acknowledgedBy = undefined;
    r.comment = undefined;
    r.clearedAt = undefined;
  }

  /** Brings the record's `listed` and `overlays` bytes up to date (after any change of its state). */
  private track(r: AlarmRecord): void {
    const state = stateOf(r);
    this.listed[r.index] = state === 'normal' || (state === 'suppressed' && !r.condition) ? 0 : 1;
    this.overlays[r.index] =
      r.overlay === null ? OVERLAY_NONE : r.overlay === 'suppressed' ? OVERLAY_SUPPRESSED : OVERLAY_OTHER;
  }

  /** Leaves an overlay state: back unacknowledged when the condition still holds, else normal. */
  private leave(r: AlarmRecord, now: number, event: AlarmEvent, action: OperatorAction): void {
    r.overlay = null;
    r.shelvedAt = r.shelvedUntil = r.shelvedBy = undefined;
    if (r.condition) this.annunciate(r, now);
    else r.state = 'normal';
    this.log(r, now, event, action);
    this.dirty = true;
  }

  /** Every transition is logged, so this is also where a record's cached snapshot goes stale. */
  private log(r: AlarmRecord, t: number, event: AlarmEvent, extra: OperatorAction & { value?: number }): void {
    this.snaps[r.index] = null;
    this.track(r);
    const entry: AlarmAuditEntry = { t, alarmId: r.def.id, event, state: stateOf(r), priority: r.def.priority };
    if (extra.operator !== undefined) entry.operator = extra.operator;
    if (extra.comment) entry.comment = extra.comment;
    if (extra.value !== undefined) entry.value = extra.value;
    this.audit.push(entry);
    if (this.audit.length > AUDIT_CAPACITY) this.audit.shift();
  }
}

const OVERLAY_NONE = 0;
const OVERLAY_SUPPRESSED = 1;
const OVERLAY_OTHER = 2;

function stateOf(r: AlarmRecord): AlarmState | 'normal' {
  return r.overlay ?? r.state;
}

function isChattering(r: AlarmRecord, now: number): boolean {
  return r.raises.length >= CHATTER_RAISES && now - r.raises[0] <= CHATTER_MS;
}
