import type { Twin } from '../twin/schema';
import { templateMatcher, fillTemplate } from '../twin/signalIds';
import { parseDuration } from '../lib/duration';

export interface SignalMeta {
  label: string;
  unit: string;
  periodMs: number | null;
}

/** Label, unit and period for a concrete signal id, from the twin definition it matches. */
export function signalMeta(twin: Twin, id: string): SignalMeta {
  for (const def of twin.signals) {
    if (templateMatcher(def.id)(id)) {
      const captures = captureFrom(def.id, id);
      return {
        label: def.label ? fillTemplate(def.label, captures) : id,
        unit: def.unit ?? '',
        periodMs: def.period !== undefined ? parseDuration(def.period) : null,
      };
    }
  }
  return { label: id, unit: '', periodMs: null };
}

function captureFrom(template: string, id: string): Record<string, string> {
  const names: string[] = [];
  const source = template
    .split(/\{([A-Za-z_][A-Za-z0-9_]*)\}/)
    .map((part, i) => {
      if (i % 2 === 1) {
        names.push(part);
        return '(.+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const m = new RegExp(`^${source}$`).exec(id);
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = m?.[i + 1] ?? ''));
  return out;
}
