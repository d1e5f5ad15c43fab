/**
 * The rules benchmark's workload, shared by Node and the browser worker: 10,000 rules of mixed kinds
 * over 1,000 signals, and a stream stamped at 100,000 messages per second of simulated time. The
 * baseline is the same stream through an engine with no rules (routing, decoding, batching only).
 */
import { Engine } from '../../src/engine/engine';
import { RuleSet } from '../../src/engine/rules';
import { twinSchema, type Twin } from '../../src/twin/schema';

export const SIGNALS = 1000;
export const RULES_PER_SIGNAL = 10;
export const STREAM_RATE = 100_000;
const TICK_MS = 250;

/** Ten rules per signal, one of each kind (the expression reads this signal and the next one). */
export function rulesTwin(withRules: boolean): Twin {
  const rules: unknown[] = [];
  if (withRules) {
    for (let k = 0; k < SIGNALS; k++) {
      const s = `s${k}.v`;
      const next = `s${(k + 1) % SIGNALS}.v`;
      const base = { message: `rule on ${s}`, priority: 'medium' };
      rules.push(
        { ...base, id: `${s}.hi`, when: `${s} > 90`, deadband: 2 },
        { ...base, id: `${s}.range`, when: `${s} < 5 || ${s} > 95` },
        { ...base, id: `${s}.delayed`, when: `${s} > 85`, for: '2s', offDelay: '1s' },
        { ...base, id: `${s}.rate`, when: `rate(${s}, 1m) > 5` },
        { ...base, id: `${s}.avg`, when: `avg(${s}, 5m) > 80` },
        { ...base, id: `${s}.expr`, when: `abs(${s} - ${next}) > 60 && max(${s}, ${next}) > 70` },
        { ...base, id: `${s}.stale`, when: `age(${s}) > 30s` },
        { ...base, id: `${s}.suppressed`, when: `${s} < 10`, suppressWhen: `${next} < 20` },
        { ...base, id: `${s}.anomaly`, kind: 'anomaly', signal: s, sigmas: 5, warmup: 20 },
        { ...base, id: `${s}.forecast`, kind: 'forecast', signal: s, limit: 99, window: '1m', horizon: '5m' },
      );
    }
  }
  return twinSchema.parse({
    id: 'bench-rules',
    title: 'Rules bench',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['r/#'] },
    signals: [{ id: 's{k}.v', topic: 'r/+k', decoder: 'number' }],
    rules,
  });
}

export interface StreamResult {
  messages: number;
  seconds: number;
  messagesPerS: number;
  /** Rule evaluations (per-message dependents plus every rule at each 250 ms tick). */
  evaluations: number;
  evaluationsPerS: number;
  alarmChanges: number;
  /** CPU seconds of the process over the stream (Node only: a figure a busy machine disturbs less than wall time). */
  cpuSeconds?: number;
  /**
   * The stream's rate in each slice of SLICE_MESSAGES messages, as a multiple of the stream rate, in
   * order. The same work runs at two speeds that switch without a GC or an optimisation between them
   * (docs/scene-performance.md): the slices show whether a slow round was slow throughout or in phases.
   */
  slices: number[];
}

/** Messages per slice of StreamResult.slices. */
export const SLICE_MESSAGES = 10_000;

/**
 * Feeds `messages` messages (a random walk per signal, so rules raise and clear) through an engine,
 * with simulated time advancing at STREAM_RATE; ticks every 250 ms of simulated time and takes a
 * batch every 16 ms, as the worker does.
 */
