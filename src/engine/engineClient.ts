/**
 * The main thread's side of the engine: starts the worker, forwards what it sends, and sends the
 * operator's actions. Deliberately tiny; the stores decide what to do with the messages.
 */
import type { Twin } from '../twin/schema';
import type { Credentials, FromWorker, ToWorker } from './protocol';

export interface EngineClientOptions {
  /** Overrides the twin's connection.url. */
  brokerUrl?: string;
  credentials?: Credentials;
}

export interface EngineHandle {
  /** Acknowledges an alarm (by rule id) on behalf of an operator. */
  acknowledge(alarmId: string, operator?: string): void;
  /** Disconnects and ends the worker; no message is forwarded after this. */
  stop(): void;
}

/** After `stop`, the worker gets this long to disconnect cleanly before it is terminated. */
const STOP_GRACE_MS = 1500;

/** Starts the engine worker for a twin; every message it sends goes to `onMessage`. */
export function startEngine(
  twin: Twin,
  opts: EngineClientOptions,
  onMessage: (message: FromWorker) => void,
): EngineHandle {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  let stopped = false;
  const send = (message: ToWorker) => worker.postMessage(message);

  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    if (!stopped) onMessage(event.data);
  });
  worker.addEventListener('error', (event: ErrorEvent) => {
    if (stopped) return;
    // A load failure (bad chunk, CSP) gives an ErrorEvent without a message.
    onMessage({ type: 'error', message: event.message || 'the engine worker failed to load' });
  });
  worker.addEventListener('messageerror', () => {
    if (!stopped) onMessage({ type: 'error', message: 'a message from the engine worker could not be read' });
  });

  const start: ToWorker = { type: 'start', twin };
  if (opts.brokerUrl !== undefined) start.brokerUrl = opts.brokerUrl;
  if (opts.credentials !== undefined) start.credentials = opts.credentials;
  send(start);

  return {
    acknowledge(alarmId, operator) {
      if (stopped) return;
      const message: ToWorker = { type: 'acknowledge', alarmId };
      if (operator !== undefined) message.operator = operator;
      send(message);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      send({ type: 'stop' });
      // The worker closes itself after disconnecting; terminate in case it cannot.
      setTimeout(() => worker.terminate(), STOP_GRACE_MS);
    },
  };
}
