import type { Twin } from '../twin/schema';
import { templateCaptures, fillTemplate } from '../twin/signalIds';
import { parseDuration } from '../lib/duration';

export interface SignalMeta {
  label: string;
  unit: string;
  periodMs: number | null;
}

/** Label, unit and period for a concrete signal id, from the twin definition it matches. */
export function signalMeta(twin: Twin, id: string): SignalMeta {
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
