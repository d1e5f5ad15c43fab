/**
 * The engine worker entry (a module worker): wires EngineSession to the worker scope. Everything
 * it does lives in workerSession.ts so it can be tested without a worker.
 */
import type { ToWorker } from './protocol';
import { EngineSession } from './workerSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const session = new EngineSession({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  close: () => scope.close(),
});

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => session.handle(event.data));

// A rejected promise in the worker would otherwise vanish; the operator should see it.
scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  const reason: unknown = event.reason;
  scope.postMessage({ type: 'error', message: reason instanceof Error ? reason.message : String(reason) });
});
