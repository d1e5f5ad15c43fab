import type { Twin } from './schema';
import { templateCaptures, fillTemplate } from './signalIds';
import { parseDuration } from '../lib/duration';

export interface SignalMeta {
  label: string;
  unit: string;
  periodMs: number | null;
}

// Panels ask several times a second for the same ids; matching templates compiles regular
// expressions, so answers are kept per twin (a twin's signal ids are bounded by the engine's cap).
const cache = new WeakMap<Twin, Map<string, SignalMeta>>();

/** Label, unit and period for a concrete signal id, from the twin definition it matches. */
export function signalMeta(twin: Twin, id: string): SignalMeta {
  let known = cache.get(twin);
  if (!known) cache.set(twin, (known = new Map()));
  let meta = known.get(id);
  if (!meta) known.set(id, (meta = lookup(twin, id)));
  return meta;
}

function lookup(twin: Twin, id: string): SignalMeta {
  for (const def of twin.signals) {
    const captures = templateCaptures(def.id)(id);
    if (captures) {
      return {
        label: def.label ? fillTemplate(def.label, captures) : id,
        unit: def.unit ?? '',
        periodMs: def.period !== undefined ? parseDuration(def.period) : null,
      };
    }
  }
  return { label: id, unit: '', periodMs: null };
}
