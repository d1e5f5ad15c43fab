/**
 * The recording format: JSON Lines, one MQTT message per line, in time order:
 *
 *   {"t": 1732540000000, "topic": "plant/north/tank1/telemetry", "payload": "{\"level\":52.1}"}
 *
 * `t` is the arrival time in ms since the epoch, `payload` the message text as received. Blank lines
 * are skipped. It is what the backtest replays and what the history recorder exports.
 */
export interface RecordedMessage {
  t: number;
  topic: string;
  payload: string;
}

export type ParsedRecording = { ok: true; messages: RecordedMessage[] } | { ok: false; line: number; error: string };

/** Parses a recording; the first bad line (1-based) is reported and nothing is half-returned. */
export function parseRecording(text: string): ParsedRecording {
  const messages: RecordedMessage[] = [];
  const lines = text.split('\n');
  let last = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, line: i + 1, error: 'not a JSON object' };
    }
    const m = value as Partial<RecordedMessage> | null;
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      return { ok: false, line: i + 1, error: 'not a JSON object' };
    if (typeof m.t !== 'number' || !Number.isFinite(m.t))
      return { ok: false, line: i + 1, error: '"t" must be a number (ms)' };
    if (typeof m.topic !== 'string' || m.topic === '') return { ok: false, line: i + 1, error: '"topic" must be text' };
    if (typeof m.payload !== 'string') return { ok: false, line: i + 1, error: '"payload" must be text' };
    if (m.t < last) return { ok: false, line: i + 1, error: '"t" goes back in time' };
    last = m.t;
    messages.push({ t: m.t, topic: m.topic, payload: m.payload });
  }
  return { ok: true, messages };
}

/** One line of a recording. */
export function recordLine(m: RecordedMessage): string {
  return JSON.stringify({ t: m.t, topic: m.topic, payload: m.payload });
}
