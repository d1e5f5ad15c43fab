/**
 * What the engine worker does, without the worker: builds the Engine and the broker connection on
 * `start`, flushes batches at most once per frame while data arrives, ticks the rules, posts stats.
 * The worker entry (engine.worker.ts) only wires this to `self`, so tests drive it with fake timers.
 */
import type { FromWorker, ToWorker } from './protocol';
import { Engine } from './engine';
import { startHttpPolling, type HttpPoller } from './httpPoller';
import { openConnection as defaultOpenConnection, type BrokerConnection, type ConnectionOptions } from './connection';

/** At most one batch per this many ms (~one animation frame); the worker may have no rAF. */
export const FLUSH_INTERVAL_MS = 16;
/** How often pending on-delays are checked without new messages. */
export const TICK_INTERVAL_MS = 250;
export const STATS_INTERVAL_MS = 1000;

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
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private lastFlush = -Infinity;
  private reportedFailure = false;
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
        if (this.engine?.acknowledge(message.alarmId, message.operator, message.comment)) this.scheduleFlush();
        break;
      case 'alarm-action':
        if (this.engine?.alarmAction(message.action)) this.scheduleFlush();
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
    this.connection = this.open({
      connection: message.twin.connection,
      brokerUrl: message.brokerUrl,
      credentials: message.credentials,
      clientId: message.clientId,
      now: this.now,
      onMessage: (topic, payload) => this.onMessage(engine, topic, payload),
      onStatus: (status) => this.host.post({ type: 'connection', status }),
      onProblem: (text) => this.host.post({ type: 'error', message: text }),
    });
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
      if (engine.hasOutput) this.scheduleFlush();
    }, TICK_INTERVAL_MS);
    this.statsTimer = setInterval(() => this.host.post({ type: 'stats', stats: engine.stats() }), STATS_INTERVAL_MS);
    this.host.post({ type: 'stats', stats: engine.stats() });
    if (engine.hasOutput) this.scheduleFlush(); // the restored alarm list
  }

  private onMessage(engine: Engine, topic: string, payload: Uint8Array): void {
    if (engine !== this.engine) return; // a message of a connection being closed
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

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_INTERVAL_MS - this.now());
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
    if (out.batch) this.host.post(out.batch, [out.batch.samples.buffer as ArrayBuffer]);
    if (out.alarms) this.host.post({ type: 'alarms', alarms: out.alarms });
    if (out.quality) this.host.post({ type: 'quality', changes: out.quality });
    const audit = engine.takeAudit();
    if (audit.length > 0) this.host.post({ type: 'audit', entries: audit });
  }

  /** Stops timers and disconnects; resolves when the connection has closed. */
  async stop(): Promise<void> {
    for (const timer of [this.tickTimer, this.statsTimer]) if (timer !== null) clearInterval(timer);
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.tickTimer = this.statsTimer = this.flushTimer = null;
    const connection = this.connection;
    this.poller?.stop();
    this.poller = null;
    this.engine = null;
    this.connection = null;
    await connection?.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
