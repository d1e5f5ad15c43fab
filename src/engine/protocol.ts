/**
 * The one typed protocol between the engine worker and the main thread. Telemetry crosses as
 * transferable typed arrays, one batch per frame at most, never a postMessage per MQTT message.
 */
import type { Twin, Priority, Guidance } from '../twin/schema';
import type { CommandRequest, CommandStatus } from './commands';

/** Credentials are handed over at run time; they never live in the twin file or the URL. */
export interface Credentials {
  username: string;
  password: string;
}

export type ToWorker =
  | {
      type: 'start';
      twin: Twin;
      brokerUrl?: string;
      credentials?: Credentials;
      /** The browser's fixed client id for persistent sessions (kept in localStorage by the main thread). */
      clientId?: string;
      /** Alarm state saved on the main thread, restored after a reload or a worker crash. */
      restore?: EngineRestore;
    }
  | { type: 'stop' }
  /** Publish a command to the plant (src/engine/commands.ts); its states come back as 'command-state'. */
  | { type: 'command'; request: CommandRequest }
  | {
      type: 'acknowledge';
      alarmId: string;
      operator?: string;
      comment?: string;
      /** Set by the main thread to hear how the request ended (a 'request-result' with this id). */
      requestId?: string;
    }
  | { type: 'alarm-action'; action: AlarmAction; requestId?: string }
  /**
   * A batch's buffer handed back once its samples have been applied, for the engine to fill again: a
   * fresh buffer per batch was a zero-filled allocation in the worker and garbage on the page, whose
   * sweeping ran as one main-thread task of 16-20 ms at 115,000 readings/s.
   */
  | { type: 'recycle'; buffer: ArrayBuffer }
  /** Test hook only (engineClient.freezeEngineWorkersForTest): the worker stops answering, as a hung one would. */
  | { type: 'test-freeze' };

/** Operator actions on alarms besides acknowledge (see docs/rules-and-alarms.md). */
export type AlarmAction =
  | { kind: 'shelve'; alarmId: string; durationMs: number; operator?: string; comment?: string }
  | { kind: 'unshelve'; alarmId: string; operator?: string }
  | { kind: 'out-of-service'; alarmId: string; outOfService: boolean; operator?: string; comment?: string }
  | { kind: 'reset'; alarmId: string; operator?: string }
  | { kind: 'comment'; alarmId: string; operator?: string; comment: string };

/**
 * State handed to a (re)started worker: the alarms saved on the main thread, and the signals it knew
 * so their indices stay the same for the telemetry store.
 */
export interface EngineRestore {
  alarms: AlarmSnapshot[];
  signals?: SignalInfo[];
}

/** A concrete signal, created the first time a topic produces its id (templates expand here). */
export interface SignalInfo {
  /** Index into the value arrays of every later batch. */
  index: number;
  id: string;
  /** Index of the twin signal definition it came from. */
  def: number;
  label: string;
  unit: string;
}

/**
 * What a signal's values are, so they are shown as what they are: a measurement, a count or an
 * integer register (no decimals), a boolean (true/false), or text (kept beside the numbers, see
 * TelemetryBatch.texts). Codes are indices into VALUE_KINDS; 0 (number) is the default.
 */
export const VALUE_KINDS = ['number', 'integer', 'boolean', 'text'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];
export const KIND_NUMBER = 0;
export const KIND_INTEGER = 1;
export const KIND_BOOLEAN = 2;
export const KIND_TEXT = 3;

/** Text values and stored text are cut to this many characters. */
export const MAX_TEXT_CHARS = 200;

export type ConnectionStatus =
  | { state: 'connecting'; url: string }
  | {
      state: 'online';
      url: string;
      since: number;
      /** The broker still had our session (persistent sessions): nothing was lost while away. */
      resumed: boolean;
      /**
       * Set on a reconnect whose session the broker did not keep: when the previous connection was
       * lost. Data between then and `since` is missing and is marked as a gap, not bridged.
       */
      gapSince?: number;
      /**
       * Set when the broker refused the twin's MQTT 5 and this connection fell back to 3.1.1 (the
       * embedded demo broker, older brokers): shown with the connection, since the twin says otherwise.
       */
      mqttFallback?: { refused: 5; using: '3.1.1' };
    }
  | {
      state: 'reconnecting';
      url: string;
      attempt: number;
      reason: string;
      /** When the next attempt starts (ms since the epoch); the backoff grows with each attempt. */
      nextRetryAt: number;
    }
  | { state: 'offline'; url: string; reason: string };

/**
 * 'active' is unacknowledged with its condition present (latched: possibly gone); shelved,
 * suppressed (by design) and out-of-service alarms are not annunciated.
 */
export type AlarmState =
  'active' | 'acknowledged' | 'cleared-unacknowledged' | 'shelved' | 'suppressed' | 'out-of-service';

