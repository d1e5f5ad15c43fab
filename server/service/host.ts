/**
 * The engine as a service for one twin: a thin host around the same pure Engine the dashboard's worker
 * runs. Outside the engine: the broker connection (with the offline last will), the shared-state
 * publisher, the state file and the requests from dashboards. Inside: rules, alarms, audit.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Twin } from '../../src/twin/schema';
import { Engine } from '../../src/engine/engine';
import {
  openConnection as defaultOpenConnection,
  type BrokerConnection,
  type ConnectionOptions,
} from '../../src/engine/connection';
import type { ConnectionStatus, Credentials, EngineStats } from '../../src/engine/protocol';
import {
  NAMESPACE_VERSION,
  parseRequest,
  splitTopic,
  topics,
  type AuditRecord,
  type ServiceStatus,
} from '../../src/engine/namespace';
import { SharedStatePublisher } from './publisher';
import { applyRequest } from './requests';
import { appendAudit, SEQ_GAP_AFTER_CRASH, type ServiceState, type StateStore } from './persistence';
import type { Recorder } from '../history/recorder';

/** Rules are ticked this often without new messages (on-delays, stale data, shelve expiry). */
export const TICK_MS = 250;
/** Alarm and audit changes reach the broker within this (well inside the one second promised). */
export const FLUSH_MS = 100;
/** The state file is written at most this often while something changed. */
export const SAVE_MS = 1000;

export interface TwinServiceOptions {
  twin: Twin;
  store: StateStore;
  brokerUrl?: string;
  credentials?: Credentials;
  /** Problems and what an operator must know (a killed run, an unusable state file). Default console.log. */
  log?: (line: string) => void;
  /** Routine lines (online, restored, refused requests). Default: log. */
  info?: (line: string) => void;
  now?: () => number;
  /** Concrete signals at most (the Engine's maxSignals; default DEFAULT_MAX_SIGNALS, 10,000). */
  maxSignals?: number;
  openConnection?: (options: ConnectionOptions) => BrokerConnection;
  /** The historian's recorder for this twin: gets every decoded sample, quality change and audit record. */
  recorder?: Recorder;
}

export class TwinService {
  readonly instance = randomBytes(6).toString('hex');
  private readonly engine: Engine;
  private readonly twin: Twin;
  private readonly store: StateStore;
  private readonly log: (line: string) => void;
  private readonly info: (line: string) => void;
  private readonly now: () => number;
  private readonly knownAlarms: ReadonlySet<string>;
  private readonly publisher: SharedStatePublisher;
  private readonly state: ServiceState;
  private connection: BrokerConnection | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private dirty = false;
  private lastSave = 0;
  private stopped = false;
  private status: ConnectionStatus | null = null;
  private readonly onlineWaiters: (() => void)[] = [];

  constructor(private readonly options: TwinServiceOptions) {
    this.twin = options.twin;
    this.store = options.store;
    this.log = options.log ?? ((line) => console.log(line));
    this.info = options.info ?? this.log;
    this.now = options.now ?? Date.now;
    this.engine = new Engine(this.twin, { now: this.now, maxSignals: options.maxSignals });
    this.knownAlarms = new Set(this.twin.rules.map((r) => r.id));

    const loaded = this.store.open(this.now());
    this.state = loaded.state;
    const id = this.twin.id;
    if (loaded.problem) this.log(`${id}: state file unusable (${loaded.problem}); kept as .bad, starting empty`);
    if (loaded.unclean) {
      // The last run was killed: up to its last second of changes were never saved, and audit numbers
      // it may have published are skipped so that none is used twice.
      const at = this.state.savedAt ? new Date(this.state.savedAt).toISOString() : 'never';
      this.log(
        `${id}: the previous run did not stop cleanly; restored the state saved at ${at}; ` +
          `changes after that (at most its last second) may be lost; audit numbers continue after a gap of ${SEQ_GAP_AFTER_CRASH}`,
      );
      this.state.seq += SEQ_GAP_AFTER_CRASH;
      this.dirty = true;
    } else if (this.state.savedAt) {
      this.info(`${id}: restored ${this.state.alarms.length} alarms and audit up to #${this.state.seq}`);
    }
    // Rules whose condition held are marked raised: a value still out of range raises nothing new.
    this.engine.restore({ alarms: this.state.alarms });

    this.publisher = new SharedStatePublisher(
      id,
      (t, p, o) => this.publishNow(t, p, o),
      (l) => this.log(`${id}: ${l}`),
    );
    this.publisher.setOnline(false); // until the connection is up
    this.publisher.onAuditPublished((seq) => {
      this.state.publishedSeq = Math.max(this.state.publishedSeq, seq);
      this.dirty = true;
    });
    // Audit a previous run had not got onto the broker.
    this.publisher.addAudit(this.state.audit.filter((r) => r.seq > this.state.publishedSeq));
  }

