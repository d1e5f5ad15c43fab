/**
 * The main thread's side of the engine: starts the worker, forwards what it sends, and sends the
 * operator's actions. When the worker dies (an uncaught error, or silence: it posts stats every
 * second) it is replaced by a new one started with the state the main thread saved, so a crash
 * loses no alarm and acknowledges nothing.
 */
import type { Twin } from '../twin/schema';
import type { AlarmAction, Credentials, EngineRestore, FromWorker, ToWorker } from './protocol';
import type { CommandRequest } from './commands';

export interface EngineClientOptions {
  /** Overrides the twin's connection.url. */
  brokerUrl?: string;
  credentials?: Credentials;
  /** The browser's fixed MQTT client id. */
  clientId?: string;
  /** Alarm state (and known signals) to hand to each worker on start, including restarts. */
  restoreState?: () => EngineRestore | undefined;
  /** Called when a dead worker was replaced. */
  onRestart?: (reason: string) => void;
}

export interface EngineHandle {
  /**
   * Acknowledges an alarm (by rule id) on behalf of an operator. With a `requestId`, the worker answers
   * with a 'request-result' of that id (applied here, or by the alarm service, or why not).
   */
  acknowledge(alarmId: string, operator?: string, comment?: string, requestId?: string): void;
  /** Shelve, unshelve, out of service, reset, comment; `requestId` as for acknowledge. */
  alarmAction(action: AlarmAction, requestId?: string): void;
  /** Publishes a command to the plant; its states come back as 'command-state' messages. */
  command(request: CommandRequest): void;
  /** Disconnects and ends the worker; no message is forwarded after this. */
  stop(): void;
  /** False once stopped, or once a worker that kept dying was given up: actions would go nowhere. */
  readonly alive: boolean;
}

/** After `stop`, the worker gets this long to disconnect cleanly before it is terminated. */
const STOP_GRACE_MS = 1500;
/** A worker that has said nothing for this long is taken for dead (it posts stats every second). */
export const SILENCE_LIMIT_MS = 5000;
/** At most this many restarts per RESTART_WINDOW_MS; beyond that a worker that cannot live is reported. */
export const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/**
 * When an engine worker last said anything, across restarts (null while none runs): the kiosk's
 * page watchdog (src/app/watchdog.ts) reloads the page when this stays old although restarts were tried.
 */
let heardAt: number | null = null;
export function engineHeardAt(): number | null {
  return heardAt;
}

/** Test hook (the kiosk's `?testHooks=1`): every engine worker, and each one started later, goes silent. */
let freezeForTest = false;
const liveWorkers = new Set<Worker>();
export function freezeEngineWorkersForTest(): void {
  freezeForTest = true;
  for (const w of liveWorkers) w.postMessage({ type: 'test-freeze' } satisfies ToWorker);
}

/**
 * Starts the engine worker for a twin; every message it sends goes to `onMessage`. A batch's samples
 * are valid only until `onMessage` returns: their buffer then goes back to the worker to be refilled.
 */
export function startEngine(
  twin: Twin,
  opts: EngineClientOptions,
  onMessage: (message: FromWorker) => void,
): EngineHandle {
  let stopped = false;
  let givenUp = false;
  let worker: Worker;
  let lastHeard = Date.now();
  let started = false;
  const restarts: number[] = [];
  const send = (message: ToWorker) => worker.postMessage(message);

  const spawn = () => {
    const w = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    worker = w;
    lastHeard = Date.now();
    heardAt ??= lastHeard;
    liveWorkers.add(w);
    w.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      if (stopped || w !== worker) return;
      lastHeard = heardAt = Date.now();
      started = true;
      const data = event.data;
      onMessage(data);
      // The receiver has applied the batch (TelemetryStore copies what it keeps): its buffer goes back
      // to the worker to be filled again, instead of a new one per batch there and garbage here.
      if (data.type === 'batch' && w === worker && !stopped) {
        const buffer = data.samples.buffer as ArrayBuffer;
        w.postMessage({ type: 'recycle', buffer } satisfies ToWorker, [buffer]);
      }
    });
    w.addEventListener('error', (event: ErrorEvent) => {
      if (stopped || w !== worker) return;
      // A load failure (bad chunk, CSP) gives an ErrorEvent without a message.
      const message = event.message || 'the engine worker failed to load';
      onMessage({ type: 'error', message });
      // A worker that ran and then threw is replaced; one that never ran would only fail again.
      if (started) restart(`the engine worker failed: ${message}`);
    });
    w.addEventListener('messageerror', () => {
      if (!stopped && w === worker) {
        onMessage({ type: 'error', message: 'a message from the engine worker could not be read' });
      }
    });
    const start: ToWorker = { type: 'start', twin };
    if (opts.brokerUrl !== undefined) start.brokerUrl = opts.brokerUrl;
    if (opts.credentials !== undefined) start.credentials = opts.credentials;
    if (opts.clientId !== undefined) start.clientId = opts.clientId;
    const restore = opts.restoreState?.();
    if (restore !== undefined) start.restore = restore;
    // Frozen before it starts: a restarted worker that hangs at once, never heard from.
    if (freezeForTest) send({ type: 'test-freeze' });
    send(start);
  };

  const restart = (reason: string) => {
    const now = Date.now();
    while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      onMessage({ type: 'error', message: `${reason}; not restarted again (${MAX_RESTARTS} restarts in a minute)` });
      givenUp = true;
      clearInterval(watchdog);
      return;
    }
    restarts.push(now);
    worker.terminate();
    liveWorkers.delete(worker);
    started = false;
    spawn();
    opts.onRestart?.(reason);
  };

  const watchdog = setInterval(() => {
    if (!stopped && started && Date.now() - lastHeard > SILENCE_LIMIT_MS) {
      restart(`the engine worker stopped responding for ${SILENCE_LIMIT_MS / 1000} s`);
    }
  }, 1000);

  spawn();

  return {
    acknowledge(alarmId, operator, comment, requestId) {
      if (stopped) return;
      const message: ToWorker = { type: 'acknowledge', alarmId };
      if (operator !== undefined) message.operator = operator;
      if (comment) message.comment = comment;
      if (requestId !== undefined) message.requestId = requestId;
      send(message);
    },
    alarmAction(action, requestId) {
      if (stopped) return;
      const message: ToWorker = { type: 'alarm-action', action };
      if (requestId !== undefined) message.requestId = requestId;
      send(message);
    },
    command(request) {
      if (!stopped) send({ type: 'command', request });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watchdog);
      send({ type: 'stop' });
      // The worker closes itself after disconnecting; terminate in case it cannot.
      const w = worker;
      liveWorkers.delete(w);
      if (liveWorkers.size === 0) heardAt = null;
      setTimeout(() => w.terminate(), STOP_GRACE_MS);
    },
    get alive() {
      return !stopped && !givenUp;
    },
  };
}
