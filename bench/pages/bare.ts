/** The limit: a worker with raw mqtt.js + JSON.parse that only counts, and a main thread that only asks. */
import { expose, watchLongTasks, type BenchState } from './probe';

const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./bareWorker.ts', import.meta.url), { type: 'module' });
const tasks = watchLongTasks();
// What the worker reports; the rest of BenchState is the main thread's (no handler of ours here).
let last: Pick<BenchState, 'online' | 'messages' | 'readings' | 'firstAt' | 'lastAt'> = {
  online: false,
  messages: 0,
  readings: 0,
  firstAt: 0,
  lastAt: 0,
};
worker.addEventListener('message', (e: MessageEvent<typeof last>) => (last = e.data));
worker.postMessage({ type: 'start', url: params.get('broker'), filter: params.get('filter') ?? 'bench/#' });
expose({
  state: () => ({
    ...last,
    longestTaskMs: tasks.longest(),
    longestTaskAt: tasks.longestAt(),
    longTasks: tasks.count(),
    longestHandlerMs: 0,
    longestHandlerAt: 0,
    longestHandlerOf: '',
    slowHandlers: [],
  }),
  reset: () => {
    tasks.reset();
    worker.postMessage({ type: 'reset' });
    last = { ...last, messages: 0, readings: 0, firstAt: 0, lastAt: 0 };
  },
});
