/**
 * The engine core: topic router → decoders → signal values → rules → alarms, plus the batch of
 * samples the main thread receives. Plain TypeScript with an injected clock, so it runs unchanged in
 * the worker, in Node tests and in the CLI (replaying a recording through new rules).
 *
 * Steady state per message: one Map lookup for the topic, one per signal for its index, the shared
 * decode/parse of the payload, and writes into preallocated typed arrays.
 */
import type { Twin } from '../twin/schema';
import type {
  AlarmAction,
  AlarmAuditEntry,
  AlarmSnapshot,
  EngineRestore,
  EngineStats,
  RejectReason,
  SignalInfo,
  TelemetryBatch,
  QualityChange,
  KindChange,
} from './protocol';
import { KIND_BOOLEAN, KIND_NUMBER, KIND_TEXT, SAMPLE_STRIDE } from './protocol';
import { TopicRouter, type ResolvedSignal } from './topicTrie';
import {
  PayloadReader,
  compileDecoder,
  compileTimestamp,
  DEFAULT_MAX_PAYLOAD_BYTES,
  TEXT_VALUE,
  type ValueDecoder,
} from './decode';
import { SparkplugIngest } from './sparkplugIngest';
import { CLEAR, RAISE, RuleSet, type CompiledRule } from './rules';
import { AlarmBook } from './alarms';
import { parseDuration } from '../lib/duration';

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
  /**
   * Concrete signals at most. A `+name` pattern makes a signal per name it sees, so a device (or an
   * attacker) inventing names could otherwise grow every table and history without end. Messages for
   * new names beyond it are rejected as 'too-many-signals'. Default DEFAULT_MAX_SIGNALS.
   */
  maxSignals?: number;
}

export const DEFAULT_MAX_SIGNALS = 10_000;

/** What accumulated since the last takeBatch(). */
export interface EngineOutput {
  /** Signals seen for the first time; post them before the batch that uses their indices. */
  added: SignalInfo[];
  /** The samples, or null when there were none. Its buffer now belongs to the caller (transfer it). */
  batch: TelemetryBatch | null;
  /** The full alarm list when it changed, else null. */
  alarms: AlarmSnapshot[] | null;
  /** Signal quality changes (Sparkplug deaths, births, sequence gaps), else null. */
  quality: QualityChange[] | null;
}

const NO_ROUTES: readonly ResolvedSignal[] = [];
/** Batch buffers handed back (recycle()) and kept for reuse: the one being filled, plus a few in flight. */
const SPARE_BUFFERS = 3;

/** Rejected payload samples kept for diagnostics. */
const LAST_REJECTS = 5;
const SAMPLE_CHARS = 200;
/** The same reason on the same topic is sampled at most this often, so one noisy device cannot fill the list. */
const RESAMPLE_MS = 1000;

export class Engine {
  private readonly now: () => number;
  private readonly router: TopicRouter;
  private readonly decoders: ValueDecoder[];
  /** Sparkplug state, when some signal uses the sparkplug decoder. */
  private readonly sparkplug: SparkplugIngest | null;
  /** Per definition: the payload timestamp reader, or null for arrival time. */
  private readonly timestamps: (((reader: PayloadReader) => number) | null)[];
  private readonly reader: PayloadReader;
  /**
   * Topics whose every signal has its index: [def, index, def, index, ...] in route order, read instead
   * of the router's route objects. Those objects get a hidden class each (the router builds them by
   * spreading), so reading route.index and route.def per message was a megamorphic load that missed
   * V8's stub cache about one message in four with 1,000 topics. At most `knownLimit` topics.
   */
  private readonly known = new Map<string, number[]>();
  private readonly knownLimit: number;
  /** Batch buffers handed back by the receiver, to fill again (recycle()). */
  private readonly spare: Float64Array[] = [];
  private readonly ruleSet: RuleSet;
  private readonly alarmBook: AlarmBook;
  /** Forecast rules, whose message carries the predicted time. */
  private readonly forecasts: CompiledRule[];
  /** The twin's signal definitions, for decoded values that arrive by signal id (handleValue). */
  private readonly defs: Twin['signals'];
  private defPatterns: (RegExp | null)[] | null = null;

