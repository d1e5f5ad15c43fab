/**
 * Twinview's full path: the real engine worker (mqtt.js → topic trie → decoders → batches) and the
 * main-thread TelemetryStore that the scene and panels read. Counts readings as they land in the store.
 */
import { startEngine } from '../../src/engine/engineClient';
import { TelemetryStore } from '../../src/store/telemetry';
import type { FromWorker } from '../../src/engine/protocol';
import type { Twin } from '../../src/twin/schema';
import { expose, watchLongTasks, type BenchState } from './probe';

const params = new URLSearchParams(location.search);
const url = params.get('broker') ?? 'ws://127.0.0.1:9001';
const readingsPerMessage = Number(params.get('readings') ?? '1');

function benchTwin(): Twin {
  const signals: Twin['signals'] =
    readingsPerMessage === 1
      ? [{ id: 's.{k}', topic: 'bench/s/+k', decoder: 'json', path: 'v' }]
      : Array.from({ length: readingsPerMessage }, (_, i) => ({
          id: `b.{dev}.r${i}`,
          topic: 'bench/b/+dev',
          decoder: 'json' as const,
          path: `r[${i}]`,
        }));
  return {
    id: 'bench',
    title: 'Ingest bench',
    connection: { url, mqtt: '3.1.1', subscribe: ['bench/#'], credentials: 'none', keepalive: 30 },
    assets: [],
    signals,
    bindings: [],
    rules: [],
    views: [],
    panels: [],
    commands: [],
  } as unknown as Twin;
}

const store = new TelemetryStore();
const tasks = watchLongTasks();
let online = false;
let readings = 0;
let firstAt = 0;
let lastAt = 0;
let longestHandlerMs = 0;
let longestHandlerAt = 0;
let longestHandlerOf = '';
let resetAt = 0;
const slowHandlers: BenchState['slowHandlers'] = [];
const what = (m: FromWorker): string =>
  m.type === 'batch'
    ? `a batch of ${m.count} readings`
    : m.type === 'signals'
      ? `${m.added.length} new signals`
      : m.type;
// Named, so profiles name it.
const onEngineMessage = (m: FromWorker): void => {
  const t0 = performance.now();
  switch (m.type) {
    case 'signals':
      store.addSignals(m.added);
      break;
    case 'batch': {
      store.applyBatch(m);
      readings += m.count;
      const now = performance.now();
      if (firstAt === 0) firstAt = now;
      lastAt = now;
      break;
    }
    case 'connection':
      online = m.status.state === 'online';
      store.online = online;
      break;
    case 'error':
      console.error(m.message);
      break;
    default:
      break;
  }
  const spent = performance.now() - t0;
  if (spent > longestHandlerMs) {
    longestHandlerMs = spent;
    longestHandlerAt = performance.timeOrigin + t0;
    longestHandlerOf = what(m);
  }
  if (spent > 8 && slowHandlers.length < 100) slowHandlers.push({ at: t0 - resetAt, ms: spent, of: what(m) });
};
startEngine(benchTwin(), { brokerUrl: url }, onEngineMessage);
expose({
  state: () => ({
    // A little after online the SUBSCRIBE has surely been granted; the bench also warms up.
    online,
    messages: readings / readingsPerMessage,
    readings,
    firstAt,
    lastAt,
    longestTaskMs: tasks.longest(),
    longestTaskAt: tasks.longestAt(),
    longTasks: tasks.count(),
    longestHandlerMs,
    longestHandlerAt,
    longestHandlerOf,
    slowHandlers: slowHandlers.slice(),
  }),
  reset: () => {
    tasks.reset();
    readings = firstAt = lastAt = longestHandlerMs = longestHandlerAt = 0;
    longestHandlerOf = '';
    slowHandlers.length = 0;
    resetAt = performance.now();
  },
});
