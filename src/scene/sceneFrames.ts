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
  if (invalidate) askOwn(invalidate);
}

/**
 * Asks `invalidate` (a canvas' own) for a frame in which the bindings decide what is drawn: an alarm
 * or connection change repaints the parts it concerns, and under software WebGL redraws only around
 * them (damage.ts), where any other request draws the whole canvas.
 */
export function requestBindingsFrame(invalidate: () => void): void {
  askOwn(invalidate);
}

/**
 * Asks for a frame that is drawn whatever the bindings say: the kiosk watchdog's liveness check, which
 * must see the frame counter move on a page where nothing changes (a request of its own would be
 * skipped as "nothing to draw", and an idle kiosk would reload itself as stalled).
 */
export function requestSceneDraw(): void {
  invalidate?.();
}

/**
 * True while one of the requests of this module (a batch, a blink, a spin) is asking for a frame:
 * the canvas counts any other request as "something else changed" and draws that frame whatever the
 * bindings say (framePolicy.ts).
 */
let ownRequest = false;

export function isOwnFrameRequest(): boolean {
  return ownRequest;
}

function askOwn(fn: () => void): void {
  ownRequest = true;
  try {
    fn();
  } finally {
    ownRequest = false;
  }
}

let motionDelay: (() => number) | null = null;
let motionTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Set by the canvas under software WebGL: how long from now until the next frame drawn for animation
 * alone may draw (framePolicy.ts). Returns a function that unsets it.
 */
export function setMotionDelay(fn: () => number): () => void {
  motionDelay = fn;
  return () => {
    if (motionDelay === fn) motionDelay = null;
    if (motionTimer !== null) clearTimeout(motionTimer);
    motionTimer = null;
  };
}

/**
 * Something spins and wants the next frame. Without a cap that is the next animation frame; under
 * the software cap a timer asks when the cap allows, so the frames between (none, unless data or the
 * user asks) leave the main thread idle. One timer however many parts spin.
 */
export function requestMotionFrame(invalidate: () => void): void {
  const wait = motionDelay?.() ?? 0;
  if (wait <= 0) {
    askOwn(invalidate);
    return;
  }
  if (motionTimer !== null) return;
  motionTimer = setTimeout(() => {
    motionTimer = null;
    askOwn(invalidate);
  }, wait);
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
      if (blinkInvalidate) askOwn(blinkInvalidate);
    },
    nextBlinkFlip(now) - now,
  );
}

let labelTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * A label's newer text is held back (at most four changes a second, bindingRuntime.ts): asks for the
 * pass that writes it in `delayMs`, so the last value of a stream that stops is shown too. One timer
 * for the whole scene; passes that come sooner (the next batch) write it anyway.
 */
export function requestLabelFrame(invalidate: () => void, delayMs: number): void {
  if (labelTimer !== null) return;
  labelTimer = setTimeout(() => {
    labelTimer = null;
    askOwn(invalidate);
  }, delayMs);
}
