/**
 * The editor's topic browser model: per topic the message count, the rate over a sliding window,
 * the last payload (bounded), first and last seen, and the values seen at each JSON path (or
 * Sparkplug metric), sampled, for the signal guesses and the rules' what-if. Pure: the client
 * (topicClient.ts) feeds it messages with their arrival time; the UI reads it on a timer.
 *
 * Everything is bounded: topics (the least recently seen goes when full, and is counted), the
 * payload kept per topic, the value series (in number and length). A message costs a map lookup and
 * a few counters; its payload is decoded for values at most every `sampleEveryMs` per topic on
 * average (after a short burst), so a flood on `#` does not parse every message on the page's thread. Sparkplug messages all go through
 * the decoder (births define the names later data messages use), once it is set.
 */
import { SampleRing } from '../lib/ringBuffer';
import { parseTopicPattern, type TopicLevel } from '../lib/topicPattern';
import type { MetricValue } from '../engine/sparkplug';
import { leafNumber, sparkplugPaths, textPayloadPaths, type PayloadLeaf, type PayloadPaths } from './payloadPaths';

export interface TopicBrowserOptions {
  /** Topics kept; beyond it the least recently seen is dropped (and counted in `droppedTopics`). */
  maxTopics: number;
  /** Span of the rate's sliding window. */
  windowMs: number;
  /** Bytes of the last payload kept per topic; longer payloads are cut (and say so). */
  maxPayloadBytes: number;
  /** A topic's payload is decoded for its values at most this often on average... */
  sampleEveryMs: number;
  /** ...after a burst of this many (a device's few quick messages are all kept). */
  sampleBurst: number;
  /** Payloads decoded per second over all topics (a flood on "#" costs this much, not one parse per message). */
  maxSamplesPerSecond: number;
  /** Value series kept in all (one per topic and path); more are refused and counted. */
  maxSeries: number;
  /** Samples per series (the newest kept). */
  seriesCapacity: number;
  /** Sparkplug messages held until the decoder is set (then replayed, in order). */
  maxPendingSparkplug: number;
}

export const DEFAULT_TOPIC_BROWSER: TopicBrowserOptions = {
  maxTopics: 5000,
  windowMs: 10_000,
  maxPayloadBytes: 4096,
  sampleEveryMs: 100,
  sampleBurst: 20,
  maxSamplesPerSecond: 2000,
  maxSeries: 2000,
  seriesCapacity: 1200,
  maxPendingSparkplug: 1000,
};

/** Decodes one Sparkplug message: the device key ("group/node[/device]") and its metrics, or null. */
export type SparkplugDecode = (
  topic: string,
  payload: Uint8Array,
) => { key: string; metrics: Map<string, MetricValue> } | null;

/** The values seen at one path of one topic, oldest first, with their extremes over all time. */
export interface Series {
  ring: SampleRing;
  min: number;
  max: number;
  count: number;
}

/** One row of the browser, as the UI shows it. */
export interface TopicRow {
  topic: string;
  count: number;
  /** Messages per second over the window (or since first seen, when that is shorter). */
  rate: number;
  firstSeen: number;
  lastSeen: number;
  /** Size of the last payload in bytes. */
  bytes: number;
  /** The last payload as text (cut to maxPayloadBytes), or null when it is not text (binary). */
  text: string | null;
  /** The kept payload is shorter than the message was. */
  cut: boolean;
}

const BUCKETS = 20;
/** The topic order is least recently seen first to within this (see record). */
const RECENCY_MS = 1000;

interface Entry {
  topic: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  bytes: number;
  payload: Uint8Array;
  cut: boolean;
  /** Counts per time bucket (windowMs / BUCKETS each), newest at `bucketAt`. */
  buckets: Uint32Array;
  bucketAt: number;
  /** Index of the bucket `bucketAt` points to. */
  bucketIndex: number;
  lastSampled: number;
  /** Samples the topic may take now (a token bucket: one per sampleEveryMs, up to sampleBurst). */
  tokens: number;
  /** When the entry last moved to the recent end of the topic order. */
  movedAt: number;
  /** Leaves of the newest sampled payload (Sparkplug: of every metric this device has sent). */
  leaves: PayloadPaths | null;
  series: Map<string, Series>;
  /** Sparkplug device key when the topic is a Sparkplug one and decoded. */
  sparkplugKey: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SPARKPLUG_PREFIX = 'spBv1.0/';

export class TopicBrowser {
  readonly options: TopicBrowserOptions;
  private readonly entries = new Map<string, Entry>();
  /** Topics dropped to stay within maxTopics. */
  droppedTopics = 0;
  /** Series not kept because maxSeries was reached. */
  refusedSeries = 0;
  /** Sparkplug messages dropped while waiting for the decoder (the pending queue was full). */
  droppedSparkplug = 0;
  /** Payloads not decoded because the page-wide budget (maxSamplesPerSecond) was spent. */
  skippedSamples = 0;
  private seriesCount = 0;
  private globalTokens: number;
  private globalAt = -Infinity;
  private sparkplug: SparkplugDecode | null = null;
  private pending: { topic: string; payload: Uint8Array; now: number }[] = [];
  /** Metrics per Sparkplug device key: births define them, data updates them. */
  private readonly metrics = new Map<string, Map<string, MetricValue>>();
  /** Bumped on every message: the UI redraws only when it changed. */
  version = 0;

