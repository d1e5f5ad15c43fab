/**
 * The one typed protocol between the engine worker and the main thread. Telemetry crosses as
 * transferable typed arrays, one batch per frame at most, never a postMessage per MQTT message.
 */
import type { Twin, Priority } from '../twin/schema';

/** Credentials are handed over at run time; they never live in the twin file or the URL. */
export interface Credentials {
  username: string;
  password: string;
}

export type ToWorker =
  | { type: 'start'; twin: Twin; brokerUrl?: string; credentials?: Credentials }
  | { type: 'stop' }
  | { type: 'acknowledge'; alarmId: string; operator?: string };

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

export type ConnectionStatus =
  | { state: 'connecting'; url: string }
  | { state: 'online'; url: string; since: number }
  | { state: 'reconnecting'; url: string; attempt: number; reason: string }
  | { state: 'offline'; url: string; reason: string };

export type AlarmState = 'active' | 'acknowledged' | 'cleared-unacknowledged';

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
}

export type RejectReason = 'too-large' | 'bad-json' | 'missing-path' | 'wrong-type' | 'not-finite' | 'unknown-topic';

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
 * samples; its buffer is transferred, not copied.
 */
export interface TelemetryBatch {
  type: 'batch';
  samples: Float64Array;
  count: number;
}

export type FromWorker =
  | { type: 'signals'; added: SignalInfo[] }
  | TelemetryBatch
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'alarms'; alarms: AlarmSnapshot[] }
  | { type: 'stats'; stats: EngineStats }
  | { type: 'error'; message: string };

/** Fields per sample in a TelemetryBatch. */
export const SAMPLE_STRIDE = 3;