export function runStream(twin: Twin, messages: number, now: () => number = performanceNow): StreamResult {
  let t = 1_700_000_000_000;
  const engine = new Engine(twin, { now: () => t });
  const dependents = new Float64Array(SIGNALS);
  const set = new RuleSet(twin.rules, 0);
  for (const r of set.rules) for (const id of r.signals) dependents[Number(id.slice(1, -2))]++;
  const topics = Array.from({ length: SIGNALS }, (_, k) => `r/${k}`);
  // Payloads prepared up front: the benchmark measures the engine, not string building.
  const levels = 64;
  const payloads = Array.from({ length: levels }, (_, i) => String(Math.round((i * 100) / (levels - 1))));
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  // Signals start spread over the whole range, so some rules raise and clear from the start.
  const state = Int32Array.from({ length: SIGNALS }, () => Math.floor(random() * levels));
  const step = 1000 / STREAM_RATE;
  let nextTick = t + TICK_MS;
  let nextFlush = t + 16;
  let evaluations = 0;
  let alarmChanges = 0;
  const sliceEnds = new Float64Array(Math.floor(messages / SLICE_MESSAGES));
  let nextSlice = SLICE_MESSAGES - 1;
  let slice = 0;
  const cpu = cpuUsage();
  const start = now();
  for (let i = 0; i < messages; i++) {
    t += step;
    const k = i % SIGNALS;
    const r = random();
    state[k] = Math.max(0, Math.min(levels - 1, state[k] + (r < 0.45 ? -2 : r > 0.55 ? 2 : 0)));
    engine.handleMessage(topics[k], payloads[state[k]]);
    evaluations += dependents[k];
    if (t >= nextTick) {
      engine.tick(t);
      evaluations += twin.rules.length;
      nextTick += TICK_MS;
    }
    if (t >= nextFlush) {
      if (engine.takeBatch().alarms) alarmChanges++;
      engine.takeAudit();
      nextFlush += 16;
    }
    if (i === nextSlice) {
      sliceEnds[slice++] = now();
      nextSlice += SLICE_MESSAGES;
    }
  }
  const seconds = (now() - start) / 1000;
  const slices = Array.from(
    sliceEnds,
    (end, k) => SLICE_MESSAGES / ((end - (k === 0 ? start : sliceEnds[k - 1])) / 1000) / STREAM_RATE,
  );
  const result: StreamResult = {
    messages,
    seconds,
    messagesPerS: messages / seconds,
    evaluations,
    evaluationsPerS: evaluations / seconds,
    alarmChanges,
    slices,
  };
  if (cpu !== null) {
    const used = cpuUsage()!;
    result.cpuSeconds = (used.user + used.system - cpu.user - cpu.system) / 1e6;
  }
  return result;
}

/** process.cpuUsage() in Node; null in a browser worker. */
function cpuUsage(): { user: number; system: number } | null {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  return p?.cpuUsage ? p.cpuUsage() : null;
}

/**
 * One round as the benchmark runs it in a fresh process or worker: a short warm-up with rules (so the
 * round times optimised code, as a long-running service has), then the baseline and the rules streams.
 */
export function runRound(messages: number): RulesBenchResult {
  runStream(rulesTwin(true), Math.min(messages, 50_000));
  const baseline = runStream(rulesTwin(false), messages);
  const rules = runStream(rulesTwin(true), messages);
  return { baseline, rules, realTimeFactor: rules.messagesPerS / STREAM_RATE };
}

function performanceNow(): number {
  return performance.now();
}

export interface RulesBenchResult {
  baseline: StreamResult;
  rules: StreamResult;
  /** Share of the stream rate the engine with 10,000 rules keeps up with (1 = real time). */
  realTimeFactor: number;
}

/** Baseline then rules, `rounds` times each, best of each (the machine is shared and noisy). */
export function runRulesBench(messages: number, rounds: number): RulesBenchResult {
  const plain = rulesTwin(false);
  const full = rulesTwin(true);
  let baseline: StreamResult | null = null;
  let rules: StreamResult | null = null;
  for (let r = 0; r < rounds; r++) {
    const b = runStream(plain, messages);
    const x = runStream(full, messages);
    if (!baseline || b.seconds < baseline.seconds) baseline = b;
    if (!rules || x.seconds < rules.seconds) rules = x;
  }
  return { baseline: baseline!, rules: rules!, realTimeFactor: rules!.messagesPerS / STREAM_RATE };
}
