/**
 * Counters the scene keeps about its own cost, read through `window.twinview.stats()` by the scene
 * benchmark and handy in the console. Plain numbers updated in the frame loop: no allocation.
 */
export const sceneStats = {
  /** Frames drawn (FrameGate in TwinScene.tsx): loop iterations that draw nothing are not counted. */
  frames: 0,
  /** Of the frames drawn, those that redrew only a rectangle around the parts that changed (damage.ts). */
  partialFrames: 0,
  /** The share of the canvas those partial frames redrew, summed (divide by partialFrames). */
  partialShare: 0,
  /** Meshes left out of those partial frames because they cannot reach the rectangle (RegionCull), summed. */
  culledDraws: 0,
  /** Frame-loop passes: bindings applied, drawn or not (FrameGate draws only a changed picture). */
  passes: 0,
  /**
   * Under software WebGL, what a drawn frame holds the main thread (ms, smoothed; NaN where not
   * measured): from the draw call to the page's next task, i.e. Chrome's commit reading the canvas back.
   */
  frameHoldMs: Number.NaN,
  /** Main-thread milliseconds spent applying bindings (node and instance bindings together). */
  bindingMs: 0,
  /** Frames on which instance bindings changed at least one instance. */
  busyFrames: 0,
  /** Milliseconds of binding work on those frames. */
  busyMs: 0,
  /** Instances recoloured or re-evaluated, summed over frames. */
  instancesChanged: 0,
  /**
   * Milliseconds of binding work per busy frame, the last 1,024 (index busyFrames % 1024): a median
   * shrugs off the frames where the thread was preempted mid-loop.
   */
  busyLog: new Float64Array(1024),
  /** Times the canvas lost its WebGL context since the page loaded (GraphicsContextWatch); not reset. */
  contextLosses: 0,
};

/** Records one busy frame's binding time. */
export function logBusyFrame(ms: number, changed: number): void {
  sceneStats.busyLog[sceneStats.busyFrames % sceneStats.busyLog.length] = ms;
  sceneStats.busyFrames++;
  sceneStats.busyMs += ms;
  sceneStats.instancesChanged += changed;
}

export function resetSceneStats(): void {
  sceneStats.frames = 0;
  sceneStats.partialFrames = 0;
  sceneStats.partialShare = 0;
  sceneStats.culledDraws = 0;
  sceneStats.passes = 0;
  sceneStats.bindingMs = 0;
  sceneStats.busyFrames = 0;
  sceneStats.busyMs = 0;
  sceneStats.instancesChanged = 0;
  sceneStats.busyLog.fill(0);
}
