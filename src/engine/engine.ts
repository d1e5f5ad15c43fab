/**
 * The engine core: topic router → decoders → signal values → rules → alarms, plus the batch of
 * samples the main thread receives. Plain TypeScript with an injected clock, so it runs unchanged in
 * the worker, in Node tests and in the CLI (replaying a recording through new rules).
 *
 * Steady state per message: one Map lookup for the topic, one per signal for its index, the shared
 * decode/parse of the payload, and writes into preallocated typed arrays.
 */
import type { Twin } from '../twin/schema';
import type { AlarmSnapshot, EngineStats, RejectReason, SignalInfo, TelemetryBatch } from './protocol';
import { SAMPLE_STRIDE } from './protocol';
import { TopicRouter, type ResolvedSignal } from './topicTrie';
import { PayloadReader, compileDecoder, DEFAULT_MAX_PAYLOAD_BYTES, type ValueDecoder } from './decode';
import { ThresholdRule, type RuleChange } from './rules';
import { AlarmBook } from './alarms';

export interface EngineOptions {
  /** The clock (ms since the epoch); samples are stamped with arrival time. Default Date.now. */
  now?: () => number;
  /** Payloads larger than this many bytes are rejected as 'too-large'. Default 256 KiB. */
  maxPayloadBytes?: number;
  /** Topics whose routing is cached. Default 10,000. */
  topicCacheSize?: number;
  /** Samples the batch buffer starts with. Default 1,024. */
  initialSamples?: number;
  /**
   * Samples held before the batch is compacted to each signal's newest sample (when nobody takes
   * batches for a long time). Default 1,048,576 (24 MiB).
   */
  maxSamples?: number;
}

/** What accumulated since the last takeBatch(). */
export interface EngineOutput {
  /** Signals seen for the first time; post them before the batch that uses their indices. */
  added: SignalInfo[];
  /** The samples, or null when there were none. Its buffer now belongs to the caller (transfer it). */
  batch: TelemetryBatch | null;
  /** The full alarm list when it changed, else null. */
  alarms: AlarmSnapshot[] | null;
}

/** Rejected payload samples kept for diagnostics. */
const LAST_REJECTS = 5;
const SAMPLE_CHARS = 200;
/** The same reason on the same topic is sampled at most this often, so one noisy device cannot fill the list. */
const RESAMPLE_MS = 1000;

export class Engine {
  private readonly now: () => number;
  private readonly router: TopicRouter;
  private readonly decoders: ValueDecoder[];
  private readonly reader: PayloadReader;
  private readonly rules: ThresholdRule[];
  private readonly rulesBySignalId = new Map<string, ThresholdRule[]>();
  private readonly alarmBook: AlarmBook;

  // Concrete signals, by index.
  private readonly infos: SignalInfo[] = [];
  private readonly indexById = new Map<string, number>();
  private readonly rulesByIndex: (ThresholdRule[] | null)[] = [];
  private latest = new Float64Array(64);
  private added: SignalInfo[] = [];

  // The batch: triples [signal index, value, ts] in a buffer that grows by doubling.
  private readonly initialSamples: number;
  private readonly maxSamples: number;
  private samples: Float64Array;
  private count = 0;
  private growths = 0;
  private dropped = 0;

  // Stats.
  private messages = 0;
  private bytes = 0;
  private lastMessageAt: number | null = null;
  private readonly rejected: Partial<Record<RejectReason, number>> = {};
  private readonly lastRejects: EngineStats['lastRejects'] = [];

