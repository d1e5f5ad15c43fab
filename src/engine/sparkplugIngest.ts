/**
 * The engine's Sparkplug side: feeds Sparkplug topics to the tracker before routing, puts the decoded
 * metrics where the signal decoders read them (PayloadReader.sparkplug), remembers which node or device
 * each signal's values came from, and turns deaths, births and sequence gaps into quality changes.
 *
 * The decoder (./sparkplug with protobufjs and Tahu's schema, ~40 kB gzip) is loaded only for a twin
 * that reads Sparkplug: in the browser it is a chunk of its own, fetched by `loadSparkplug()` (the
 * engine worker awaits it before starting such a twin); in Node it is loaded with this module.
 */
import type { PayloadReader } from './decode';
import type { QualityChange } from './protocol';
import { QUALITY_DEAD, QUALITY_SUSPECT } from './protocol';

type SparkplugCodec = typeof import('./sparkplug');

let codec: SparkplugCodec | null = null;
let loading: Promise<SparkplugCodec> | null = null;

/** Loads the Sparkplug decoder (once); a failed load (server gone) may be tried again. */
export function loadSparkplug(): Promise<void> {
  loading ??= import('./sparkplug').then(
    (m) => (codec = m),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading.then(() => undefined);
}

export function sparkplugLoaded(): boolean {
  return codec !== null;
}

/** Does this twin read Sparkplug (then its engine needs the decoder loaded first)? */
export function needsSparkplug(twin: { signals: readonly { decoder?: string }[] }): boolean {
  return twin.signals.some((s) => s.decoder === 'sparkplug');
}

// Node (the CLI, the alarm service, the unit tests) builds engines synchronously: the decoder is
// there from the start. Browsers (no `process`) fetch it only for a twin that needs it.
if (typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string')
  await loadSparkplug();

/** What the engine does with a message after prepare(). */
export type SparkplugStep = 'route' | 'done' | 'bad-payload';

export class SparkplugIngest {
  private readonly codec: SparkplugCodec;
  private readonly tracker: InstanceType<SparkplugCodec['SparkplugTracker']>;
  /** Per signal index: the node or device key its values come from ("group/node[/device]"). */
  private readonly keyByIndex: (string | undefined)[] = [];
  private currentKey: string | null = null;
  private currentSuspect = false;
  private pending: QualityChange[] = [];
  /** Metrics of the current message that no birth defined: by an unknown alias, or without a datatype. */
  unknownAliases = 0;
  untyped = 0;

  /** Throws while the decoder is not loaded (see loadSparkplug), and starts loading it. */
  constructor() {
    if (codec === null) {
      void loadSparkplug().catch(() => undefined);
      throw new Error('the Sparkplug decoder is not loaded yet; try again in a moment');
    }
    this.codec = codec;
    this.tracker = new codec.SparkplugTracker();
  }

  /** Handles the Sparkplug part of a message; 'route' means: decode it for the signals that read it. */
  prepare(topic: string, reader: PayloadReader): SparkplugStep {
    this.currentKey = null;
    this.unknownAliases = 0;
    this.untyped = 0;
    if (!topic.startsWith(this.codec.SPARKPLUG_NAMESPACE + '/')) return 'route';
    const parsed = this.codec.parseSparkplugTopic(topic);
    if (parsed === null || reader.tooLarge) return 'route';
    const outcome = this.tracker.handle(parsed, reader.bytes());
    switch (outcome.kind) {
      case 'ignored':
        return 'done';
      case 'bad-payload':
        return 'bad-payload';
      case 'death':
        this.mark(outcome.key, QUALITY_DEAD, true);
        return 'done';
      case 'birth':
        // A birth makes the node's own metrics (NBIRTH) or one device's (DBIRTH) valid again;
        // devices of a reborn node stay dead until their own DBIRTH.
        this.mark(outcome.key, QUALITY_DEAD | QUALITY_SUSPECT, false, { exact: true });
        break;
      case 'data':
        if (outcome.seqGap) this.mark(outcome.node, QUALITY_SUSPECT, true);
        break;
    }
    reader.sparkplug = outcome.metrics;
    this.unknownAliases = outcome.unknownAliases;
    this.untyped = outcome.untyped;
    this.currentKey = outcome.key;
    this.currentSuspect = outcome.seqGap;
    return 'route';
  }

  /** A value of signal `index` was recorded from the current message. */
  noteRecorded(index: number): void {
    if (this.currentKey === null) return;
    if (this.keyByIndex[index] !== this.currentKey) {
      this.keyByIndex[index] = this.currentKey;
      // A signal first seen in a message after a gap is as suspect as its node.
      if (this.currentSuspect) this.pending.push({ index, bits: QUALITY_SUSPECT, on: true });
    }
  }

  get hasOutput(): boolean {
    return this.pending.length > 0;
  }

  takeQuality(): QualityChange[] | null {
    if (this.pending.length === 0) return null;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Sets or clears bits on every signal of a node and its devices (or only the node's, `exact`), or of one device. */
  private mark(key: string, bits: number, on: boolean, { exact = false } = {}): void {
    const prefix = key + '/';
    for (let i = 0; i < this.keyByIndex.length; i++) {
      const k = this.keyByIndex[i];
      if (k !== undefined && (k === key || (!exact && k.startsWith(prefix)))) this.pending.push({ index: i, bits, on });
    }
  }
}
