/**
 * What the engine worker does, without the worker: builds the Engine and the broker connection on
 * `start`, flushes batches at most once per frame while data arrives, ticks the rules, posts stats.
 * The worker entry (engine.worker.ts) only wires this to `self`, so tests drive it with fake timers.
 *
 * Alarms: while the twin's alarm service says it is online (its retained status on Twinview's
 * namespace), its retained alarms are the list posted and the operator's actions become requests to
 * it; otherwise this engine's own alarms are (docs/rules-and-alarms.md#shared-alarms-and-this-screens-alarms).
 */
import type { AlarmAction, FromWorker, ToWorker } from './protocol';
import { NAMESPACE_ROOT, NAMESPACE_VERSION, topics, type ServiceRequest } from './namespace';
import { SharedAlarmView } from './sharedAlarms';
import { splitBatch } from './batchSplit';
import { Engine } from './engine';
import { CommandRunner } from './commandRunner';
import { startHttpPolling, type HttpPoller } from './httpPoller';
import { openConnection as defaultOpenConnection, type BrokerConnection, type ConnectionOptions } from './connection';

/** At most one batch per this many ms (~one animation frame); the worker may have no rAF. */
export const FLUSH_INTERVAL_MS = 16;
/**
 * A flush timer this late is being held back by the socket's messages; the next message flushes.
 * 4 ms was tried (2026-12-01): at 2,000 msg/s it cut how late values reached the page, but under a
 * flood of small messages the page took more, smaller batches, and small-message ingest fell to
 * 0.87-0.89 of the bare worker in a round of each of two runs (0.94 with a frame in the same hour).
 */
export const LATE_FLUSH_MS = FLUSH_INTERVAL_MS;
/** How often pending on-delays are checked without new messages. */
export const TICK_INTERVAL_MS = 250;
export const STATS_INTERVAL_MS = 1000;
/** Connected this long without hearing the service's retained status: no service runs for this twin. */
export const SERVICE_GRACE_MS = 1500;
/** A request the service has not answered within this long is reported as unanswered. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The user of requests when the page has no credentials and no operator name. */
const ANONYMOUS = 'operator';
const NAMESPACE_PREFIX = `${NAMESPACE_ROOT}/`;

export interface WorkerHost {
  /** postMessage of the worker scope; `transfer` lists buffers that move instead of being copied. */
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** Ends the worker once a stop has finished. */
  close?(): void;
}

export interface SessionDeps {
  openConnection?: (options: ConnectionOptions) => BrokerConnection;
  /** fetch for HTTP sources; tests pass their own. Default globalThis.fetch. */
  fetch?: typeof fetch;
  now?: () => number;
}

