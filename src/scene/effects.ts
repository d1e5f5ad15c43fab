/** Pure effect maths, shared by the scene's binding loop and tested without WebGL (colours: colorScale.ts). */

/** Fill fraction for a scale effect, clamped to (0, 1]; a zero scale would make the mesh degenerate. */
export function scaleFraction(range: readonly [number, number], value: number): number {
  const f = (value - range[0]) / (range[1] - range[0]);
  return Math.min(1, Math.max(0.001, f));
}

/** Radians to turn in `dt` seconds for a spin effect. */
export function spinRadians(value: number, rpmPerUnit: number, maxRpm: number, dt: number): number {
  const rpm = Math.min(maxRpm, Math.max(-maxRpm, value * rpmPerUnit));
  return (rpm / 60) * 2 * Math.PI * dt;
}

/** Maps a value linearly from `range` onto `out`, clamped to the ends of `out`. */
export function mapRange(range: readonly [number, number], out: readonly [number, number], value: number): number {
  const span = range[1] - range[0];
  const f = span === 0 ? 0 : Math.min(1, Math.max(0, (value - range[0]) / span));
  return out[0] + (out[1] - out[0]) * f;
}

/** Blink period for unacknowledged alarms: 1 Hz, half on, half off (ISA-101 / IEC 62682 practice). */
export const BLINK_PERIOD_S = 1;

/** Whether an unacknowledged alarm's emissive is lit at time `t` (seconds). */
export function blinkOn(t: number): boolean {
  return t % BLINK_PERIOD_S < BLINK_PERIOD_S / 2;
}

/**
 * When (epoch ms) the blink next turns on or off after `nowMs`: always later than `nowMs`. Whole
 * milliseconds, so a timer that fires on a flip aims at the next one, not at the one it is on.
 */
export function nextBlinkFlip(nowMs: number): number {
  const half = BLINK_PERIOD_S * 500;
  return (Math.floor(nowMs / half) + 1) * half;
}

/** How far stale colours are pulled to grey (0..1) and then towards white, so they read as "not live". */
export const STALE_GREY = 0.8;
export const STALE_WASH = 0.45;

/**
 * The washed-out colour a stale part is drawn in, from its live colour (components 0..1, written into `out`):
 * mostly grey and lighter, so a red "alarm" part no longer looks like a live alarm.
 */
export function staleRgb(r: number, g: number, b: number, out: { r: number; g: number; b: number }): void {
  const grey = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  out.r = (r + (grey - r) * STALE_GREY) * (1 - STALE_WASH) + STALE_WASH;
  out.g = (g + (grey - g) * STALE_GREY) * (1 - STALE_WASH) + STALE_WASH;
  out.b = (b + (grey - b) * STALE_GREY) * (1 - STALE_WASH) + STALE_WASH;
}
