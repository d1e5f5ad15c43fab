/**
 * The recording format: JSON Lines in time order, each line one of
 *
 *   {"t": 1732540000000, "topic": "plant/north/tank1/telemetry", "payload": "{\"level\":52.1}"}   a message
 *   {"t": 1732540000000, "signal": "tank1.level", "value": 52.1}                                    a decoded value
 *
 * `t` is ms since the epoch. A message line is an MQTT message as received (`payload` its text); a value
 * line is a signal's decoded value (a number, text, true/false, or null for a gap, which is skipped),
 * what the historian exports (GET /api/history/v1/export) and what goes to the engine directly
 * (Engine.handleValue), no decoder involved. Blank lines are skipped. It is what the backtest replays.
 */
export interface RecordedMessage {
  t: number;
  topic: string;
  payload: string;
}

export interface RecordedValue {
  t: number;
  signal: string;
  value: number | string | boolean;
}

export type ParsedRecording =
  { ok: true; messages: RecordedMessage[]; values: RecordedValue[] } | { ok: false; line: number; error: string };

/** Parses a recording; the first bad line (1-based) is reported and nothing is half-returned. */
export function parseRecording(text: string): ParsedRecording {
  const messages: RecordedMessage[] = [];
  const values: RecordedValue[] = [];
  const lines = text.split('\n');
  let last = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fail = (error: string): ParsedRecording => ({ ok: false, line: i + 1, error });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return fail('not a JSON object');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
    const m = value as Record<string, unknown>;
    if (typeof m.t !== 'number' || !Number.isFinite(m.t)) return fail('"t" must be a number (ms)');
    if (m.t < last) return fail('"t" goes back in time');
    if ('signal' in m && !('topic' in m)) {
      if (typeof m.signal !== 'string' || m.signal === '') return fail('"signal" must be a signal id');
      const v = m.value;
      if (v === null) {
        // A gap in the history: nothing to replay.
      } else if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' || typeof v === 'boolean') {
        values.push({ t: m.t, signal: m.signal, value: v as RecordedValue['value'] });
      } else return fail('"value" must be a number, text, true/false or null');
    } else {
      if (typeof m.topic !== 'string' || m.topic === '')
        return fail('"topic" must be text (or give "signal" and "value" for a decoded value)');
      if (typeof m.payload !== 'string') return fail('"payload" must be text');
      messages.push({ t: m.t, topic: m.topic, payload: m.payload });
    }
    last = m.t;
  }
  return { ok: true, messages, values };
}

/** One message line of a recording. */
export function recordLine(m: RecordedMessage): string {
  return JSON.stringify({ t: m.t, topic: m.topic, payload: m.payload });
}

/** One decoded-value line of a recording. */
export function valueLine(v: { t: number; signal: string; value: number | string | boolean | null }): string {
  return JSON.stringify({ t: v.t, signal: v.signal, value: v.value });
}