  constructor(options: Partial<TopicBrowserOptions> = {}) {
    this.options = { ...DEFAULT_TOPIC_BROWSER, ...options };
    this.globalTokens = this.options.maxSamplesPerSecond;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether a Sparkplug message waits for the decoder (the client then loads it). */
  get wantsSparkplug(): boolean {
    return this.sparkplug === null && this.pending.length > 0;
  }

  /** Sets the Sparkplug decoder and replays the messages that waited for it. */
  setSparkplug(decode: SparkplugDecode): void {
    this.sparkplug = decode;
    const pending = this.pending;
    this.pending = [];
    for (const m of pending) {
      const entry = this.entries.get(m.topic);
      if (entry) this.decodeSparkplug(entry, m.payload, m.now);
    }
  }

  /** Records one message that arrived at `now` (ms). */
  record(topic: string, payload: Uint8Array, now: number): void {
    this.version++;
    let entry = this.entries.get(topic);
    if (entry === undefined) {
      if (this.entries.size >= this.options.maxTopics) this.dropOldest();
      entry = {
        topic,
        count: 0,
        firstSeen: now,
        lastSeen: now,
        bytes: 0,
        payload,
        cut: false,
        buckets: new Uint32Array(BUCKETS),
        bucketAt: this.bucketOf(now),
        bucketIndex: 0,
        lastSampled: now,
        tokens: this.options.sampleBurst,
        movedAt: now,
        leaves: null,
        series: new Map(),
        sparkplugKey: null,
      };
      this.entries.set(topic, entry);
    } else if (now - entry.movedAt >= RECENCY_MS) {
      // Re-inserted: Map order is then least recently seen first (what dropOldest drops), to within
      // RECENCY_MS: moving on every message would cost a delete and an insert each.
      entry.movedAt = now;
      this.entries.delete(topic);
      this.entries.set(topic, entry);
    }
    entry.count++;
    entry.lastSeen = now;
    entry.bytes = payload.byteLength;
    entry.cut = payload.byteLength > this.options.maxPayloadBytes;
    // Copy a cut payload: a view would keep the whole message alive.
    entry.payload = entry.cut ? payload.slice(0, this.options.maxPayloadBytes) : payload;
    this.advance(entry, now);
    entry.buckets[entry.bucketIndex]++;

    if (topic.startsWith(SPARKPLUG_PREFIX)) {
      if (this.sparkplug !== null) this.decodeSparkplug(entry, payload, now);
      else if (this.pending.length < this.options.maxPendingSparkplug) this.pending.push({ topic, payload, now });
      else this.droppedSparkplug++;
      return;
    }
    if (entry.cut) return;
    const { sampleEveryMs, sampleBurst } = this.options;
    entry.tokens = Math.min(sampleBurst, entry.tokens + (now - entry.lastSampled) / sampleEveryMs);
    entry.lastSampled = now;
    if (entry.tokens < 1) return;
    this.globalTokens = Math.min(
      this.options.maxSamplesPerSecond,
      this.globalTokens + ((now - this.globalAt) * this.options.maxSamplesPerSecond) / 1000,
    );
    this.globalAt = now;
    if (this.globalTokens < 1) {
      this.skippedSamples++;
      return;
    }
    this.globalTokens--;
    entry.tokens--;
    const text = decodeText(payload);
    if (text === null) {
      entry.leaves = null;
      return;
    }
    entry.leaves = textPayloadPaths(text);
    for (const leaf of entry.leaves.leaves) this.sample(entry, leaf, now);
  }

  /** Rows for the UI: topics containing `filter` (case-insensitive), sorted by topic, at most `limit`. */
  rows(now: number, filter = '', limit = 500): { rows: TopicRow[]; matched: number } {
    const needle = filter.toLowerCase();
    const matched: Entry[] = [];
    for (const entry of this.entries.values())
      if (needle === '' || entry.topic.toLowerCase().includes(needle)) matched.push(entry);
    matched.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
    return { rows: matched.slice(0, limit).map((e) => this.row(e, now)), matched: matched.length };
  }

  /** One topic's row, or null when it has not been seen (or was dropped). */
  topic(topic: string, now: number): TopicRow | null {
    const entry = this.entries.get(topic);
    return entry ? this.row(entry, now) : null;
  }

  /** What a signal could read from the topic's newest sampled payload (Sparkplug: every metric seen). */
  leaves(topic: string): PayloadPaths | null {
    return this.entries.get(topic)?.leaves ?? null;
  }

  /** The values seen at `path` of every topic a pattern ("plant/+pump/telemetry") matches. */
  seriesMatching(pattern: string, path: string): { topic: string; captures: Record<string, string>; series: Series }[] {
    const parsed = parseTopicPattern(pattern);
    if (!parsed.ok) return [];
    const out: { topic: string; captures: Record<string, string>; series: Series }[] = [];
    for (const entry of this.entries.values()) {
      const series = entry.series.get(path);
      if (series === undefined) continue;
      const captures = matchTopic(parsed.levels, entry.topic);
      if (captures !== null) out.push({ topic: entry.topic, captures, series });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : 1));
  }

