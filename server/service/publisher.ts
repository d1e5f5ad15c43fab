/**
 * Keeps the broker's copy of a twin's shared state in step with the service: each alarm retained on
 * its own topic (an empty retained payload when it leaves the list), every audit record once, in
 * order, at QoS 1. Publishing is refused while the connection is down (nothing is queued inside the
 * connection), so what the broker has not acknowledged stays pending here and goes on the next sync.
 */
import type { AlarmSnapshot } from '../../src/engine/protocol';
import { topics, type AuditRecord } from '../../src/engine/namespace';
import type { PublishOptions, PublishResult } from '../../src/engine/connection';

export type Publish = (topic: string, payload: string, options: PublishOptions) => Promise<PublishResult>;

/** Per alarm id: the payload the broker should hold ('' removes it). */
export function alarmPayloads(alarms: readonly AlarmSnapshot[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of alarms) out.set(a.id, JSON.stringify(a));
  return out;
}

/** What to publish so that the broker, holding `held`, holds `wanted`: changed payloads, and '' for the gone. */
export function alarmDiff(held: ReadonlyMap<string, string>, wanted: ReadonlyMap<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [id, payload] of wanted) if (held.get(id) !== payload) out.push([id, payload]);
  for (const [id, payload] of held) if (payload !== '' && !wanted.has(id)) out.push([id, '']);
  return out;
}

/** Audit records held while the broker cannot take them; beyond this the oldest go (and the log says so). */
export const OUTBOX_CAPACITY = 10_000;

export class SharedStatePublisher {
  /** What the broker acknowledged holding, per alarm id. */
  private held = new Map<string, string>();
  private wanted = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  /** Audit records not yet acknowledged by the broker, oldest first. */
  private outbox: AuditRecord[] = [];
  private sendingAudit = false;
  private online = true;
  private dropped = 0;
  private onPublished: ((seq: number) => void) | null = null;

  constructor(
    private readonly twin: string,
    private readonly publish: Publish,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /**
   * While the connection is down nothing is tried (publishes would be refused at once, and each refusal
   * logged); coming back online publishes everything again.
   */
  setOnline(online: boolean): void {
    this.online = online;
    if (online) this.resync();
  }

  /** Called with the sequence number of each audit record the broker acknowledged. */
  onAuditPublished(listener: (seq: number) => void): void {
    this.onPublished = listener;
  }

  /** The alarm list to hold on the broker from now on. */
  setAlarms(alarms: readonly AlarmSnapshot[]): void {
    this.wanted = alarmPayloads(alarms);
    this.syncAlarms();
  }

  /**
   * A retained alarm seen on the broker (at subscribe: what a previous run left). One we do not hold
   * is removed, so a newcomer never sees an alarm that is no longer there.
   */
  noteRetained(alarmId: string, payload: string): void {
    if (payload === '' || this.inFlight.has(alarmId)) return;
    if (!this.held.has(alarmId)) this.held.set(alarmId, payload);
    this.syncAlarms();
  }

  /** Records to publish on the audit topic, in sequence order. */
  addAudit(records: readonly AuditRecord[]): void {
    if (records.length === 0) return;
    this.outbox.push(...records);
    if (this.outbox.length > OUTBOX_CAPACITY) {
      const drop = this.outbox.length - OUTBOX_CAPACITY;
      // The one being sent stays; the oldest waiting after it go.
      this.outbox.splice(this.sendingAudit ? 1 : 0, drop);
      if (this.dropped === 0)
        this.log(`the broker is away: audit records beyond ${OUTBOX_CAPACITY} are dropped, oldest first`);
      this.dropped += drop;
    }
    void this.drainAudit();
  }

  /** After a reconnect: publish everything again (retained alarms are idempotent) and send what is pending. */
  resync(): void {
    this.held = new Map();
    this.syncAlarms();
    void this.drainAudit();
  }

  /**
   * Resolves once nothing is in flight and the audit outbox is empty, or `timeoutMs` passed (a graceful
   * stop waits for this before it says offline).
   */
  async settled(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.inFlight.size > 0 || this.sendingAudit) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
  }

  /** Audit records still waiting for the broker. */
  get pendingAudit(): number {
    return this.outbox.length;
  }

  private syncAlarms(): void {
    if (!this.online) return;
    for (const [id, payload] of alarmDiff(this.held, this.wanted)) {
      if (this.inFlight.has(id)) continue; // its completion syncs again
      this.inFlight.add(id);
      void this.publish(topics.alarm(this.twin, id), payload, { qos: 1, retain: true }).then((result) => {
        this.inFlight.delete(id);
        if (!result.ok) {
          this.log(`could not publish alarm "${id}": ${result.reason}`);
          return; // the next resync (on reconnect) tries again
        }
        if (payload === '') this.held.delete(id);
        else this.held.set(id, payload);
        if (this.wanted.get(id) !== (payload === '' ? undefined : payload)) this.syncAlarms();
      });
    }
  }

  private async drainAudit(): Promise<void> {
    if (this.sendingAudit || !this.online) return;
    this.sendingAudit = true;
    try {
      while (this.outbox.length > 0) {
        const record = this.outbox[0];
        const result = await this.publish(topics.audit(this.twin), JSON.stringify(record), { qos: 1 });
        if (!result.ok) {
          this.log(`audit ${record.seq} waits for the broker: ${result.reason}`);
          return; // resync() on reconnect drains again
        }
        this.outbox.shift();
        this.onPublished?.(record.seq);
        if (this.outbox.length === 0 && this.dropped > 0) {
          this.log(`${this.dropped} audit records were dropped while the broker was away`);
          this.dropped = 0;
        }
      }
    } finally {
      this.sendingAudit = false;
    }
  }
}
