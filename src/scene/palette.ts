/**
 * ISA-101 style colours: equipment stays grey; colour is kept for abnormal states so it stands out.
 * Every state also has a text/icon form in panels (redundant coding for colour-blind operators).
 */
import type { ColorSpec } from '../twin/schema';

export const STATE_COLORS = {
  normal: null, // the model's own (grey) colour
  info: '#5b7fa6',
  warning: '#e6a100',
  alarm: '#d62828',
  critical: '#b0168c',
  off: '#4a4a4a',
} as const satisfies Record<string, string | null>;

/** Resolves a colour spec to a hex colour, or null for "leave the model's colour". */
export function resolveColor(spec: ColorSpec): string | null {
  return spec in STATE_COLORS ? STATE_COLORS[spec as keyof typeof STATE_COLORS] : spec;
}
