/**
 * The engine worker entry (a module worker): wires EngineSession to the worker scope. Everything
 * it does lives in workerSession.ts so it can be tested without a worker.
 */
import type { ToWorker } from './protocol';
import { EngineSession } from './workerSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// A frozen worker (test hook, the kiosk watchdog's end-to-end test) hears and says nothing, as a hung one.
let frozen = false;

const session = new EngineSession({
  post: (message, transfer) => {
    if (!frozen) scope.postMessage(message, transfer ?? []);
  },
  close: () => scope.close(),
});

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  if (event.data.type === 'test-freeze') frozen = true;
  if (!frozen) session.handle(event.data);
});

// A rejected promise in the worker would otherwise vanish; the operator should see it.
scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  const reason: unknown = event.reason;
  scope.postMessage({ type: 'error', message: reason instanceof Error ? reason.message : String(reason) });
});
