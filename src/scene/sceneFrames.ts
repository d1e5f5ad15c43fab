import { nextBlinkFlip } from './effects';

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
let blinkWanted = false;
let blinkInvalidate: (() => void) | null = null;

/**
 * Blinking needs a frame only when the light flips, not sixty times a second: one timer chain for the
 * whole scene, however many parts blink. A frame that draws something blinking calls this; it only
 * sets a flag; the chain's own tick, at each flip, asks for the next frame and arms the next tick,
 * and stops at the first flip no frame asked for. (A timer armed from the frame itself cost the
 * frame 5–30 µs, a third of the 10,000-instance binding pass, `npm run bench -- scene`.)
 */
export function requestBlinkFrame(invalidate: () => void): void {
  blinkWanted = true;
  blinkInvalidate = invalidate;
  if (blinkTimer === null) armBlinkTimer();
}

function armBlinkTimer(): void {
  const now = Date.now();
  blinkTimer = setTimeout(
    () => {
      blinkTimer = null;
      if (!blinkWanted) return;
      blinkWanted = false;
      // Armed before asking, so a frame that asks again at once finds the chain running.
      armBlinkTimer();
      blinkInvalidate?.();
    },
    nextBlinkFlip(now) - now,
  );
}
