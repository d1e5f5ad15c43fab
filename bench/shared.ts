/**
 * `npm run bench -- shared`: the engine service (server/service) under the solar-farm stream.
 *
 * 1. Keeping up: the service in Node against Mosquitto with the solar-farm stream (server/sim/solarFarm.ts
 *    in its own process: 1,000 messages/s of 100 readings, 100,000 readings/s), first with no rules
 *    (baseline), then with 10,000 rules (one per panel, as the demo's dead-panel rule), same run. Figures:
 *    readings/s taken vs published, CPU share of one core, rule evaluations/s, and the ratios.
 * 2. Memory: the service process's heap (after a full collection) and RSS sampled every 5 s over the rules run (default 1 minute;
 *    `--minutes 10` for the ten minutes), with the growth per minute.
 * 3. Acknowledgement propagation: a request on twinview/v1/<twin>/requests/<user> to the acknowledged
 *    alarm arriving at three subscribers (MQTT clients in Node standing in for dashboards), under the
 *    stream, p50/p95.
 *
 * The service runs inside this process (the subscribers are light beside it): its CPU is this process's.
 * Prints figures, each with its target (MISS when missed: readings kept up >= 99 % and CPU headroom >= 3x
 * with rules), and writes bench/results/shared.json. Flags: --minutes M, --baseline S, --samples N,
 * --broker-nodelay on|off (Mosquitto's set_tcp_nodelay; default on, as docs/operations.md recommends).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import mqtt, { type MqttClient } from 'mqtt';
import { findMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';
import { TwinService, TICK_MS } from '../server/service/host';
import { StateStore } from '../server/service/persistence';
import { validateTwin } from '../src/twin/validate';
import type { Twin } from '../src/twin/schema';
import { topics } from '../src/engine/namespace';
import { formatRound, meets, type Target } from './_rounds';

/** The service keeps up with the stream, with 10,000 rules, using at most a third of a core (3x headroom). */
const KEPT_UP_TARGET: Target = { min: 99 };
const HEADROOM_TARGET: Target = { min: 3 };

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const ROWS = 100;
const COLUMNS = 100;
const READINGS_PER_MESSAGE = COLUMNS;
const STREAM_READINGS_PER_S = 100_000;
const TRIGGER = 'bench.trigger';
const WARMUP_S = 5;

