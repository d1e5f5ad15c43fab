/**
 * Which scene frames draw. The scene runs its frame loop on demand; every loop iteration applies the
 * bindings, but the WebGL picture is drawn only when it changes. Without a GPU that matters twice
 * over: SwiftShader shades every pixel on the CPU, and Chrome's software compositor reads each drawn
 * canvas back, blocking the page's main thread until SwiftShader has finished the frame (a profile
 * of the pump station at 2,000 msg/s: 6 of 11 s). A telemetry batch that arrives meanwhile waits.
 *
 * - Something other than telemetry or animation asked for the frame (the camera, a model loaded, the
 *   selection, the theme, a resize): draw.
 * - The bindings changed what is drawn (a colour, a pose, visibility, a stale or alarm look): draw,
 *   at once: a frame with new data never waits for the cap below.
 * - Only animation moved (spinning parts): draw, but under software WebGL at most once per `capMs`,
 *   so the main thread keeps idle time in which a batch is applied and drawn at once.
 * - Nothing changed (a batch of values that draw the same): no draw.
 */
export interface FrameInput {
  /** performance.now() of this loop iteration. */
  now: number;
  /** Something other than telemetry, a blink or a spin asked for this frame. */
  foreign: boolean;
  /** The bindings changed what is drawn, besides spinning. */
  changed: boolean;
  /** Something spins: more frames are wanted. */
  moving: boolean;
}

export class FramePolicy {
  /** performance.now() of the last frame drawn; -Infinity before the first. */
  lastDrawn = Number.NEGATIVE_INFINITY;
  /** What a drawn frame costs the main thread, smoothed over the last few (ms); NaN before any. */
  frameCost = Number.NaN;

  /** `capMs`: the shortest time between two frames drawn for animation alone (0: no cap). */
  constructor(public capMs: number) {}

  /**
   * A drawn frame held the main thread `ms` (from the draw call until the page could run its next
   * task: under software compositing, mostly Chrome reading the canvas back). Under a cap, the cap
   * follows: see `motionCapMs`.
   */
  noteFrameCost(ms: number): void {
    if (this.capMs <= 0 || !(ms >= 0)) return;
    this.frameCost = Number.isNaN(this.frameCost) ? ms : this.frameCost + (ms - this.frameCost) * 0.25;
    this.capMs = motionCapMs(this.frameCost);
  }

  /** Whether this loop iteration draws the picture. Records the draw when it does. */
  draw(frame: FrameInput): boolean {
    const due = frame.foreign || frame.changed || (frame.moving && frame.now - this.lastDrawn >= this.capMs);
    if (due) this.lastDrawn = frame.now;
    return due;
  }

  /** Milliseconds from `now` until the next frame drawn for animation alone may be drawn (0: now). */
  motionDelay(now: number): number {
    return Math.max(0, this.lastDrawn + this.capMs - now);
  }
}

/**
 * The animation cap under software WebGL before any frame was measured: spinning parts draw at most
 * this many frames a second when nothing else changes (docs/scene-performance.md, "Frames drawn only
 * when the picture changes").
 */
export const SOFTWARE_MOTION_FPS = 10;

/** Under software WebGL, frames drawn for animation alone may hold at most this share of the main thread. */
export const MOTION_SHARE = 0.25;
/** The animation cap stays between 30 and 4 frames a second. */
export const MOTION_CAP_MIN_MS = 1000 / 30;
export const MOTION_CAP_MAX_MS = 250;

/**
 * The shortest time between two frames drawn for animation alone, for frames that each hold the main
 * thread `frameCostMs`: spinning parts take at most a quarter of it, so a batch that arrives finds
 * the thread free three times in four and is drawn at once. On the 2-core test machine a pump-station
 * frame held the main thread ~40-60 ms (4-6 spin frames a second); a faster machine gets more.
 */
export function motionCapMs(frameCostMs: number): number {
  return Math.min(MOTION_CAP_MAX_MS, Math.max(MOTION_CAP_MIN_MS, frameCostMs / MOTION_SHARE));
}