  /** Connects and starts the timers. */
  start(): void {
    const id = this.twin.id;
    const offline: ServiceStatus = { v: NAMESPACE_VERSION, state: 'offline', instance: this.instance };
    this.connection = (this.options.openConnection ?? defaultOpenConnection)({
      connection: this.twin.connection,
      brokerUrl: this.options.brokerUrl,
      credentials: this.options.credentials,
      clientId: `twinview-service-${this.instance}`,
      now: this.now,
      extraSubscriptions: { [topics.anyRequests(id)]: { qos: 1 }, [topics.alarms(id)]: { qos: 1 } },
      will: { topic: topics.service(id), payload: JSON.stringify(offline), qos: 1, retain: true },
      connect: connectWithoutDelay,
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      onStatus: (status) => this.onStatus(status),
      onProblem: (text) => this.log(`${id}: ${text}`),
    });
    this.timers.push(
      setInterval(() => this.engine.tick(this.now()), TICK_MS),
      setInterval(() => this.flush(), FLUSH_MS),
      setInterval(() => this.saveIfDirty(), SAVE_MS),
    );
    this.flush();
  }

  /** Resolves when the connection is online (tests, `npm start`'s banner). */
  online(): Promise<void> {
    if (this.status?.state === 'online') return Promise.resolve();
    return new Promise((resolve) => this.onlineWaiters.push(resolve));
  }

  /** The alarms as the service holds them. */
  alarms() {
    return this.engine.alarms();
  }

  /** The engine's counters (messages, rejects), e.g. for a benchmark or a health line. */
  stats(): EngineStats {
    return this.engine.stats();
  }

  get auditSeq(): number {
    return this.state.seq;
  }

