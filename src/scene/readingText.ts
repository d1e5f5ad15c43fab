/**
 * A reading as the scene writes it: scene labels and the hover tooltip use the store's one rule and
 * one formatter (TelemetryStore.reading), like the values panel, the inspector and `twin watch`.
 */
import type { Twin } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { signalMeta } from '../twin/signalMeta';
import { hoverText } from './inspectorModel';
import { formatWords } from '../lib/locale';

/** A label's text: "Temp: 64.3 °C", "State: RUNNING", "Temp: 64.3 °C (dead)". */
export function labelText(store: TelemetryStore, index: number, prefix: string, unit: string, now: number): string {
  const r = store.reading(index, now, unit);
  // The condition word in the UI language (src/lib/locale.ts), set when the language changes.
  return `${prefix}: ${r.value}${r.state === 'live' || r.state === 'none' ? '' : ` (${formatWords().condition(r.state)})`}`;
}

/** The hover tooltip: the part's name and its first signal's reading, with the word and why when not live. */
export function hoverReadingText(twin: Twin, path: string, store: TelemetryStore, now: number): string {
  // hoverText names the part and finds (and caches) its first bound signal; the reading is ours.
  let first: string | undefined;
  const name = hoverText(twin, path, (id) => {
    first = id;
    return { value: NaN, unit: '', stale: false };
  });
  if (first === undefined) return name;
  const r = store.reading(store.indexOf(first), now, signalMeta(twin, first).unit);
  if (r.state === 'none') return name;
  if (r.state === 'live') return `${name} · ${r.value}`;
  const words = formatWords();
  return `${name} · ${r.value} (${words.condition(r.state)}: ${words.reason(r.reason)})`;
}