export class EngineSession {
  private engine: Engine | null = null;
  private connection: BrokerConnection | null = null;
  private poller: HttpPoller | null = null;
  private commands: CommandRunner | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private lastFlush = -Infinity;
  /** When the pending flush timer should fire. */
  private flushDue = 0;
  private reportedFailure = false;
  private shared: SharedAlarmView | null = null;
  private twinId = '';
  /** The MQTT user name, when the page connects with credentials: the `<user>` of its requests. */
  private user: string | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the last mode posted was shared (leaving it hands the shared list to the engine). */
  private sharedShown = false;
  /** Requests sent to the service and not answered yet, by request id. */
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; report: boolean }>();
  private readonly now: () => number;
  private readonly open: (options: ConnectionOptions) => BrokerConnection;
  private readonly fetch: typeof fetch | undefined;

  constructor(
    private readonly host: WorkerHost,
    deps: SessionDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.open = deps.openConnection ?? defaultOpenConnection;
    this.fetch = deps.fetch;
  }

  /** Handles one message from the main thread. */
  handle(message: ToWorker): void {
    switch (message.type) {
      case 'start':
        this.start(message);
        break;
      case 'acknowledge':
        if (this.shared?.shared) {
          const request: ServiceRequest = {
            v: NAMESPACE_VERSION,
            id: '',
            kind: 'acknowledge',
            alarmId: message.alarmId,
          };
          if (message.comment !== undefined) request.comment = message.comment;
          if (message.operator !== undefined) request.operator = message.operator;
          this.sendRequest(request, message.operator, message.requestId);
        } else {
          this.applied(message.requestId, this.engine?.acknowledge(message.alarmId, message.operator, message.comment));
        }
        break;
      case 'alarm-action':
        if (this.shared?.shared) {
          const request: ServiceRequest = {
            v: NAMESPACE_VERSION,
            id: '',
            kind: 'alarm-action',
            action: message.action,
          };
          this.sendRequest(request, message.action.operator, message.requestId);
        } else {
          this.applied(message.requestId, this.engine?.alarmAction(message.action), message.action);
        }
        break;
      case 'command':
        this.commands?.submit(message.request);
        break;
      case 'recycle':
        this.engine?.recycle(message.buffer);
        break;
      case 'stop':
        void this.stop().then(() => this.host.close?.());
        break;
    }
  }

  private start(message: Extract<ToWorker, { type: 'start' }>): void {
    if (this.engine) void this.stop();
    let engine: Engine;
    try {
      engine = new Engine(message.twin, { now: this.now });
    } catch (err) {
      this.host.post({ type: 'error', message: `the twin cannot run: ${errorText(err)}` });
      return;
    }
    if (message.restore) engine.restore(message.restore);
    this.engine = engine;
    this.reportedFailure = false;
    const twin = message.twin.id;
    const shared = new SharedAlarmView(twin);
    this.shared = shared;
    this.twinId = twin;
    this.sharedShown = false;
    this.user = message.credentials?.username ?? null;
    const commands = new CommandRunner(message.twin, {
      post: (m) => this.host.post(m),
      publish: null,
      user: this.user,
      clientTag: randomTag(),
      now: this.now,
    });
    this.commands = commands;
    this.connection = this.open({
      connection: message.twin.connection,
      brokerUrl: message.brokerUrl,
      credentials: message.credentials,
      clientId: message.clientId,
      now: this.now,
      // The service's status and alarms are retained: a page opened at any time hears the current state.
      extraSubscriptions: {
        [topics.service(twin)]: { qos: 1 },
        [topics.alarms(twin)]: { qos: 1 },
        [topics.audit(twin)]: { qos: 1 },
        // Without credentials the user is a typed name that may change: hear every reply, keep ours by id.
        [this.user !== null ? topics.replies(twin, this.user) : topics.anyReplies(twin)]: { qos: 1 },
        // Where the plant answers commands (src/engine/commands.ts).
        ...commands.replyFilters(),
      },
      onMessage: (topic, payload, correlationData) => {
        if (engine === this.engine && commands.offer(topic, payload, correlationData)) return;
        this.onMessage(engine, topic, payload);
      },
      onStatus: (status) => {
        this.host.post({ type: 'connection', status });
        if (status.state === 'online' && this.graceTimer === null && engine === this.engine) {
          this.graceTimer = setTimeout(() => {
            if (engine !== this.engine) return;
            shared.noStatusHeard();
            this.afterShared(engine);
          }, SERVICE_GRACE_MS);
        }
      },
      onProblem: (text) => this.host.post({ type: 'error', message: text }),
    });
    const connection = this.connection;
    commands.setPublish((topic, payload, options) => connection.publish(topic, payload, options));
    this.host.post({ type: 'alarm-mode', mode: shared.current });
    shared.takeMode();
    if (message.twin.sources.length > 0) {
      this.poller = startHttpPolling({
        sources: message.twin.sources,
        onBody: (topic, body) => this.onMessage(engine, topic, body),
        onProblem: (text) => this.host.post({ type: 'error', message: text }),
        onRecovered: (text) => this.host.post({ type: 'error-resolved', message: text }),
        fetch: this.fetch,
      });
    }
    this.tickTimer = setInterval(() => {
      engine.tick(this.now());
      commands.tick();
      if (engine.hasOutput) this.scheduleFlush();
    }, TICK_INTERVAL_MS);
    this.statsTimer = setInterval(() => this.host.post({ type: 'stats', stats: engine.stats() }), STATS_INTERVAL_MS);
    this.host.post({ type: 'stats', stats: engine.stats() });
    if (engine.hasOutput) this.scheduleFlush(); // the restored alarm list
  }

  private onMessage(engine: Engine, topic: string, payload: Uint8Array): void {
    if (engine !== this.engine) return; // a message of a connection being closed
    if (topic.startsWith(NAMESPACE_PREFIX)) {
      // Twinview's own topics are never telemetry (a twin subscribing "#" hears them too).
      this.shared?.handle(topic, payload);
      this.afterShared(engine);
      return;
    }
    try {
      engine.handleMessage(topic, payload);
    } catch (err) {
      // The engine does not throw for bad input; this is a bug. Say so once, keep the connection.
      if (!this.reportedFailure) {
        this.reportedFailure = true;
        this.host.post({ type: 'error', message: `engine failure on "${topic}": ${errorText(err)}` });
      }
    }
    this.scheduleFlush();
  }

  /** Acts on what the namespace changed: the mode (handing the shared list to the engine when the service goes), replies. */
  private afterShared(engine: Engine): void {
    const shared = this.shared;
    if (!shared) return;
    const mode = shared.takeMode();
    if (mode) {
      this.host.post({ type: 'alarm-mode', mode });
      const wasShared = this.sharedShown;
      this.sharedShown = mode.kind === 'shared';
      if (mode.kind === 'local' && wasShared) {
        // This screen carries on from the shared state (acknowledged stays acknowledged), not from
        // what its own engine, whose alarms nobody acted on meanwhile, would say.
        engine.restore({ alarms: shared.list() });
      }
    }
    for (const reply of shared.takeReplies()) {
      const p = this.pending.get(reply.id);
      if (p) this.settle(reply.id, reply.ok, reply.ok ? undefined : (reply.error ?? 'the alarm service refused it'));
    }
    this.scheduleFlush();
  }

  /**
   * Publishes a request to the service on the user's request topic. The user is the MQTT user name
   * when the page has credentials (the broker's ACL can hold it to that), else the name typed in the page.
   */
  private sendRequest(request: ServiceRequest, operator: string | undefined, requestId: string | undefined): void {
    const id = requestId ?? `w-${this.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    request.id = id;
    const user = this.user ?? (operator?.trim() || ANONYMOUS);
    const connection = this.connection;
    if (!connection) return this.report(requestId, false, 'the engine is not running');
    const timer = setTimeout(
      () => this.settle(id, false, `no answer from the alarm service within ${REQUEST_TIMEOUT_MS / 1000} s`),
      REQUEST_TIMEOUT_MS,
    );
    this.pending.set(id, { timer, report: requestId !== undefined });
    void connection
      .publish(topics.requests(this.twinId, user), JSON.stringify(request), {
        qos: 1,
        responseTopic: topics.replies(this.twinId, user),
        correlationData: new TextEncoder().encode(id),
      })
      .then((result) => {
        if (!result.ok) this.settle(id, false, `the request was not sent: ${result.reason}`);
      });
  }

  private settle(id: string, ok: boolean, error?: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (p.report) this.report(id, ok, error);
  }

  /** The result of an action applied by this screen's engine. */
  private applied(requestId: string | undefined, ok: boolean | undefined, action?: AlarmAction): void {
    if (ok) this.scheduleFlush();
    const what = action ? action.kind : 'acknowledge';
    this.report(
      requestId,
      ok === true,
      ok === undefined ? 'the engine is not running' : `${what} does not apply to the alarm in its state`,
    );
  }

  private report(requestId: string | undefined, ok: boolean, error?: string): void {
    if (requestId === undefined) return;
    this.host.post(ok ? { type: 'request-result', requestId, ok } : { type: 'request-result', requestId, ok, error });
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) {
      // The socket's messages queue ahead of the timer: under a flood it was measured firing up to a
      // second late (the ingest bench), and at 2,000 messages/s up to 25 ms late (the scene bench's
      // latency runs). A message that finds the timer LATE_FLUSH_MS late flushes instead; batches
      // stay a frame apart.
      if (this.now() >= this.flushDue + LATE_FLUSH_MS) this.flush();
      return;
    }
    const now = this.now();
    const wait = Math.max(0, this.lastFlush + FLUSH_INTERVAL_MS - now);
    this.flushDue = now + wait;
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Posts what accumulated: new signals first (the batch refers to their indices), then the batch, then alarms. */
  flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const engine = this.engine;
    if (!engine) return;
    this.lastFlush = this.now();
    const out = engine.takeBatch();
    if (out.added.length > 0) this.host.post({ type: 'signals', added: out.added });
    // A long-held flush is posted in parts, each a task of its own in the page (batchSplit.ts).
    if (out.batch) for (const part of splitBatch(out.batch)) this.host.post(part, [part.samples.buffer as ArrayBuffer]);
    // While shared, this engine's own alarms and audit are not shown (it keeps evaluating, so that a
    // screen whose service goes away carries on at once).
    const shared = this.shared?.shared === true;
    const alarms = shared ? this.shared!.takeAlarms() : out.alarms;
    if (alarms) this.host.post({ type: 'alarms', alarms });
    if (out.quality) this.host.post({ type: 'quality', changes: out.quality });
    const ownAudit = engine.takeAudit();
    const audit = shared ? this.shared!.takeAudit() : ownAudit;
    if (audit.length > 0) this.host.post({ type: 'audit', entries: audit });
  }

  /** Stops timers and disconnects; resolves when the connection has closed. */
  async stop(): Promise<void> {
    for (const timer of [this.tickTimer, this.statsTimer]) if (timer !== null) clearInterval(timer);
    for (const timer of [this.flushTimer, this.graceTimer]) if (timer !== null) clearTimeout(timer);
    this.tickTimer = this.statsTimer = this.flushTimer = this.graceTimer = null;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.shared = null;
    const connection = this.connection;
    this.poller?.stop();
    this.poller = null;
    this.commands = null;
    this.engine = null;
    this.connection = null;
    await connection?.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A random tag for this worker's command response topic (getRandomValues works on plain http too). */
function randomTag(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
