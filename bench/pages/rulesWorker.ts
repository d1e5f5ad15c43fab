/** Runs the rules workload inside a module worker (the engine's home in the browser). */
import { runRound, runRulesBench } from './rulesCore';

const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (e: MessageEvent<{ messages: number; rounds: number }>) => {
  try {
    // rounds=1: one round as bench/rules.ts runs it (warm-up, baseline, rules), alternating with Node's.
    const result = e.data.rounds === 1 ? runRound(e.data.messages) : runRulesBench(e.data.messages, e.data.rounds);
    scope.postMessage({ ok: true, result });
  } catch (err) {
    scope.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