  // Concrete signals, by index.
  private readonly infos: SignalInfo[] = [];
  private readonly indexById = new Map<string, number>();
  /** Per signal index: its slot in the rule set, or -1 when no rule reads it. */
  private readonly ruleSlotByIndex: number[] = [];
  private latest = new Float64Array(64);
  private added: SignalInfo[] = [];
  /** Per signal: the kind of its values (KIND_*), and changes not yet handed out. */
  private kinds = new Uint8Array(64);
  private kindChanges: KindChange[] = [];
  /** Per text signal: its latest text; `pendingTexts`, the newest per signal since the last batch. */
  private readonly texts = new Map<number, string>();
  private pendingTexts = new Map<number, string>();

  // The batch: triples [signal index, value, ts] in a buffer that grows by doubling.
  private readonly initialSamples: number;
  private readonly maxSamples: number;
  private readonly maxSignals: number;
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
    this.defs = twin.signals;
    this.router = new TopicRouter(twin.signals, { cacheSize: options.topicCacheSize });
    this.knownLimit = options.topicCacheSize ?? 10_000;
    this.decoders = twin.signals.map((signal, i) => {
      try {
        return compileDecoder(signal);
      } catch (err) {
        throw new Error(`signals[${i}] "${signal.id}": ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    });
    this.timestamps = twin.signals.map((signal, i) => {
      try {
        return compileTimestamp(signal);
      } catch (err) {
        throw new Error(`signals[${i}] "${signal.id}" timestamp: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    });
    this.reader = new PayloadReader(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
    this.sparkplug = twin.signals.some((s) => s.decoder === 'sparkplug') ? new SparkplugIngest() : null;
    this.ruleSet = new RuleSet(twin.rules, this.now());
    this.alarmBook = new AlarmBook(
      this.ruleSet.rules.map((r) => ({
        id: r.id,
        message: r.rule.message,
        priority: r.rule.priority,
        asset: r.rule.asset,
        signal: r.signal,
        latch: r.rule.latch,
        predicted: r.rule.kind === 'forecast',
        guidance: r.rule.guidance,
      })),
    );
    this.forecasts = this.ruleSet.rules.filter((r) => r.rule.kind === 'forecast');
    this.initialSamples = Math.max(1, options.initialSamples ?? 1024);
    this.maxSamples = Math.max(this.initialSamples, options.maxSamples ?? 1 << 20);
    this.maxSignals = Math.max(1, options.maxSignals ?? DEFAULT_MAX_SIGNALS);
    this.samples = new Float64Array(this.initialSamples * SAMPLE_STRIDE);
  }

  /** Feeds one MQTT message. Never throws for bad input: it is counted and sampled in stats(). */
  handleMessage(topic: string, payload: Uint8Array | string): void {
    const now = this.now();
    const reader = this.reader.reset(payload);
    this.messages++;
    this.bytes += reader.byteLength;
    this.lastMessageAt = now;

    if (this.sparkplug !== null) {
      // Deaths and births concern a node's signals whatever their topic patterns match.
      const step = this.sparkplug.prepare(topic, reader);
      if (step === 'done') return;
      if (step === 'bad-payload') return this.reject('bad-payload', topic, now);
      // Metrics no birth defined cannot be read; each is counted, and the rest of the message is.
      for (let k = 0; k < this.sparkplug.unknownAliases; k++) this.reject('unknown-alias', topic, now);
      for (let k = 0; k < this.sparkplug.untyped; k++) this.reject('no-datatype', topic, now);
    }
    // A topic seen before (not Sparkplug, whose node state is kept above) skips the router.
    const known = this.sparkplug === null ? this.known.get(topic) : undefined;
    let routes: readonly ResolvedSignal[] = NO_ROUTES;
    if (known === undefined) {
      routes = this.router.resolve(topic);
      // A Sparkplug message no signal reads (a node's own NBIRTH, say) still served the node's state.
      if (routes.length === 0) return reader.sparkplug === null ? this.reject('unknown-topic', topic, now) : undefined;
    }
    if (reader.tooLarge) return this.reject('too-large', topic, now);

    let badJson = false;
    const count = known === undefined ? routes.length : known.length >> 1;
    for (let i = 0; i < count; i++) {
      let def: number;
      let index: number;
      if (known !== undefined) {
        def = known[2 * i];
        index = known[2 * i + 1];
      } else {
        const route = routes[i];
        def = route.def;
        index = route.index;
        if (index < 0) {
          index = this.indexById.get(route.id) ?? -1;
          if (index < 0) {
            if (this.infos.length >= this.maxSignals) {
              this.reject('too-many-signals', topic, now, route.id);
              continue;
            }
            index = this.addSignal(route);
          }
          route.index = index;
        }
      }
      const result = this.decoders[def](reader);
      if (result === null) continue; // this message does not carry the signal
      if (typeof result === 'number' || result === TEXT_VALUE) {
        const stamp = this.timestamps[def];
        const at = stamp === null ? now : stamp(reader);
        if (this.kinds[index] !== reader.valueKind) this.noteKind(index, reader.valueKind);
        // A payload without a usable timestamp keeps its value, stamped with arrival time.
        if (result === TEXT_VALUE) this.recordText(index, reader.valueText, Number.isFinite(at) ? at : now);
        else this.record(index, result, now, Number.isFinite(at) ? at : now);
        this.sparkplug?.noteRecorded(index);
      } else if (result !== 'bad-json') {
        this.reject(result, topic, now, (known === undefined ? routes : this.router.resolve(topic))[i].id);
      } else if (!badJson) {
        // Bad JSON is a fault of the message, not of each signal reading it: count it once.
        badJson = true;
        this.reject(result, topic, now);
      }
    }
    if (known === undefined && this.sparkplug === null && this.known.size < this.knownLimit) {
      const pairs: number[] = [];
      for (const route of routes) {
        if (route.index < 0) return; // over the signal limit: not known
        pairs.push(route.def, route.index);
      }
      this.known.set(topic, pairs);
    }
  }

  /**
   * A decoded value by signal id (a recording's value line, the historian's export): recorded and run
   * through the rules as if its message had been decoded, stamped `sampleTime` (default now). The id
   * may be concrete ("pump1.temp" for a "{pump}.temp" definition). Returns false, changing nothing,
   * when no definition has this id or the signal limit is reached.
   */
  handleValue(id: string, value: number | string | boolean, sampleTime?: number): boolean {
    const now = this.now();
    const at = sampleTime ?? now;
    let index = this.indexById.get(id);
    if (index === undefined) {
      const def = this.definitionOf(id);
      if (def < 0 || this.infos.length >= this.maxSignals) return false;
      const signal = this.defs[def];
      index = this.addSignal({
        id,
        def,
        signal,
        captures: {},
        label: signal.label ?? id,
        unit: signal.unit ?? '',
        index: -1,
      });
    }
    this.messages++;
    this.lastMessageAt = now;
    if (typeof value === 'string') {
      if (this.kinds[index] !== KIND_TEXT) this.noteKind(index, KIND_TEXT);
      this.recordText(index, value, at);
      return true;
    }
    const kind = typeof value === 'boolean' ? KIND_BOOLEAN : KIND_NUMBER;
    if (this.kinds[index] !== kind) this.noteKind(index, kind);
    this.record(index, typeof value === 'boolean' ? (value ? 1 : 0) : value, now, at);
    return true;
  }

  /** The definition a concrete signal id comes from: an exact id first, else a template ("{pump}.temp"). */
  private definitionOf(id: string): number {
    const exact = this.defs.findIndex((d) => d.id === id);
    if (exact >= 0) return exact;
    this.defPatterns ??= this.defs.map((d) =>
      d.id.includes('{')
        ? new RegExp(
            `^${d.id
              .split(/\{[^}]*\}/)
              .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('.+?')}$`,
          )
        : null,
    );
    return this.defPatterns.findIndex((re) => re !== null && re.test(id));
  }

  /**
   * Lets time pass: every rule is evaluated (on-delays and off-delays run out, stale and windowed
   * conditions change without a new message), suppression is updated and shelves expire.
   */
  tick(now: number = this.now()): void {
    const rules = this.ruleSet.rules;
    for (let i = 0; i < rules.length; i++) this.evaluate(i, now);
    for (let i = 0; i < this.forecasts.length; i++) {
      const rule = this.forecasts[i];
      this.alarmBook.setMessage(rule.id, forecastMessage(rule.rule.message, rule.etaMs));
    }
    this.alarmBook.tick(now);
  }

  /** Is there anything for takeBatch() to hand out? */
  get hasOutput(): boolean {
    return this.count > 0 || this.added.length > 0 || this.alarmBook.changed || this.sparkplug?.hasOutput === true;
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
      if (this.pendingTexts.size > 0) {
        batch.texts = [];
        for (const [index, text] of this.pendingTexts) batch.texts.push({ index, text });
        this.pendingTexts.clear();
      }
      if (this.kindChanges.length > 0) {
        batch.kinds = this.kindChanges;
        this.kindChanges = [];
      }
      const capacity = this.samples.length / SAMPLE_STRIDE;
      const next = Math.max(this.initialSamples, Math.min(capacity, nextPowerOfTwo(this.count * 2)));
      this.samples = this.freshSamples(next * SAMPLE_STRIDE);
      this.count = 0;
    }
    return {
      added: added.length > 0 ? added : [],
      batch,
      alarms: this.alarmBook.takeChanges(),
      quality: this.sparkplug?.takeQuality() ?? null,
    };
  }

  /**
   * A buffer of an earlier batch, handed back by its receiver once applied: the next batches fill it
   * instead of a new one. At most SPARE_BUFFERS are kept; anything not a whole number of samples is
   * ignored. The caller must not use the buffer afterwards.
   */
  recycle(buffer: ArrayBuffer): void {
    const length = buffer.byteLength / Float64Array.BYTES_PER_ELEMENT;
    if (this.spare.length >= SPARE_BUFFERS || length === 0 || length % SAMPLE_STRIDE !== 0) return;
    if (length > this.maxSamples * SAMPLE_STRIDE) return;
    this.spare.push(new Float64Array(buffer));
  }

  /** A buffer for the next batch: a spare one of about the right size, else a new one. */
  private freshSamples(length: number): Float64Array {
    for (let i = this.spare.length - 1; i >= 0; i--) {
      const s = this.spare[i];
      // Not one far larger than asked: a burst's big buffer is not kept in use after the burst.
      if (s.length >= length && s.length <= 4 * length) {
        this.spare[i] = this.spare[this.spare.length - 1];
        this.spare.pop();
        return s;
      }
    }
    return new Float64Array(length);
  }

  /** An operator acknowledges an alarm (by rule id). Returns false when there was nothing to acknowledge. */
  acknowledge(alarmId: string, operator?: string, comment?: string): boolean {
    return this.alarmBook.acknowledge(alarmId, this.now(), { operator, comment });
  }

  /** Shelve, unshelve, out of service, reset, comment. Returns false when it did not apply. */
  alarmAction(action: AlarmAction): boolean {
    const now = this.now();
    const who = { operator: action.operator, comment: 'comment' in action ? action.comment : undefined };
    switch (action.kind) {
      case 'shelve':
        return this.alarmBook.shelve(action.alarmId, now, now + action.durationMs, who);
      case 'unshelve':
        return this.alarmBook.unshelve(action.alarmId, now, who);
      case 'out-of-service':
        return this.alarmBook.setOutOfService(action.alarmId, action.outOfService, now, who);
      case 'reset':
        return this.alarmBook.reset(action.alarmId, now, who);
      case 'comment':
        return this.alarmBook.comment(action.alarmId, now, who);
    }
  }

  /**
   * Restores what a previous worker knew: its signals first (same indices, so the telemetry store's
   * history stays valid), then the alarm state; rules whose alarm condition held are marked raised,
   * so a value back in range clears them and one still out of range raises nothing new.
   */
  restore(state: EngineRestore): void {
    for (const info of state.signals ?? []) {
      if (this.indexById.has(info.id) || info.index !== this.infos.length) continue;
      this.addSignal({ id: info.id, def: info.def, label: info.label, unit: info.unit, index: -1 } as ResolvedSignal);
    }
    this.added = [];
    const holding = new Set(this.alarmBook.restore(state.alarms));
    for (const rule of this.ruleSet.rules) if (holding.has(rule.id)) rule.restoreRaised();
  }

  /**
   * Each forecast rule's prediction now, for the historian's accuracy record: the value its trend gives
   * for `horizonMs` ahead (current + slope x horizon), for rules that see a trend towards their limit.
   */
  forecastEstimates(): { rule: string; signal: string; horizonMs: number; predicted: number }[] {
    const out: { rule: string; signal: string; horizonMs: number; predicted: number }[] = [];
    for (const r of this.forecasts) {
      const current = this.value(r.signal);
      const limit = r.rule.limit;
      if (current === undefined || limit === undefined || !(r.etaMs > 0) || !Number.isFinite(r.etaMs)) continue;
      const horizonMs = (r.rule.horizon === undefined ? null : parseDuration(r.rule.horizon)) ?? 30 * 60_000;
      out.push({
        rule: r.id,
        signal: r.signal,
        horizonMs,
        predicted: current + ((limit - current) / r.etaMs) * horizonMs,
      });
    }
    return out;
  }

  /** Alarm transitions since the last call, for the audit log. */
  takeAudit(): AlarmAuditEntry[] {
    return this.alarmBook.takeAudit();
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

  /** The latest text of a text signal; undefined before its first text. */
  text(id: string): string | undefined {
    const index = this.indexById.get(id);
    return index === undefined ? undefined : this.texts.get(index);
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
    this.ruleSlotByIndex.push(this.ruleSet.slotOf(route.id));
    if (index >= this.latest.length) {
      const grown = new Float64Array(this.latest.length * 2);
      grown.set(this.latest);
      this.latest = grown;
      const kinds = new Uint8Array(this.kinds.length * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
    }
    this.latest.fill(Number.NaN, index, index + 1);
    this.added.push(info);
    return index;
  }

  /** `sampleTime` is the reading's own time (payload timestamp); rules run on arrival time `now`. */
  private record(index: number, value: number, now: number, sampleTime: number = now): void {
    if ((this.count + 1) * SAMPLE_STRIDE > this.samples.length) this.makeRoom();
    const at = this.count * SAMPLE_STRIDE;
    this.samples[at] = index;
    this.samples[at + 1] = value;
    this.samples[at + 2] = sampleTime;
    this.count++;
    this.latest[index] = value;
    const slot = this.ruleSlotByIndex[index];
    if (slot < 0) return;
    const set = this.ruleSet;
    set.feed(slot, value, now);
    // By rule index: the loop touches the rule table, not the rules' objects.
    const deps = set.dependentRules;
    for (let i = set.dependentFrom[slot], end = set.dependentFrom[slot + 1]; i < end; i++) this.evaluate(deps[i], now);
  }

  /**
   * A text value: a sample with value NaN (rules, trends and colours read numbers and skip it) and the
   * text beside it, the newest per signal. Rules do not see it.
   */
  private recordText(index: number, text: string, sampleTime: number): void {
    if ((this.count + 1) * SAMPLE_STRIDE > this.samples.length) this.makeRoom();
    const at = this.count * SAMPLE_STRIDE;
    this.samples[at] = index;
    this.samples[at + 1] = NaN;
    this.samples[at + 2] = sampleTime;
    this.count++;
    this.latest[index] = NaN;
    this.texts.set(index, text);
    this.pendingTexts.set(index, text);
  }

  /** A signal's kind of value changed (its first value, usually): the receiver is told once. */
  private noteKind(index: number, kind: number): void {
    this.kinds[index] = kind;
    this.kindChanges.push({ index, kind });
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

  // The alarm book holds one alarm per rule in rule order: rule.index addresses it without a string lookup.
  private evaluate(index: number, now: number): void {
    const set = this.ruleSet;
    const suppressed = set.suppressedAt(index, now);
    if (suppressed >= 0) this.alarmBook.setSuppressedAt(index, suppressed === 1, now);
    const change = set.evaluateAt(index, now);
    if (change === RAISE) {
      const rule = set.rules[index];
      if (rule.rule.kind === 'forecast')
        this.alarmBook.setMessage(rule.id, forecastMessage(rule.rule.message, rule.etaMs));
      this.alarmBook.raiseAt(index, rule.valueOf(now), now);
    } else if (change === CLEAR) this.alarmBook.clearAt(index, now);
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

/** "{eta}" in a forecast's message becomes "~12 min" (or "now"). */
export function forecastMessage(template: string, etaMs: number): string {
  if (!template.includes('{eta}')) return template;
  return template.replaceAll('{eta}', Number.isFinite(etaMs) ? formatEta(etaMs) : 'soon');
}

function formatEta(ms: number): string {
  if (ms < 60_000) return ms < 1000 ? 'now' : `~${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `~${Math.round(ms / 60_000)} min`;
  return `~${Math.round(ms / 3_600_000)} h`;
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}
