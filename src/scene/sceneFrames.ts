import { untilBlinkFlip } from './effects';

/**
 * The scene renders on demand (frameloop "demand"): nothing draws while nothing changes. Code outside
 * the canvas (the session applying a telemetry batch) asks for a frame here; r3f folds any number of
 * requests before the next animation frame into one render.
 */
let invalidate: (() => void) | null = null;

/** Set by the canvas while it is mounted; returns a function that unsets it. */
export function setSceneInvalidator(fn: () => void): () => void {
  invalidate = fn;
  return () => {
    if (invalidate === fn) invalidate = null;
  };
}

/** Asks for one more scene frame (cheap; safe to call for every telemetry batch). */
export function requestSceneFrame(): void {
  invalidate?.();
}

let blinkTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Blinking needs a frame only when the light flips, not sixty times a second: one timer for the
 * whole scene, however many parts blink.
 */
export function requestBlinkFrame(invalidate: () => void): void {
  if (blinkTimer !== null) return;
  blinkTimer = setTimeout(
    () => {
      blinkTimer = null;
      invalidate();
    },
    Math.max(16, untilBlinkFlip(Date.now() / 1000) * 1000),
  );
}
