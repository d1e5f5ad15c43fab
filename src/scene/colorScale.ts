/**
 * The one value -> colour mapping of colour effects (`colorRamp`, `colorThresholds`), for node
 * bindings (bindingRuntime.ts) and instance bindings (instanceRuntime.ts) alike. No React, no WebGL.
 *
 * A stop's colour is linear RGB with a coverage `a`: 1 for a colour, 0 for `"normal"` (the model's own
 * look). Colours are kept premultiplied (r·a, g·a, b·a, a), so a ramp between a colour and `"normal"`
 * fades from that colour into the model's look, and the colour drawn over a model colour `base` is
 * always `rgb + base·(1 − a)`. Node bindings hand (rgb / a, a) to the part's overlay (overlay.ts:
 * it replaces the part's colour and texture by that much); instanced assets inline `resolvedTables`,
 * which gives the same colour for a part of colour `base`.
 */
import { Color } from 'three';
import type { ColorSpec } from '../twin/schema';
import { resolveColor } from './palette';

/** Premultiplied linear RGB and coverage. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface ColorScale {
  /** True for a ramp (blend between stops), false for thresholds (the last stop reached). */
  ramp: boolean;
  /** Stop values, ascending as written. */
  values: Float64Array;
  /** Four numbers per stop: r·a, g·a, b·a, a. */
  stops: Float64Array;
  /** Thresholds: the colour below the first stop (four numbers). */
  below: Float64Array;
}

type ColorEffect =
  | { kind: 'colorRamp'; stops: readonly (readonly [number, ColorSpec])[] }
  | { kind: 'colorThresholds'; stops: readonly (readonly [number, ColorSpec])[]; below: ColorSpec };

const scratch = new Color();

function premultiplied(spec: ColorSpec, out: Float64Array, at: number): void {
  const hex = resolveColor(spec);
  if (hex === null) {
    out.fill(0, at, at + 4);
    return;
  }
  scratch.set(hex); // linear RGB, as materials hold colours
  out[at] = scratch.r;
  out[at + 1] = scratch.g;
  out[at + 2] = scratch.b;
  out[at + 3] = 1;
}

export function colorScale(effect: ColorEffect): ColorScale {
  const n = effect.stops.length;
  const stops = new Float64Array(n * 4);
  effect.stops.forEach(([, c], i) => premultiplied(c, stops, i * 4));
  const below = new Float64Array(4);
  if (effect.kind === 'colorThresholds') premultiplied(effect.below, below, 0);
  return { ramp: effect.kind === 'colorRamp', values: Float64Array.from(effect.stops, ([v]) => v), stops, below };
}

/**
 * The colour for value `v`, into `out` (premultiplied). A ramp clamps at its ends and blends the two
 * stops around `v`; thresholds take the last stop at or below `v`, or `below`. False for NaN (no value
 * yet: the caller keeps what it draws).
 */
export function scaleRgba(s: ColorScale, v: number, out: Rgba): boolean {
  if (v !== v) return false;
  const values = s.values;
  const last = values.length - 1;
  let src = s.stops;
  let o: number;
  if (s.ramp) {
    if (v > values[0] && v < values[last]) {
      let j = 0;
      while (v > values[j + 1]) j++;
      const t = (v - values[j]) / (values[j + 1] - values[j]);
      o = j * 4;
      out.r = src[o] + (src[o + 4] - src[o]) * t;
      out.g = src[o + 1] + (src[o + 5] - src[o + 1]) * t;
      out.b = src[o + 2] + (src[o + 6] - src[o + 2]) * t;
      out.a = src[o + 3] + (src[o + 7] - src[o + 3]) * t;
      return true;
    }
    o = v <= values[0] ? 0 : last * 4;
  } else {
    let j = -1;
    while (j < last && v >= values[j + 1]) j++;
    if (j < 0) src = s.below;
    o = j < 0 ? 0 : j * 4;
  }
  out.r = src[o];
  out.g = src[o + 1];
  out.b = src[o + 2];
  out.a = src[o + 3];
  return true;
}

/** A premultiplied colour drawn over the model colour `base` (linear RGB), into `out`. */
export function over(c: Rgba, base: { r: number; g: number; b: number }, out: { r: number; g: number; b: number }) {
  out.r = c.r + base.r * (1 - c.a);
  out.g = c.g + base.g * (1 - c.a);
  out.b = c.b + base.b * (1 - c.a);
}

/**
 * Flat RGB tables with each stop already drawn over `base` (three numbers per stop, and `below`):
 * what the instance hot loop inlines. Blending two of these linearly gives exactly
 * `over(scaleRgba(v), base)`, because `over` is linear in the stop colours.
 */
export function resolvedTables(s: ColorScale, base: { r: number; g: number; b: number }) {
  const n = s.values.length;
  const stopRgb = new Float64Array(n * 3);
  const c: Rgba = { r: 0, g: 0, b: 0, a: 0 };
  const rgb = { r: 0, g: 0, b: 0 };
  const resolve = (src: Float64Array, o: number, out: Float64Array, at: number) => {
    c.r = src[o];
    c.g = src[o + 1];
    c.b = src[o + 2];
    c.a = src[o + 3];
    over(c, base, rgb);
    out[at] = rgb.r;
    out[at + 1] = rgb.g;
    out[at + 2] = rgb.b;
  };
  for (let i = 0; i < n; i++) resolve(s.stops, i * 4, stopRgb, i * 3);
  const belowRgb = new Float64Array(3);
  resolve(s.below, 0, belowRgb, 0);
  return { stopRgb, belowRgb };
}