  /** Throws when the twin has a pattern, path or condition that does not parse (validated twins do not). */
  constructor(twin: Twin, options: EngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.router = new TopicRouter(twin.signals, { cacheSize: options.topicCacheSize });
    this.decoders = twin.signals.map((signal, i) => {
      try {
        return compileDecoder(signal);
      } catch (err) {
        throw new Error(`signals[${i}] "${signal.id}": ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    });
    this.reader = new PayloadReader(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
    this.rules = twin.rules.map((rule) => new ThresholdRule(rule));
    for (const rule of this.rules) {
      const list = this.rulesBySignalId.get(rule.condition.signal);
      if (list) list.push(rule);
      else this.rulesBySignalId.set(rule.condition.signal, [rule]);
    }
    this.alarmBook = new AlarmBook(
      this.rules.map((r) => ({
        id: r.id,
        message: r.rule.message,
        priority: r.rule.priority,
        asset: r.rule.asset,
        signal: r.condition.signal,
      })),
    );
    this.initialSamples = Math.max(1, options.initialSamples ?? 1024);
    this.maxSamples = Math.max(this.initialSamples, options.maxSamples ?? 1 << 20);
    this.samples = new Float64Array(this.initialSamples * SAMPLE_STRIDE);
  }

  /** Feeds one MQTT message. Never throws for bad input: it is counted and sampled in stats(). */
  handleMessage(topic: string, payload: Uint8Array | string): void {
    const now = this.now();
    const reader = this.reader.reset(payload);
    this.messages++;
    this.bytes += reader.byteLength;
    this.lastMessageAt = now;

    const routes = this.router.resolve(topic);
    if (routes.length === 0) return this.reject('unknown-topic', topic, now);
    if (reader.tooLarge) return this.reject('too-large', topic, now);

    let badJson = false;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i];
      const index = this.indexById.get(route.id) ?? this.addSignal(route);
      const result = this.decoders[route.def](reader);
      if (typeof result === 'number') {
        this.record(index, result, now);
      } else if (result !== 'bad-json') {
        this.reject(result, topic, now, route.id);
      } else if (!badJson) {
        // Bad JSON is a fault of the message, not of each signal reading it: count it once.
        badJson = true;
        this.reject(result, topic, now);
      }
    }
  }

  /** Lets time pass: on-delays that ran out raise their alarms without waiting for a new message. */
  tick(now: number = this.now()): void {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      const change = rule.tick(now);
      if (change) this.applyRule(rule, change, now);
    }
  }

  /** Is there anything for takeBatch() to hand out? */
  get hasOutput(): boolean {
    return this.count > 0 || this.added.length > 0 || this.alarmBook.changed;
  }

  /**
   * Hands out what accumulated since the last call. The batch's buffer is the caller's from now on
   * (the worker transfers it); the engine continues in a fresh buffer sized to the recent rate.
   */
  takeBatch(): EngineOutput {
    const added = this.added;
    if (added.length > 0) this.added = [];
    let batch: TelemetryBatch | null = null;
    if (this.count > 0) {
      batch = { type: 'batch', samples: this.samples.subarray(0, this.count * SAMPLE_STRIDE), count: this.count };
      const capacity = this.samples.length / SAMPLE_STRIDE;
      const next = Math.max(this.initialSamples, Math.min(capacity, nextPowerOfTwo(this.count * 2)));
      this.samples = new Float64Array(next * SAMPLE_STRIDE);
      this.count = 0;
    }
    return { added: added.length > 0 ? added : [], batch, alarms: this.alarmBook.takeChanges() };
  }

  /** An operator acknowledges an alarm (by rule id). Returns false when there was nothing to acknowledge. */
  acknowledge(alarmId: string, operator?: string): boolean {
    return this.alarmBook.acknowledge(alarmId, this.now(), operator);
  }

  /** The alarms that are not normal, now. */
  alarms(): AlarmSnapshot[] {
    return this.alarmBook.snapshot();
  }

  /** Counters and the last few rejects; a fresh object each call. */
  stats(): EngineStats {
    const stats: EngineStats = {
      messages: this.messages,
      bytes: this.bytes,
      rejected: { ...this.rejected },
      lastRejects: this.lastRejects.map((r) => ({ ...r })),
      lastMessageAt: this.lastMessageAt,
    };
    if (this.dropped > 0) stats.droppedSamples = this.dropped;
    return stats;
  }

  /** Every concrete signal seen so far, by index. */
  signals(): readonly SignalInfo[] {
    return this.infos;
  }

  /** A concrete signal by id, once it has been seen. */
  signal(id: string): SignalInfo | undefined {
    const index = this.indexById.get(id);
    return index === undefined ? undefined : this.infos[index];
  }

  /** The latest value of a signal; undefined before its first good value. */
  value(id: string): number | undefined {
    const index = this.indexById.get(id);
    if (index === undefined) return undefined;
    const v = this.latest[index];
    return Number.isNaN(v) ? undefined : v;
  }

  /** How often the batch buffer had to grow (diagnostics; it grows by doubling, never per message). */
  get bufferGrowths(): number {
    return this.growths;
  }

  private addSignal(route: ResolvedSignal): number {
    const index = this.infos.length;
    const info: SignalInfo = { index, id: route.id, def: route.def, label: route.label, unit: route.unit };
    this.infos.push(info);
    this.indexById.set(route.id, index);
    this.rulesByIndex.push(this.rulesBySignalId.get(route.id) ?? null);
    if (index >= this.latest.length) {
      const grown = new Float64Array(this.latest.length * 2);
      grown.set(this.latest);
      this.latest = grown;
    }
    this.latest.fill(Number.NaN, index, index + 1);
    this.added.push(info);
    return index;
  }

  private record(index: number, value: number, now: number): void {
    if ((this.count + 1) * SAMPLE_STRIDE > this.samples.length) this.makeRoom();
    const at = this.count * SAMPLE_STRIDE;
    this.samples[at] = index;
    this.samples[at + 1] = value;
    this.samples[at + 2] = now;
    this.count++;
    this.latest[index] = value;
    const rules = this.rulesByIndex[index];
    if (rules === null) return;
    for (let i = 0; i < rules.length; i++) {
      const change = rules[i].update(value, now);
      if (change) this.applyRule(rules[i], change, now);
    }
  }

  private makeRoom(): void {
    const capacity = this.samples.length / SAMPLE_STRIDE;
    if (capacity < this.maxSamples) {
      const grown = new Float64Array(Math.min(capacity * 2, this.maxSamples) * SAMPLE_STRIDE);
      grown.set(this.samples);
      this.samples = grown;
      this.growths++;
      return;
    }
    // Nobody is taking batches: keep each signal's newest sample so the receiver still ends up with
    // the right latest values, and count the rest as dropped. Memory stays bounded.
    const seen = new Uint8Array(this.infos.length);
    const keep: number[] = [];
    for (let i = this.count - 1; i >= 0; i--) {
      const index = this.samples[i * SAMPLE_STRIDE];
      if (seen[index]) continue;
      seen[index] = 1;
      keep.push(i);
    }
    let write = 0;
    for (let k = keep.length - 1; k >= 0; k--, write++) {
      this.samples.copyWithin(write * SAMPLE_STRIDE, keep[k] * SAMPLE_STRIDE, (keep[k] + 1) * SAMPLE_STRIDE);
    }
    this.dropped += this.count - write;
    this.count = write;
    if ((this.count + 1) * SAMPLE_STRIDE > this.samples.length) {
      // More signals than maxSamples: drop the oldest sample rather than grow.
      this.samples.copyWithin(0, SAMPLE_STRIDE, this.count * SAMPLE_STRIDE);
      this.count--;
      this.dropped++;
    }
  }

  private applyRule(rule: ThresholdRule, change: NonNullable<RuleChange>, now: number): void {
    if (change === 'raise') this.alarmBook.raise(rule.id, rule.lastValue, now);
    else this.alarmBook.clear(rule.id, now);
  }

  private reject(reason: RejectReason, topic: string, now: number, signal?: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    const last = this.lastRejects[this.lastRejects.length - 1];
    if (last && last.reason === reason && last.topic === topic && now - last.at < RESAMPLE_MS) return;
    const entry: EngineStats['lastRejects'][number] = {
      reason,
      topic,
      sample: this.reader.sample(SAMPLE_CHARS),
      at: now,
    };
    if (signal !== undefined) entry.signal = signal;
    this.lastRejects.push(entry);
    if (this.lastRejects.length > LAST_REJECTS) this.lastRejects.shift();
  }
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}
