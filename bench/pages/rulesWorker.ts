/** Runs the rules workload inside a module worker (the engine's home in the browser). */
import { runRulesBench } from './rulesCore';

const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (e: MessageEvent<{ messages: number; rounds: number }>) => {
  try {
    scope.postMessage({ ok: true, result: runRulesBench(e.data.messages, e.data.rounds) });
  } catch (err) {
    scope.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
