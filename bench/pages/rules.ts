/** Starts the rules workload in a worker and leaves the result on window.rulesBench. */
const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./rulesWorker.ts', import.meta.url), { type: 'module' });
const out = window as unknown as { rulesBench?: unknown };
worker.onmessage = (e: MessageEvent) => {
  out.rulesBench = e.data;
};
worker.onerror = (e) => {
  out.rulesBench = { ok: false, error: e.message || 'worker failed to load' };
};
worker.postMessage({
  messages: Number(params.get('messages') ?? '300000'),
  rounds: Number(params.get('rounds') ?? '2'),
});
