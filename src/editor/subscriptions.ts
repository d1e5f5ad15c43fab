/**
 * The twin's topic subscriptions as the Twin & broker section edits them: one filter a line, a
 * line ending in " qos1" (or " qos0") for the object form with its QoS. A new twin subscribes to
 * "#" so that any signal previews at once; "Only the signals' topics" narrows it to what the
 * signals read, so a saved twin does not take every message of a busy plant broker.
 */
import { filterCovers, toMqttFilter } from '../lib/topicPattern';
import { HTTP_TOPIC_PREFIX } from '../twin/schema';

type Entry = string | { topic: string; qos?: unknown };

/** The subscriptions as text, one a line. */
export function subscriptionsText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value
    .map((e: unknown) => {
      if (typeof e === 'string') return e;
      if (e && typeof e === 'object' && typeof (e as { topic?: unknown }).topic === 'string') {
        const { topic, qos } = e as { topic: string; qos?: unknown };
        return qos === 0 || qos === 1 ? `${topic} qos${qos}` : topic;
      }
      return '';
    })
    .join('\n');
}

/** Text back to subscriptions; blank lines are dropped (an empty list is the validator's to name). */
export function parseSubscriptions(text: string): Entry[] {
  const out: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+qos([01])$/.exec(line);
    out.push(m ? { topic: m[1], qos: Number(m[2]) } : line);
  }
  return out;
}

/**
 * The fewest filters that cover every signal's topic: each topic as an MQTT filter ("+name"
 * captures become "+"), without one another filter already covers. HTTP-source signals need none.
 */
export function signalFilters(signals: unknown): string[] {
  if (!Array.isArray(signals)) return [];
  const filters: string[] = [];
  for (const s of signals) {
    const topic = s && typeof s === 'object' ? (s as { topic?: unknown }).topic : undefined;
    if (typeof topic !== 'string' || !topic || topic.startsWith(HTTP_TOPIC_PREFIX)) continue;
    const filter = toMqttFilter(topic);
    if (!filters.includes(filter)) filters.push(filter);
  }
  return filters.filter((f, i) => !filters.some((g, j) => j !== i && g !== f && filterCovers(g, f)));
}