/** What happened to an alarm, as the audit log records it. */
export type AlarmEvent =
  | 'raise'
  | 'clear'
  | 'acknowledge'
  | 'reset'
  | 'shelve'
  | 'unshelve'
  | 'shelve-expired'
  | 'suppress'
  | 'unsuppress'
  | 'out-of-service'
  | 'return-to-service'
  | 'comment';

export interface AlarmAuditEntry {
  t: number;
  alarmId: string;
  event: AlarmEvent;
  /** The state after the event. */
  state: AlarmState | 'normal';
  priority: Priority;
  operator?: string;
  comment?: string;
  value?: number;
}

export interface AlarmSnapshot {
  /** The rule id: one alarm per rule. */
  id: string;
  message: string;
  priority: Priority;
  asset?: string;
  signal: string;
  state: AlarmState;
  /** The value that raised it. */
  value: number;
  raisedAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  clearedAt?: number;
  /** Does the rule's condition hold now? */
  conditionActive?: boolean;
  comment?: string;
  shelvedAt?: number;
  shelvedUntil?: number;
  shelvedBy?: string;
  /** Stays until reset by an operator after it cleared. */
  latched?: boolean;
  /** A forecast ("overflows in ~12 min"), not a present condition. */
  predicted?: boolean;
  /** Raised 3 or more times within a minute. */
  chattering?: boolean;
  guidance?: Guidance;
}

export type RejectReason =
  | 'too-large'
  | 'bad-json'
  | 'bad-payload'
  | 'missing-path'
  | 'wrong-type'
  | 'not-finite'
  | 'unknown-topic'
  | 'too-many-signals'
  /** Sparkplug: a data message names a metric by an alias that no birth certificate defined. */
  | 'unknown-alias'
  /** Sparkplug: a metric without a datatype that no birth certificate defined either. */
  | 'no-datatype';

// Quality bits live with the one staleness rule that reads them; the protocol carries them.
export { QUALITY_GAP, QUALITY_DEAD, QUALITY_SUSPECT } from '../lib/staleness';

/** Quality bits of one signal set (`on`) or cleared. */
export interface QualityChange {
  index: number;
  bits: number;
  on: boolean;
}

export interface EngineStats {
  messages: number;
  bytes: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** The last few rejected payloads, cut short, to show as text. */
  lastRejects: {
    reason: RejectReason;
    topic: string;
    sample: string;
    at: number;
    /** The concrete signal whose value was rejected, for value-level reasons (missing-path, ...). */
    signal?: string;
  }[];
  lastMessageAt: number | null;
  /** Samples dropped because batches were not taken for a long time (absent when none). */
  droppedSamples?: number;
}

/**
 * One frame of telemetry. `samples` holds triples [signal index, value, timestamp ms] for `count`
 * samples; its buffer is transferred, not copied. A text value is a sample whose value is NaN (so
 * rules, trends and colour effects, which read numbers, skip it) with its text in `texts`: the newest
 * text per signal in this batch, so the side channel is bounded by the number of signals and costs
 * nothing when no signal carries text. `kinds` says when a signal's kind of value changed (rare).
 */
export interface TelemetryBatch {
  type: 'batch';
  samples: Float64Array;
  count: number;
  texts?: TextValue[];
  kinds?: KindChange[];
}

/** The newest text of a text signal in a batch (at most MAX_TEXT_CHARS characters). */
export interface TextValue {
  index: number;
  text: string;
}

/** Signal `index` now carries values of kind VALUE_KINDS[kind]. */
export interface KindChange {
  index: number;
  kind: number;
}

export type FromWorker =
  | { type: 'signals'; added: SignalInfo[] }
  | TelemetryBatch
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'alarms'; alarms: AlarmSnapshot[] }
  | { type: 'audit'; entries: AlarmAuditEntry[] }
  | { type: 'stats'; stats: EngineStats }
  | { type: 'quality'; changes: QualityChange[] }
  | { type: 'error'; message: string }
  /** A problem reported earlier with exactly this message is over (e.g. an HTTP source answers again). */
  | { type: 'error-resolved'; message: string }
  /** A command request changed state: pending, then confirmed, rejected, refused or timed out. */
  | { type: 'command-state'; status: CommandStatus }
  /** Whose alarms the page shows: the alarm service's (shared by every screen) or this screen's own. */
  | { type: 'alarm-mode'; mode: AlarmMode }
  /** How an operator's acknowledge or alarm action ended: applied, or why not (e.g. the service's error). */
  | { type: 'request-result'; requestId: string; ok: boolean; error?: string };

/**
 * Shared: the engine service is online (its retained status says so) and its retained alarms are the
 * list; actions go to it as requests. Local: this page's engine raises and keeps alarms, because the
 * service was not heard yet ('checking', right after connecting), is absent, or said it went offline.
 */
export type AlarmMode =
  { kind: 'shared'; since?: number; instance: string } | { kind: 'local'; reason: 'checking' | 'absent' | 'offline' };

/** Fields per sample in a TelemetryBatch. */
export const SAMPLE_STRIDE = 3;