/** The demo solar farm, with no rules or with one rule per panel, plus a trigger rule for the acknowledgement rounds. */
export function solarTwin(withRules: boolean): Twin {
  const doc = JSON.parse(readFileSync(join(root, 'models/solar-farm/twin.json'), 'utf8')) as Record<string, unknown> & {
    connection: { subscribe: unknown[] };
    signals: unknown[];
  };
  doc.connection.subscribe.push('bench/#');
  doc.signals.push({ id: TRIGGER, topic: 'bench/trigger', label: 'Bench trigger', unit: '' });
  const rules: unknown[] = [{ id: TRIGGER, when: `${TRIGGER} > 0`, priority: 'high', message: 'Bench trigger' }];
  if (withRules)
    for (let r = 0; r < ROWS; r++)
      for (let c = 0; c < COLUMNS; c++)
        rules.push({
          id: `panel-r${r}c${c}-dead`,
          when: `r${r}c${c}.power < 5`,
          for: '3s',
          priority: 'high',
          message: `Panel r${r}c${c} produces no power`,
        });
  doc.rules = rules;
  const result = validateTwin(doc);
  if (!result.ok) throw new Error(`bench twin invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result.twin;
}

// A full collection before each memory sample, so the figure is what the service retains, not where
// the collector happens to be in its cycle.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Mosquitto on loopback TCP, with `set_tcp_nodelay true` as docs/operations.md recommends unless
 * `nodelay` is false (Nagle's algorithm then holds small writes up to a delayed ACK, ~40 ms).
 */
async function startBroker(port: number, nodelay: boolean): Promise<{ stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const lines = ['allow_anonymous true', 'persistence false', `listener ${port} 127.0.0.1`];
  if (nodelay) lines.push('set_tcp_nodelay true');
  writeFileSync(conf, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(findMosquitto(), ['-c', conf], { stdio: 'ignore' });
  const open = () =>
    new Promise<boolean>((done) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), done(true)));
      s.once('error', () => done(false));
    });
  const deadline = Date.now() + 10_000;
  while (!(await open())) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('mosquitto did not start');
    await sleep(50);
  }
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PhaseResult {
  seconds: number;
  rules: number;
  messagesPerS: number;
  readingsPerS: number;
  publishedReadingsPerS: number;
  /** Readings taken / readings published in the window. */
  keptUp: number;
  /** CPU time of the service's process per wall second (1 = one core). */
  cpuShare: number;
  /** Rule evaluations per second: one per reading of a signal with a rule, plus every rule each tick. */
  evaluationsPerS: number;
}

interface MemorySample {
  t: number;
  rssMB: number;
  heapMB: number;
}

async function phase(
  name: string,
  twin: Twin,
  brokerUrl: string,
  seconds: number,
  published: () => number,
  during?: (service: TwinService) => Promise<void>,
  memory?: MemorySample[],
): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-bench-shared-'));
  // The farm's 10,000 panels fill the default signal limit; the trigger is one more.
  const service = new TwinService({
    twin,
    store: new StateStore(dir, twin.id),
    brokerUrl,
    maxSignals: ROWS * COLUMNS + 1,
    log: (l) => console.log(`  [service] ${l}`),
    info: () => {},
  });
  service.start();
  await Promise.race([service.online(), sleep(15_000).then(() => Promise.reject(new Error('service not online')))]);
  await sleep(WARMUP_S * 1000);
  const m0 = service.stats().messages;
  const p0 = published();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const started = Date.now();
  const sampler = memory
    ? setInterval(() => {
        collect();
        const m = process.memoryUsage();
        memory.push({ t: (Date.now() - started) / 1000, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 });
      }, 5000)
    : null;
  await Promise.all([sleep(seconds * 1000), during?.(service)]);
  if (sampler) clearInterval(sampler);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const messages = service.stats().messages - m0;
  const publishedReadings = (published() - p0) * READINGS_PER_MESSAGE;
  await service.stop();
  const rules = twin.rules.length;
  const readingsPerS = (messages * READINGS_PER_MESSAGE) / wall;
  const result: PhaseResult = {
    seconds: wall,
    rules,
    messagesPerS: messages / wall,
    readingsPerS,
    publishedReadingsPerS: publishedReadings / wall,
    keptUp: publishedReadings > 0 ? (messages * READINGS_PER_MESSAGE) / publishedReadings : 0,
    cpuShare: (cpu.user + cpu.system) / 1e6 / wall,
    // The trigger rule is one of `rules`; each panel reading has exactly one rule when the panels have rules.
    evaluationsPerS: (rules > 1 ? readingsPerS : 0) + rules * (1000 / TICK_MS),
  };
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log(
    `${name}: ${k(result.readingsPerS)} readings/s taken of ${k(result.publishedReadingsPerS)} published ` +
      `(${(result.keptUp * 100).toFixed(1)}%), CPU ${(result.cpuShare * 100).toFixed(0)}% of a core, ` +
      `${(result.evaluationsPerS / 1e6).toFixed(2)} M rule evaluations/s (${rules} rules)`,
  );
  return result;
}

/** Acknowledgement rounds: raise the trigger alarm, acknowledge it, time its arrival at three subscribers, clear it. */
export async function ackLatency(
  brokerUrl: string,
  twinId: string,
  samples: number,
  service: TwinService,
): Promise<number[]> {
  const alarmTopic = topics.alarm(twinId, TRIGGER);
  // Nagle off, as a browser's WebSocket has it: these clients stand in for dashboards.
  const connect = async () => {
    const c = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
    (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    return c;
  };
  const dashboards: { client: MqttClient; state: string | null; at: number }[] = [];
  let notify: () => void = () => {};
  for (let i = 0; i < 3; i++) {
    const d = { client: await connect(), state: null as string | null, at: 0 };
    d.client.on('message', (_topic, payload) => {
      const text = payload.toString();
      d.state = text === '' ? 'gone' : (JSON.parse(text) as { state: string }).state;
      d.at = performance.now();
      notify();
    });
    await d.client.subscribeAsync(alarmTopic, { qos: 1 });
    dashboards.push(d);
  }
  const operator = await connect();
  const allIn = (state: string, timeoutMs = 5000) =>
    new Promise<boolean>((done) => {
      const check = () => {
        if (dashboards.every((d) => d.state === state)) {
          clearTimeout(timer);
          notify = () => {};
          done(true);
        }
      };
      const timer = setTimeout(() => {
        notify = () => {};
        done(false);
      }, timeoutMs);
      notify = check;
      check();
    });
  const latencies: number[] = [];
  let lost = 0;
  try {
    for (let i = 0; i < samples; i++) {
      await operator.publishAsync('bench/trigger', '1', { qos: 1 });
      if (!(await allIn('active')))
        throw new Error(
          `the trigger alarm did not reach the three subscribers (they hold ${dashboards.map((d) => d.state).join(', ')}; ${JSON.stringify(service.stats())}, ${service.alarms().length} alarms)`,
        );
      const request = { v: 1, id: `ack-${i}`, kind: 'acknowledge', alarmId: TRIGGER };
      const t0 = performance.now();
      await operator.publishAsync(topics.requests(twinId, 'bench-operator'), JSON.stringify(request), { qos: 1 });
      if (await allIn('acknowledged')) for (const d of dashboards) latencies.push(d.at - t0);
      else lost++;
      await operator.publishAsync('bench/trigger', '0', { qos: 1 });
      await allIn('gone');
    }
  } finally {
    await Promise.all([operator, ...dashboards.map((d) => d.client)].map((c) => c.endAsync(true)));
  }
  if (lost > 0) console.log(`  ${lost} acknowledgements did not reach all three subscribers within 5 s`);
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Least-squares slope of heap over time, MB per minute. */
function growthPerMinute(samples: MemorySample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mt = samples.reduce((s, m) => s + m.t, 0) / n;
  const mh = samples.reduce((s, m) => s + m.heapMB, 0) / n;
  let num = 0;
  let den = 0;
  for (const m of samples) {
    num += (m.t - mt) * (m.heapMB - mh);
    den += (m.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: 'string', default: '1' },
      baseline: { type: 'string', default: '15' },
      samples: { type: 'string', default: '30' },
      'broker-nodelay': { type: 'string', default: 'on' },
    },
  });
  const minutes = Math.max(0.25, Number(values.minutes));
  const baselineS = Math.max(5, Number(values.baseline));
  const samples = Math.max(5, Number(values.samples));

  const tcp = await freePort();
  const nodelay = values['broker-nodelay'] !== 'off';
  const broker = await startBroker(tcp, nodelay);
  const brokerUrl = `mqtt://127.0.0.1:${tcp}`;
  const publisher = spawn(process.execPath, ['--import', 'tsx', join(here, '_solar-publisher.ts'), brokerUrl], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let published = 0;
  publisher.stdout.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    published = (JSON.parse(lines[lines.length - 1]) as { published: number }).published;
  });
  try {
    console.log(
      `solar-farm stream: ${ROWS * COLUMNS} panels, ${STREAM_READINGS_PER_S / 1000}k readings/s in ${ROWS * 10} messages/s, ` +
        `Mosquitto over TCP${nodelay ? ' (set_tcp_nodelay true)' : ''}; baseline ${baselineS} s, rules ${minutes} min (after ${WARMUP_S} s warm-up each)`,
    );
    const without = await phase('no rules', solarTwin(false), brokerUrl, baselineS, () => published);
    const memory: MemorySample[] = [];
    let latencies: number[] = [];
    const twin = solarTwin(true);
    const withRules = await phase(
      '10,000 rules',
      twin,
      brokerUrl,
      minutes * 60,
      () => published,
      async (service) => {
        latencies = await ackLatency(brokerUrl, twin.id, samples, service);
      },
      memory,
    );
    latencies.sort((a, b) => a - b);
    const ack = {
      samples: latencies.length,
      subscribers: 3,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies[latencies.length - 1] ?? NaN,
    };
    const after = memory.filter((m) => m.t >= 10);
    const mem = {
      samples: memory,
      heapStartMB: after[0]?.heapMB ?? NaN,
      heapEndMB: after[after.length - 1]?.heapMB ?? NaN,
      heapMaxMB: Math.max(...memory.map((m) => m.heapMB)),
      rssMaxMB: Math.max(...memory.map((m) => m.rssMB)),
      heapGrowthMBPerMin: growthPerMinute(after),
    };
    const cpuRatio = withRules.cpuShare / without.cpuShare;
    console.log(
      `rules cost: CPU ×${cpuRatio.toFixed(2)} of the stream without rules; ` +
        `the service takes ${(withRules.keptUp * 100).toFixed(1)}% of the readings with rules vs ${(without.keptUp * 100).toFixed(1)}% without; ` +
        `headroom ×${(1 / withRules.cpuShare).toFixed(1)} of one core with rules`,
    );
    console.log(
      `memory over ${minutes} min with rules: heap ${mem.heapStartMB.toFixed(0)} → ${mem.heapEndMB.toFixed(0)} MB ` +
        `(max ${mem.heapMaxMB.toFixed(0)}, ${mem.heapGrowthMBPerMin >= 0 ? '+' : ''}${mem.heapGrowthMBPerMin.toFixed(2)} MB/min), RSS max ${mem.rssMaxMB.toFixed(0)} MB`,
    );
    console.log(
      `acknowledgement → 3 subscribers (request publish to the acknowledged alarm at each, under the stream, ${ack.samples} arrivals): ` +
        `p50 ${ack.p50.toFixed(1)} ms, p95 ${ack.p95.toFixed(1)} ms, max ${ack.max.toFixed(1)} ms`,
    );
    const headroom = 1 / withRules.cpuShare;
    console.log(
      formatRound(0, 1, withRules.keptUp * 100, KEPT_UP_TARGET, {
        digits: 1,
        unit: '%',
        detail: 'of the readings taken with 10,000 rules',
      }),
    );
    console.log(
      formatRound(0, 1, headroom, HEADROOM_TARGET, {
        unit: '×',
        detail: 'CPU headroom with 10,000 rules (one core / the CPU share used)',
      }),
    );
    const targets = {
      'kept up with rules >= 99%': meets(withRules.keptUp * 100, KEPT_UP_TARGET),
      'CPU headroom with rules >= 3x': meets(headroom, HEADROOM_TARGET),
    };
    const results = {
      date: new Date().toISOString(),
      targets,
      streamReadingsPerS: STREAM_READINGS_PER_S,
      brokerNoDelay: nodelay,
      baseline: without,
      rules: withRules,
      cpuRatio,
      memory: mem,
      acknowledgement: ack,
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'shared.json'), JSON.stringify(results, null, 2) + '\n');
    console.log('wrote bench/results/shared.json');
  } finally {
    publisher.kill('SIGTERM');
    await broker.stop();
  }
}