  /**
   * A graceful stop: takes what is pending, publishes "offline" (retained) and what the broker has not
   * got yet (briefly), saves the state and removes the running marker.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.flush();
    const connection = this.connection;
    if (connection && this.status?.state === 'online') {
      const offline: ServiceStatus = {
        v: NAMESPACE_VERSION,
        state: 'offline',
        since: this.now(),
        instance: this.instance,
      };
      await this.publisher.settled(2000);
      await connection.publish(topics.service(this.twin.id), JSON.stringify(offline), { qos: 1, retain: true });
    }
    this.save();
    this.store.close();
    await connection?.close();
  }

  private publishNow: ConstructorParameters<typeof SharedStatePublisher>[1] = (topic, payload, options) =>
    this.connection
      ? this.connection.publish(topic, payload, options)
      : Promise.resolve({ ok: false, reason: 'not connected to the broker' });

  private onStatus(status: ConnectionStatus): void {
    const id = this.twin.id;
    const was = this.status?.state;
    this.status = status;
    if (status.state === 'online') {
      this.info(`${id}: online at ${status.url}${status.mqttFallback ? ' (MQTT 3.1.1: the broker refused 5)' : ''}`);
      const online: ServiceStatus = {
        v: NAMESPACE_VERSION,
        state: 'online',
        since: status.since,
        instance: this.instance,
      };
      void this.connection?.publish(topics.service(id), JSON.stringify(online), { qos: 1, retain: true });
      this.publisher.setOnline(true);
      for (const w of this.onlineWaiters.splice(0)) w();
    } else {
      this.publisher.setOnline(false);
      const reason = 'reason' in status ? `: ${status.reason}` : '';
      if (!this.stopped && (status.state !== was || status.state === 'offline'))
        (status.state === 'connecting' ? this.info : this.log)(`${id}: ${status.state}${reason}`);
    }
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    const ours = splitTopic(topic);
    if (ours === null || ours.twin !== this.twin.id) {
      this.engine.handleMessage(topic, payload);
      return;
    }
    const [kind, name] = ours.rest;
    if (kind === 'alarms' && name !== undefined && ours.rest.length === 2) {
      this.publisher.noteRetained(name, new TextDecoder().decode(payload));
    } else if (kind === 'requests' && name !== undefined && ours.rest.length === 2) {
      this.onRequest(name, payload);
    }
  }

  private onRequest(user: string, payload: Uint8Array): void {
    const id = this.twin.id;
    const request = parseRequest(payload);
    if (typeof request === 'string') {
      this.info(`${id}: bad request from "${user}": ${request}`);
      // A request without a readable id still gets an answer the requester can see.
      const rid = requestId(payload);
      this.reply(user, { v: NAMESPACE_VERSION, id: rid, ok: false, error: request });
      return;
    }
    const outcome = applyRequest(this.engine, this.knownAlarms, request, user);
    if (outcome.command) this.appendAudit([{ ...outcome.command, seq: 0 }]);
    if (!outcome.reply.ok) this.info(`${id}: request ${request.kind} from "${user}" refused: ${outcome.reply.error}`);
    // The change first, then the reply: a dashboard that hears "ok" already has the new state coming.
    this.flush();
    this.reply(user, outcome.reply);
  }

  private reply(user: string, reply: { v: 1; id: string; ok: boolean; error?: string }): void {
    void this.connection?.publish(topics.replies(this.twin.id, user), JSON.stringify(reply), { qos: 1 });
  }

  /** Hands the engine's output on: samples to the recorder (if any), alarms and audit published. */
  private flush(): void {
    const out = this.engine.takeBatch();
    const recorder = this.options.recorder;
    if (recorder) {
      if (out.added.length > 0) recorder.addSignals(out.added);
      if (out.batch) recorder.addBatch(out.batch);
      if (out.quality) recorder.addQuality(out.quality, this.now());
      recorder.addForecasts(this.engine.forecastEstimates(), this.now());
    }
    if (out.alarms) {
      this.state.alarms = out.alarms;
      this.publisher.setAlarms(out.alarms);
      this.dirty = true;
    }
    const audit = this.engine.takeAudit();
    if (audit.length > 0)
      this.appendAudit(audit.map((e) => ({ v: NAMESPACE_VERSION, kind: 'alarm' as const, seq: 0, ...e })));
  }

  /** Numbers the records, keeps them in the tail and sends them. */
  private appendAudit(records: AuditRecord[]): void {
    for (const r of records) r.seq = ++this.state.seq;
    this.state.audit = appendAudit(this.state.audit, records);
    this.publisher.addAudit(records);
    this.options.recorder?.addAudit(records);
    this.dirty = true;
  }

  private saveIfDirty(): void {
    if (this.dirty && this.now() - this.lastSave >= SAVE_MS - FLUSH_MS) this.save();
  }

  private save(): void {
    this.state.savedAt = this.now();
    try {
      this.store.save(this.state);
      this.dirty = false;
      this.lastSave = this.state.savedAt;
    } catch (err) {
      this.log(`${this.twin.id}: could not save the state: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * mqtt.js leaves Nagle's algorithm on for mqtt:// (TCP): the alarm update written right after a
 * request's PUBACK then waits for the broker's delayed ACK, about 40 ms per acknowledgement (measured:
 * bench shared). Over ws:// the ws library already turns it off.
 */
function connectWithoutDelay(url: string, options: IClientOptions): MqttClient {
  const client = mqtt.connect(url, options);
  client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
  return client;
}

function requestId(payload: Uint8Array): string {
  try {
    const id = (JSON.parse(new TextDecoder().decode(payload)) as { id?: unknown }).id;
    return typeof id === 'string' ? id.slice(0, 100) : '';
  } catch {
    return '';
  }
}
