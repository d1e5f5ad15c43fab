/**
 * From a pick in the topic browser to a signal in the draft: the guess over every topic the chosen
 * pattern matches (a template's range covers all its devices), appended to the draft's signals with
 * an id not yet used, and the draft's subscriptions widened when none covers the signal's topic (the
 * validator would otherwise refuse it). Pure: the panel runs it inside one undo step.
 */
import { filterCovers, toMqttFilter } from '../lib/topicPattern';
import type { TopicBrowser } from './topicBrowser';
import type { PayloadDecoder, PayloadLeaf } from './payloadPaths';
import { guessSignal, sparkplugPattern, type GuessedSignal } from './signalGuess';

type Json = Record<string, unknown>;

/** The guess for `leaf` of a payload read by `decoder`, on `pattern` (the topic itself or a template of it). */
export function signalFromPick(
  model: TopicBrowser,
  pattern: string,
  leaf: PayloadLeaf,
  decoder: PayloadDecoder,
): GuessedSignal {
  const topic = decoder === 'sparkplug' ? sparkplugPattern(pattern) : pattern;
  let min = Infinity;
  let max = -Infinity;
  for (const { series } of model.seriesMatching(topic, leaf.path)) {
    min = Math.min(min, series.min);
    max = Math.max(max, series.max);
  }
  return guessSignal({
    topic,
    path: leaf.path,
    decoder,
    kind: leaf.kind,
    ...(min <= max ? { min, max } : {}),
  });
}

/** Appends a signal to the draft (id made unique), widening the subscriptions if needed; returns its index. */
export function addSignal(doc: Json, signal: GuessedSignal): number {
  if (!Array.isArray(doc.signals)) doc.signals = [];
  const signals = doc.signals as unknown[];
  const used = new Set(
    signals.map((s) => (typeof s === 'object' && s !== null ? (s as Json).id : undefined)).filter(Boolean),
  );
  let id = signal.id;
  for (let n = 2; used.has(id); n++) id = `${signal.id}_${n}`;
  signals.push({ ...signal, id });

  if (typeof doc.connection !== 'object' || doc.connection === null || Array.isArray(doc.connection))
    doc.connection = {};
  const connection = doc.connection as Json;
  if (!Array.isArray(connection.subscribe)) connection.subscribe = [];
  const subscribe = connection.subscribe as unknown[];
  const covered = subscribe.some((f) => {
    const filter = typeof f === 'string' ? f : typeof f === 'object' && f !== null ? (f as Json).topic : undefined;
    return typeof filter === 'string' && filterCovers(filter, signal.topic);
  });
  if (!covered) subscribe.push(toMqttFilter(signal.topic));
  return signals.length - 1;
}
