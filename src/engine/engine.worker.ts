/**
 * The engine worker entry (a module worker): wires EngineSession to the worker scope. Everything
 * it does lives in workerSession.ts so it can be tested without a worker.
 */
import type { ToWorker } from './protocol';
import { EngineSession } from './workerSession';
import { loadSparkplug, needsSparkplug, sparkplugLoaded } from './sparkplugIngest';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// A frozen worker (test hook, the kiosk watchdog's end-to-end test) hears and says nothing, as a hung one.
let frozen = false;

const session = new EngineSession({
  post: (message, transfer) => {
    if (!frozen) scope.postMessage(message, transfer ?? []);
  },
  close: () => scope.close(),
});

// A twin that reads Sparkplug starts once its decoder (a chunk of its own) is here; messages that
// arrive meanwhile wait, in order.
const waiting: ToWorker[] = [];
let loadingDecoder = false;

function deliver(message: ToWorker): void {
  if (message.type === 'test-freeze') frozen = true;
  if (frozen) return;
  if (loadingDecoder) {
    waiting.push(message);
  } else if (message.type === 'start' && needsSparkplug(message.twin) && !sparkplugLoaded()) {
    loadingDecoder = true;
    waiting.push(message);
    loadSparkplug().then(flush, (err: unknown) => {
      scope.postMessage({ type: 'error', message: `the Sparkplug decoder could not be loaded: ${String(err)}` });
      flush();
    });
  } else {
    session.handle(message);
  }
}

function flush(): void {
  loadingDecoder = false;
  for (const message of waiting.splice(0)) deliver(message);
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => deliver(event.data));

// A rejected promise in the worker would otherwise vanish; the operator should see it.
scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  const reason: unknown = event.reason;
  scope.postMessage({ type: 'error', message: reason instanceof Error ? reason.message : String(reason) });
});
