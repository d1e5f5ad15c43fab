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