  /** Every topic kept, unsorted (cheap: no payload is decoded). */
  topicNames(): string[] {
    return [...this.entries.keys()];
  }

  /** Topics a pattern matches (seen ones). */
  topicsMatching(pattern: string): string[] {
    const parsed = parseTopicPattern(pattern);
    if (!parsed.ok) return [];
    const out: string[] = [];
    for (const topic of this.entries.keys()) if (matchTopic(parsed.levels, topic) !== null) out.push(topic);
    return out.sort();
  }

  clear(): void {
    this.entries.clear();
    this.metrics.clear();
    this.pending = [];
    this.seriesCount = 0;
    this.droppedTopics = 0;
    this.refusedSeries = 0;
    this.droppedSparkplug = 0;
    this.skippedSamples = 0;
    this.version++;
  }

  private row(entry: Entry, now: number): TopicRow {
    this.advance(entry, now);
    let inWindow = 0;
    for (let i = 0; i < BUCKETS; i++) inWindow += entry.buckets[i];
    const { windowMs } = this.options;
    // A topic younger than the window is rated over its own age (at least one bucket).
    const span = Math.max(windowMs / BUCKETS, Math.min(windowMs, now - entry.firstSeen));
    // Sparkplug payloads are protobuf: one that happens to be valid UTF-8 (about 1 in 70, by its
    // timestamp's bytes) is still not text.
    const text = entry.topic.startsWith(SPARKPLUG_PREFIX) ? null : decodeText(entry.payload);
    return {
      topic: entry.topic,
      count: entry.count,
      rate: (inWindow * 1000) / span,
      firstSeen: entry.firstSeen,
      lastSeen: entry.lastSeen,
      bytes: entry.bytes,
      text,
      cut: entry.cut,
    };
  }

  private bucketOf(now: number): number {
    return Math.floor(now / (this.options.windowMs / BUCKETS));
  }

  /** Moves the entry's newest bucket to `now`, zeroing the buckets passed over. */
  private advance(entry: Entry, now: number): void {
    const at = this.bucketOf(now);
    const steps = at - entry.bucketAt;
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, BUCKETS); i++) {
      entry.bucketIndex = (entry.bucketIndex + 1) % BUCKETS;
      entry.buckets[entry.bucketIndex] = 0;
    }
    entry.bucketAt = at;
  }

  private decodeSparkplug(entry: Entry, payload: Uint8Array, now: number): void {
    const decoded = this.sparkplug?.(entry.topic, payload) ?? null;
    if (decoded === null) return;
    entry.sparkplugKey = decoded.key;
    let known = this.metrics.get(decoded.key);
    if (known === undefined) {
      known = new Map();
      this.metrics.set(decoded.key, known);
    }
    for (const [name, metric] of decoded.metrics) known.set(name, metric);
    entry.leaves = sparkplugPaths(known);
    entry.lastSampled = now;
    for (const leaf of sparkplugPaths(decoded.metrics).leaves) this.sample(entry, leaf, now);
  }

  private sample(entry: Entry, leaf: PayloadLeaf, now: number): void {
    const value = leafNumber(leaf);
    if (!Number.isFinite(value)) return;
    let series = entry.series.get(leaf.path);
    if (series === undefined) {
      if (this.seriesCount >= this.options.maxSeries) {
        this.refusedSeries++;
        return;
      }
      series = { ring: new SampleRing(this.options.seriesCapacity, 16), min: value, max: value, count: 0 };
      entry.series.set(leaf.path, series);
      this.seriesCount++;
    }
    series.ring.push(now, value);
    series.count++;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
  }

  private dropOldest(): void {
    const oldest = this.entries.values().next();
    if (oldest.done) return;
    this.entries.delete(oldest.value.topic);
    this.seriesCount -= oldest.value.series.size;
    this.droppedTopics++;
  }
}

/** A payload as text when it is valid UTF-8 (JSON, numbers, words), else null (binary). */
function decodeText(payload: Uint8Array): string | null {
  try {
    return utf8.decode(payload);
  } catch {
    return null;
  }
}

/** The captures of a concrete topic under a parsed pattern, or null when it does not match. */
export function matchTopic(levels: readonly TopicLevel[], topic: string): Record<string, string> | null {
  const parts = topic.split('/');
  // No prototype: a capture named "__proto__" is a plain key.
  const captures = Object.create(null) as Record<string, string>;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.kind === 'rest') return i === 0 && topic.startsWith('$') ? null : captures;
    if (i >= parts.length) return null;
    if (level.kind === 'one') {
      if (i === 0 && parts[0].startsWith('$')) return null;
      if (level.name) captures[level.name] = parts[i];
    } else if (level.text !== parts[i]) return null;
  }
  return parts.length === levels.length ? captures : null;
}
