/**
 * `npm run bench -- history`: the historian (server/history), figures not tests.
 *
 * 1. Databases (the choice of the embedded one): bulk inserts of 10,000 per-second bucket rows (what the
 *    solar farm makes each second) into DuckDB through its appender (the baseline), DuckDB by a multi-row
 *    INSERT with bound parameters, PGlite and a PostgreSQL server by INSERT ... SELECT FROM unnest(arrays);
 *    rows/s per round and the longest event-loop stall (PGlite runs its WebAssembly on this thread).
 * 2. Recorder ingest at the solar-farm rate (100 rows x 100 panels x 10/s = 100,000 readings/s, the same
 *    payloads as server/sim/solarFarm.ts, fed to the Engine in this process as the service's broker client
 *    would): first the engine alone (baseline), then engine + recorder into DuckDB; readings/s taken vs
 *    offered, CPU share of one core, rows written and dropped, and heap/RSS sampled every 5 s (after a
 *    full collection). Then the same rows the recorder wrote are bulk-inserted raw into a fresh table of
 *    the same database: the ratio is the recorder's extra CPU time to that raw insert time.
 * 3. Query: 8 signals x 24 h of buckets (691,200 rows) to 1,000 points each, as the API's series
 *    endpoint does it, on DuckDB and on PostgreSQL.
 * 4. Seek: a snapshot (each signal's last value at a moment) of 200 signals x 24 h of changes.
 *
 * Flags: --seconds S (each ingest run, default 20), --minutes M (the recorder run instead, for memory over a
 * long run, e.g. --minutes 10), --rounds N (default 5), --no-postgres. Writes bench/results/history.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine } from '../src/engine/engine';
import { validateTwin } from '../src/twin/validate';
import type { Twin } from '../src/twin/schema';
import { SolarFarm } from '../server/sim/solarFarm';
import { Recorder } from '../server/history/recorder';
import { openDriver } from '../server/history/drivers';
import {
  batchRows,
  emptyBatch,
  SqlHistoryStore,
  type HistoryStore,
  type SqlDriver,
  type WriteBatch,
} from '../server/history/store';
import { columnsToPoints, columnWidth } from '../server/history/params';
import { startPostgres, createDatabase, type Postgres } from '../e2e/postgres';
import { freePort } from '../server/test/ports';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const DAY = 86_400_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function bucketBatch(signals: number, t: number, sigBase = 1): WriteBatch {
  const b = emptyBatch();
  for (let i = 0; i < signals; i++) {
    const v = 200 + Math.sin(i + t / 1000) * 100;
    b.buckets.sig.push(sigBase + i);
    b.buckets.t.push(t);
    b.buckets.n.push(10);
    b.buckets.first.push(v);
    b.buckets.min.push(v - 3);
    b.buckets.max.push(v + 3);
    b.buckets.last.push(v + 1);
  }
  return b;
}

/** DuckDB with a multi-row INSERT and bound parameters (what the appender is compared with). */
async function insertMultiRow(driver: SqlDriver, b: WriteBatch): Promise<void> {
  const k = b.buckets;
  for (let start = 0; start < k.sig.length; start += 1000) {
    const rows: string[] = [];
    const params: unknown[] = [];
    for (let i = start; i < Math.min(k.sig.length, start + 1000); i++) {
      const p = params.length;
      rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`);
      params.push(k.sig[i], k.t[i], k.n[i], k.first[i], k.min[i], k.max[i], k.last[i]);
    }
    await driver.query(
      `INSERT INTO tv_hist_buckets (sig, t, n, v_first, v_min, v_max, v_last) VALUES ${rows.join(', ')}`,
      params,
    );
  }
}

/** Appends every column of `from` to the same column of `into`. */
function appendInto<T extends object>(into: T, from: T): void {
  const a = into as Record<string, unknown[]>;
  const b = from as Record<string, unknown[]>;
  for (const k of Object.keys(b)) for (const v of b[k]) a[k].push(v);
}

interface EngineRound {
  database: string;
  round: number;
  rowsPerS: number;
  maxStallMs: number;
}

async function databases(
  rounds: number,
  postgres: Postgres | null,
  dir: string,
): Promise<{
  rounds: EngineRound[];
  summary: Record<string, { rowsPerS: number; ratio: number; maxStallMs: number }>;
}> {
  console.log('\n1. Bulk insert of 10,000 bucket rows per round (one second of the solar farm)');
  const candidates: {
    name: string;
    open: () => Promise<SqlDriver>;
    write: (d: SqlDriver, b: WriteBatch) => Promise<void>;
  }[] = [
    {
      name: 'duckdb appender',
      open: () => openDriver({ kind: 'duckdb', location: join(dir, 'a.duckdb') }),
      write: (d, b) => d.write(b),
    },
    {
      name: 'duckdb multi-row INSERT',
      open: () => openDriver({ kind: 'duckdb', location: join(dir, 'm.duckdb') }),
      write: insertMultiRow,
    },
    {
      name: 'pglite unnest',
      open: () => openDriver({ kind: 'pglite', location: join(dir, 'pglite') }),
      write: (d, b) => d.write(b),
    },
  ];
  if (postgres)
    candidates.push({
      name: 'postgresql unnest',
      open: async () =>
        openDriver({ kind: 'postgresql', location: await createDatabase(postgres.url, 'bench_insert') }),
      write: (d, b) => d.write(b),
    });
  const all: EngineRound[] = [];
  const summary: Record<string, { rowsPerS: number; ratio: number; maxStallMs: number }> = {};
  for (const c of candidates) {
    const driver = await c.open();
    await SqlHistoryStore.open(driver); // the schema
    const rates: number[] = [];
    let worstStall = 0;
    for (let r = 0; r < rounds; r++) {
      const batch = bucketBatch(10_000, 1_800_000_000_000 + r * 1000);
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const t0 = performance.now();
      await c.write(driver, batch);
      const ms = performance.now() - t0;
      lag.disable();
      const stall = Math.min(ms, lag.max / 1e6);
      const rate = 10_000 / (ms / 1000);
      rates.push(rate);
      worstStall = Math.max(worstStall, stall);
      all.push({ database: c.name, round: r + 1, rowsPerS: rate, maxStallMs: stall });
      console.log(`  ${c.name.padEnd(26)} round ${r + 1}: ${fmt(rate).padStart(9)} rows/s  (${fmt(ms, 1)} ms)`);
    }
    await driver.close();
    summary[c.name] = { rowsPerS: median(rates), ratio: 0, maxStallMs: worstStall };
  }
  const base = summary['duckdb appender'].rowsPerS;
  for (const s of Object.values(summary)) s.ratio = s.rowsPerS / base;
  console.log('  median rows/s (ratio to the DuckDB appender):');
  for (const [name, s] of Object.entries(summary))
    console.log(`    ${name.padEnd(26)} ${fmt(s.rowsPerS).padStart(9)}  ×${s.ratio.toFixed(3)}`);
  return { rounds: all, summary };
}

function solarTwin(): Twin {
  const doc = JSON.parse(readFileSync(join(root, 'models/solar-farm/twin.json'), 'utf8')) as Record<string, unknown>;
  doc.rules = [];
  const result = validateTwin(doc);
  if (!result.ok) throw new Error('solar twin invalid');
  return result.twin;
}

interface IngestRun {
  seconds: number;
  offeredReadingsPerS: number;
  readingsPerS: number;
  keptUp: number;
  cpuShare: number;
  rowsWritten?: number;
  rowsPerS?: number;
  dropped?: number;
  memory?: { t: number; heapMB: number; rssMB: number }[];
}

/** Feeds the solar-farm stream (in real time) to an Engine, with or without a recorder. */
async function ingest(twin: Twin, seconds: number, recorder: Recorder | null): Promise<IngestRun> {
  const farm = new SolarFarm();
  // Ten seconds of payloads made beforehand: the stream's cost here is the engine's and the recorder's.
  const payloads: { topic: string; payload: string }[] = [];
  for (let s = 0; s < 100; s++) for (let row = 0; row < farm.rows; row++) payloads.push(farm.rowMessage(row, s * 100));
  const engine = new Engine(twin);
  const rowsPerMs = (farm.rows * 10) / 1000;
  const memory: IngestRun['memory'] = [];
  let sent = 0;
  let next = 0;
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const feed = setInterval(() => {
    const due = Math.floor((Date.now() - started) * rowsPerMs);
    for (let n = Math.min(due - sent, farm.rows * 10); n > 0; n--) {
      const m = payloads[next];
      next = (next + 1) % payloads.length;
      engine.handleMessage(m.topic, m.payload);
    }
    sent = due;
  }, 10);
  // As the service: the engine's output is taken every 100 ms.
  const take = setInterval(() => {
    const out = engine.takeBatch();
    if (!recorder) return;
    if (out.added.length > 0) recorder.addSignals(out.added);
    if (out.batch) recorder.addBatch(out.batch);
  }, 100);
  const sampler = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    memory.push({ t: (Date.now() - started) / 1000, heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 });
  }, 5000);
  recorder?.start();
  await sleep(seconds * 1000);
  clearInterval(feed);
  clearInterval(take);
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const wall = (Date.now() - started) / 1000;
  if (recorder) await recorder.stop();
  const taken = engine.stats().messages * 100;
  const run: IngestRun = {
    seconds: wall,
    offeredReadingsPerS: 100_000,
    readingsPerS: taken / wall,
    keptUp: taken / wall / 100_000,
    cpuShare: (cpu.user + cpu.system) / 1e6 / wall,
  };
  if (recorder) {
    const s = recorder.stats();
    Object.assign(run, { rowsWritten: s.written, rowsPerS: s.written / wall, dropped: s.dropped, memory });
  }
  return run;
}

/**
 * Rows kept for the raw-insert comparison: enough for a steady rate (about half a minute of the solar
 * farm), and bounded, so a long run's memory figures are the recorder's and not this bench's copies.
 */
const CAPTURE_ROWS = 500_000;

/** Records what a store is asked to write (with ids), up to CAPTURE_ROWS rows, to insert them raw afterwards. */
function capturing(store: HistoryStore, into: WriteBatch[]): HistoryStore {
  let captured = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'write')
        return (b: WriteBatch) => {
          if (captured < CAPTURE_ROWS) {
            into.push(b);
            captured += batchRows(b);
          }
          return target.write(b);
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function recorderIngest(seconds: number, recorderSeconds: number, dir: string) {
  console.log(`\n2. Recorder ingest at the solar-farm rate (100,000 readings/s), DuckDB`);
  const twin = solarTwin();
  const baseline = await ingest(twin, seconds, null);
  console.log(
    `  engine alone:      ${fmt(baseline.readingsPerS)} readings/s of 100,000 (${(baseline.keptUp * 100).toFixed(1)} %), CPU ${(baseline.cpuShare * 100).toFixed(0)} % of a core`,
  );
  const location = join(dir, 'ingest.duckdb');
  const driver = await openDriver({ kind: 'duckdb', location });
  const store = await SqlHistoryStore.open(driver);
  const written: WriteBatch[] = [];
  const recorder = new Recorder({
    twin,
    store: capturing(store, written),
    log: (l) => console.log(`  (recorder) ${l}`),
  });
  const withRecorder = await ingest(twin, recorderSeconds, recorder);
  console.log(
    `  engine + recorder: ${fmt(withRecorder.readingsPerS)} readings/s of 100,000 (${(withRecorder.keptUp * 100).toFixed(1)} %), CPU ${(withRecorder.cpuShare * 100).toFixed(0)} % of a core`,
  );
  console.log(
    `  rows written: ${fmt(withRecorder.rowsWritten ?? 0)} (${fmt(withRecorder.rowsPerS ?? 0)}/s: buckets + changes beyond the deadband), dropped: ${withRecorder.dropped}`,
  );
  for (const m of withRecorder.memory ?? [])
    console.log(
      `  memory at ${m.t.toFixed(0).padStart(4)} s: heap ${m.heapMB.toFixed(1)} MB, RSS ${m.rssMB.toFixed(0)} MB`,
    );
  await store.close();
  // The same rows, raw, into fresh tables (same schema and indexes) of the same database engine.
  const raw = await openDriver({ kind: 'duckdb', location: join(dir, 'raw.duckdb') });
  await SqlHistoryStore.open(raw);
  const rows = written.reduce((n, b) => n + batchRows(b), 0);
  const merged = emptyBatch();
  for (const b of written) {
    appendInto(merged.buckets, b.buckets);
    appendInto(merged.values, b.values);
  }
  const t0 = performance.now();
  await raw.write(merged);
  const rawSeconds = (performance.now() - t0) / 1000;
  await raw.close();
  // A long run keeps only its first CAPTURE_ROWS rows: the raw insert of all of them is taken at that rate.
  const total = Math.max(rows, withRecorder.rowsWritten ?? 0);
  const rawAllSeconds = rows > 0 ? (rawSeconds * total) / rows : 0;
  const extraCpu = (withRecorder.cpuShare - baseline.cpuShare) * withRecorder.seconds;
  const ratio = extraCpu / rawAllSeconds;
  console.log(
    `  raw bulk insert of ${total > rows ? `the first ${fmt(rows)} of the ${fmt(total)}` : `the same ${fmt(rows)}`} rows: ` +
      `${rawSeconds.toFixed(2)} s (${fmt(rows / rawSeconds)} rows/s); ` +
      `recorder's extra CPU over the run ${extraCpu.toFixed(1)} s: ×${ratio.toFixed(2)} the raw insert of all its rows at that rate`,
  );
  return {
    baseline,
    withRecorder,
    raw: { rows, seconds: rawSeconds, rowsPerS: rows / rawSeconds, allRows: total, allSecondsAtRate: rawAllSeconds },
    recorderExtraCpuS: extraCpu,
    ratio,
  };
}

/** 8 signals x 24 h of buckets, then the series query to 1,000 points each. */
async function queries(rounds: number, postgres: Postgres | null, dir: string) {
  console.log('\n3. Query: 8 signals x 24 h of per-second buckets to 1,000 points each; 4. seek (snapshot)');
  const targets: { name: string; open: () => Promise<SqlDriver> }[] = [
    { name: 'duckdb', open: () => openDriver({ kind: 'duckdb', location: join(dir, 'q.duckdb') }) },
  ];
  if (postgres)
    targets.push({
      name: 'postgresql',
      open: async () => openDriver({ kind: 'postgresql', location: await createDatabase(postgres.url, 'bench_query') }),
    });
  const out: Record<
    string,
    { loadS: number; seriesMs: number[]; points: number; snapshotMs: number[]; values: number }
  > = {};
  const end = Date.UTC(2026, 10, 30);
  const start = end - DAY;
  for (const target of targets) {
    const driver = await target.open();
    const store = await SqlHistoryStore.open(driver);
    const signals = Array.from({ length: 8 }, (_, i) => `panel${i}.power`);
    const ids = await store.signalIds('bench', signals);
    const t0 = performance.now();
    for (let t = start; t < end; t += 3_600_000) {
      const b = emptyBatch();
      for (let s = t; s < t + 3_600_000; s += 1000) {
        appendInto(b.buckets, bucketBatch(8, s, ids.get(signals[0])!).buckets);
      }
      await store.write(b);
    }
    // Changes of 200 signals every 30 s for the seek.
    const seekNames = Array.from({ length: 200 }, (_, i) => `seek${i}`);
    const seekIds = await store.signalIds('bench', seekNames);
    for (let t = start; t < end; t += 3_600_000) {
      const b = emptyBatch();
      for (let s = t; s < t + 3_600_000; s += 30_000)
        for (const name of seekNames) {
          b.values.sig.push(seekIds.get(name)!);
          b.values.t.push(s + (seekIds.get(name)! % 30) * 1000);
          b.values.v.push(Math.random() * 100);
          b.values.text.push(null);
          b.values.quality.push(0);
        }
      await store.write(b);
    }
    const loadS = (performance.now() - t0) / 1000;
    console.log(`  ${target.name}: loaded 691,200 bucket rows and 576,000 change rows in ${loadS.toFixed(1)} s`);
    const seriesMs: number[] = [];
    let points = 0;
    for (let r = 0; r < rounds; r++) {
      const q0 = performance.now();
      const width = columnWidth(start, end, 1000);
      points = 0;
      for (const signal of signals)
        points += columnsToPoints(await store.series('bench', signal, start, end, width), width).length;
      seriesMs.push(performance.now() - q0);
      console.log(`  ${target.name} series round ${r + 1}: ${seriesMs[r].toFixed(0)} ms (${points} points)`);
    }
    const snapshotMs: number[] = [];
    let values = 0;
    for (let r = 0; r < rounds; r++) {
      const at = start + Math.floor(((r + 0.5) / rounds) * DAY);
      const q0 = performance.now();
      values = (await store.snapshot('bench', at)).length;
      snapshotMs.push(performance.now() - q0);
      console.log(
        `  ${target.name} snapshot round ${r + 1} at +${((at - start) / 3_600_000).toFixed(1)} h: ${snapshotMs[r].toFixed(0)} ms (${values} signals)`,
      );
    }
    out[target.name] = { loadS, seriesMs, points, snapshotMs, values };
    await store.close();
  }
  for (const [name, r] of Object.entries(out))
    console.log(
      `  ${name}: series median ${median(r.seriesMs).toFixed(0)} ms, snapshot median ${median(r.snapshotMs).toFixed(0)} ms`,
    );
  return out;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string' },
      minutes: { type: 'string' },
      rounds: { type: 'string' },
      'no-postgres': { type: 'boolean' },
    },
  });
  const seconds = Number(values.seconds ?? 20);
  const recorderSeconds = values.minutes !== undefined ? Number(values.minutes) * 60 : seconds;
  const rounds = Number(values.rounds ?? 5);
  if (!(seconds > 0 && recorderSeconds > 0 && rounds > 0))
    throw new Error('--seconds, --minutes and --rounds must be positive');
  const dir = mkdtempSync(join(tmpdir(), 'twinview-bench-history-'));
  let postgres: Postgres | null = null;
  try {
    if (!values['no-postgres']) {
      try {
        postgres = await startPostgres({ port: await freePort() });
      } catch (err) {
        console.log(`PostgreSQL not measured: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const engines = await databases(rounds, postgres, dir);
    const ingestResult = await recorderIngest(seconds, recorderSeconds, dir);
    const queryResult = await queries(rounds, postgres, dir);
    const results = {
      when: new Date().toISOString(),
      seconds,
      recorderSeconds,
      rounds,
      databases: engines,
      ingest: ingestResult,
      query: queryResult,
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'history.json'), JSON.stringify(results, null, 2) + '\n');
    console.log('\nwrote bench/results/history.json');
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
