/**
 * Turns a recording into what the page shows (pure, no DOM): the messages go through the twin's own
 * signals and rules with the same Engine the worker runs, its clock set to the recording's times;
 * decoded-value lines go through it too, each signal read from a topic of its own (as the what-if
 * check does), so the rules see them and the alarms are what the rules would have raised.
 */
import { Engine } from '../engine/engine';
import { BACKTEST_TICK_MS } from '../engine/backtest';
import type { AlarmAuditEntry, KindChange, SignalInfo, TextValue } from '../engine/protocol';
import { SAMPLE_STRIDE } from '../engine/protocol';
import type { RecordedMessage } from '../engine/recording';
import type { SignalDef, Twin } from '../twin/schema';
import { definitionOf, type DecodedValue } from './recordingFile';

export interface LoadedRecording {
  signals: SignalInfo[];
  /** Triples [signal index, value, time] in time order, as a telemetry batch carries them. */
  samples: Float64Array;
  count: number;
  texts: TextValue[];
  kinds: KindChange[];
  transitions: AlarmAuditEntry[];
  from: number;
  to: number;
}

const VALUE_TOPIC = '$twinview/recording/';

function fill(template: string | undefined, captures: Record<string, string>): string | undefined {
  return template?.replace(/\{([^}]+)\}/g, (m: string, name: string) => captures[name] ?? m);
}

export function loadRecording(
  twin: Twin,
  file: { messages: readonly RecordedMessage[]; values: readonly DecodedValue[]; from: number; to: number },
): LoadedRecording {
  // One extra signal definition per decoded id, read as JSON {"v": ...}; it maps back to the twin's.
  const extra: SignalDef[] = [];
  const backToDef: number[] = [];
  const topicOf = new Map<string, string>();
  for (const v of file.values) {
    if (topicOf.has(v.signal)) continue;
    const topic = `${VALUE_TOPIC}${topicOf.size}`;
    topicOf.set(v.signal, topic);
    const match = definitionOf(twin, v.signal);
    const base = match ? twin.signals[match.def] : undefined;
    const def: SignalDef = { id: v.signal, topic, decoder: 'json', path: 'v' };
    const label = fill(base?.label, match?.captures ?? {});
    if (label !== undefined) def.label = label;
    if (base?.unit !== undefined) def.unit = base.unit;
    if (base?.map !== undefined) def.map = base.map;
    extra.push(def);
    backToDef.push(match ? match.def : -1);
  }
  const messages: RecordedMessage[] = [...file.messages];
  for (const v of file.values)
    messages.push({ t: v.t, topic: topicOf.get(v.signal)!, payload: JSON.stringify({ v: v.value }) });
  // Stable: message lines and value lines of the same time keep the file's order within each kind.
  messages.sort((a, b) => a.t - b.t);

  let now = file.from;
  const engine = new Engine({ ...twin, signals: [...twin.signals, ...extra] }, { now: () => now, maxSamples: 1 << 24 });
  const signals: SignalInfo[] = [];
  const texts = new Map<number, string>();
  const kinds: KindChange[] = [];
  const transitions: AlarmAuditEntry[] = [];
  let samples = new Float64Array(1024 * SAMPLE_STRIDE);
  let count = 0;
  const take = () => {
    transitions.push(...engine.takeAudit());
    if (!engine.hasOutput) return;
    const out = engine.takeBatch();
    for (const info of out.added) {
      const def = info.def >= twin.signals.length ? backToDef[info.def - twin.signals.length] : info.def;
      signals.push({ ...info, def: def < 0 ? 0 : def });
    }
    const b = out.batch;
    if (!b) return;
    const n = b.count * SAMPLE_STRIDE;
    if (count * SAMPLE_STRIDE + n > samples.length) {
      const grown = new Float64Array(Math.max(samples.length * 2, count * SAMPLE_STRIDE + n));
      grown.set(samples.subarray(0, count * SAMPLE_STRIDE));
      samples = grown;
    }
    samples.set(b.samples.subarray(0, n), count * SAMPLE_STRIDE);
    count += b.count;
    for (const t of b.texts ?? []) texts.set(t.index, t.text);
    kinds.push(...(b.kinds ?? []));
  };
  let nextTick = now + BACKTEST_TICK_MS;
  for (const m of messages) {
    while (nextTick <= m.t) {
      now = nextTick;
      engine.tick(now);
      nextTick += BACKTEST_TICK_MS;
    }
    now = m.t;
    engine.handleMessage(m.topic, m.payload);
    take();
  }
  now = nextTick;
  engine.tick(now);
  take();
  return {
    signals,
    samples: samples.subarray(0, count * SAMPLE_STRIDE),
    count,
    texts: [...texts].map(([index, text]) => ({ index, text })),
    kinds,
    transitions,
    from: file.from,
    to: file.to,
  };
}
