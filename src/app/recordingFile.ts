/**
 * Recording files in the page (pure): reading a JSONL recording that mixes MQTT message lines
 * (`{"t","topic","payload"}`, src/engine/recording.ts) and decoded-value lines (`{"t","signal","value"}`,
 * what the historian exports and what the tab writes from its own history), and writing a time span of
 * the tab's history as decoded-value lines.
 */
import type { RecordedMessage } from '../engine/recording';
import type { Twin } from '../twin/schema';

/** A decoded value: a signal's reading at `t`, as a number, text or true/false. */
export interface DecodedValue {
  t: number;
  signal: string;
  value: number | string | boolean;
}

export type ParsedRecordingFile =
  | { ok: true; messages: RecordedMessage[]; values: DecodedValue[]; from: number; to: number }
  | { ok: false; line: number; error: string };

/** A file longer than this is refused rather than freezing the tab. */
export const MAX_RECORDING_LINES = 2_000_000;

/**
 * Reads a recording; the first bad line (1-based) is reported and nothing is returned from it. Lines
 * must be in time order; blank lines are skipped; a value of null (a gap) is skipped.
 */
export function parseRecordingFile(text: string): ParsedRecordingFile {
  const messages: RecordedMessage[] = [];
  const values: DecodedValue[] = [];
  const lines = text.split('\n');
  if (lines.length > MAX_RECORDING_LINES)
    return { ok: false, line: MAX_RECORDING_LINES + 1, error: `more than ${MAX_RECORDING_LINES} lines` };
  let last = -Infinity;
  let first = Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fail = (error: string): ParsedRecordingFile => ({ ok: false, line: i + 1, error });
    let m: unknown;
    try {
      m = JSON.parse(line);
    } catch {
      return fail('not JSON');
    }
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return fail('not a JSON object');
    const o = m as Record<string, unknown>;
    if (typeof o.t !== 'number' || !Number.isFinite(o.t)) return fail('"t" must be a number (ms since the epoch)');
    if (o.t < last) return fail('"t" goes back in time (lines must be in time order)');
    if ('topic' in o) {
      if (typeof o.topic !== 'string' || o.topic === '') return fail('"topic" must be text');
      if (typeof o.payload !== 'string') return fail('"payload" must be text');
      messages.push({ t: o.t, topic: o.topic, payload: o.payload });
    } else if ('signal' in o) {
      if (typeof o.signal !== 'string' || o.signal === '') return fail('"signal" must be a signal id');
      const v = o.value;
      if (v === null) {
        // a gap in the exported history: no value to show
      } else if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' || typeof v === 'boolean') {
        values.push({ t: o.t, signal: o.signal, value: v as number | string | boolean });
      } else return fail('"value" must be a number, text, true/false or null');
    } else {
      return fail('neither a message {"t","topic","payload"} nor a value {"t","signal","value"}');
    }
    last = o.t;
    if (first === Infinity) first = o.t;
  }
  if (first === Infinity) return { ok: false, line: 0, error: 'no messages or values' };
  return { ok: true, messages, values, from: first, to: last };
}

/** One signal's history, oldest first (the telemetry store's rings). */
export interface HistorySource {
  id: string;
  length: number;
  timeAt(i: number): number;
  valueAt(i: number): number;
  /** Index of the first sample at or after `t`. */
  indexAtOrAfter(t: number): number;
}

/**
 * The samples of `[from, to]` as decoded-value lines in time order (a signal's gaps and text
 * samples, NaN in history, are left out). Empty string when there are none.
 */
export function historyToRecording(sources: readonly HistorySource[], from: number, to: number): string {
  const rows: { t: number; line: string }[] = [];
  for (const s of sources) {
    for (let i = s.indexAtOrAfter(from); i < s.length; i++) {
      const t = s.timeAt(i);
      if (t > to) break;
      const v = s.valueAt(i);
      if (Number.isFinite(v)) rows.push({ t, line: JSON.stringify({ t, signal: s.id, value: v }) });
    }
  }
  rows.sort((a, b) => a.t - b.t);
  return rows.length === 0 ? '' : rows.map((r) => r.line).join('\n') + '\n';
}

/** The twin signal definition a concrete id comes from ("pump1.temp" from "pump{pump}.temp"), with its captures. */
export function definitionOf(twin: Twin, id: string): { def: number; captures: Record<string, string> } | null {
  for (let d = 0; d < twin.signals.length; d++) {
    const template = twin.signals[d].id;
    const names: string[] = [];
    const pattern = template.replace(/\{([^}]+)\}|[.*+?^${}()|[\]\\]/g, (m: string, name?: string) => {
      if (name === undefined) return `\\${m}`;
      names.push(name);
      return '([^/]+?)';
    });
    const match = new RegExp(`^${pattern}$`).exec(id);
    if (!match) continue;
    const captures: Record<string, string> = {};
    names.forEach((n, k) => (captures[n] = match[k + 1]));
    return { def: d, captures };
  }
  return null;
}

/** A file name for an export: twin id and the span in UTC, without characters file systems dislike. */
export function recordingFileName(twinId: string, from: number, to: number): string {
  const stamp = (t: number) => new Date(t).toISOString().slice(0, 19).replace(/[:]/g, '-');
  return `${twinId.replace(/[^\w.-]+/g, '_')}-${stamp(from)}-${stamp(to)}.jsonl`;
}
