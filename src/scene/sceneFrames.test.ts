import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A whole second: the blink light flips every half second (see effects.ts).
const T0 = 1_700_000_000_000;

describe('requestBlinkFrame', () => {
  let requestBlinkFrame: (invalidate: () => void) => void;
  beforeEach(async () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 100);
    // The timer chain is module state: each test gets a fresh copy.
    vi.resetModules();
    ({ requestBlinkFrame } = await import('./sceneFrames'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for one frame at the next flip, however many parts asked', () => {
    const invalidate = vi.fn();
    requestBlinkFrame(invalidate);
    requestBlinkFrame(invalidate);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(399);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(invalidate).toHaveBeenCalledTimes(1);
  });

  it('keeps asking at every flip while the frames it causes still draw something blinking', () => {
    // Each frame the scene draws finds the part still blinking and asks again, as useFrame does.
    const invalidate = vi.fn(() => requestBlinkFrame(invalidate));
    requestBlinkFrame(invalidate);
    vi.advanceTimersByTime(400 + 500 * 3);
    expect(invalidate).toHaveBeenCalledTimes(4);
  });

  it('stops at the first flip no frame asked for, leaving no timer behind', () => {
    let frames = 2;
    const invalidate = vi.fn(() => {
      if (--frames > 0) requestBlinkFrame(invalidate);
    });
    requestBlinkFrame(invalidate);
    vi.advanceTimersByTime(400 + 500 * 5);
    expect(invalidate).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('requestMotionFrame and own requests', () => {
  let m: typeof import('./sceneFrames');
  beforeEach(async () => {
    vi.useFakeTimers();
    vi.resetModules();
    m = await import('./sceneFrames');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the next frame at once without a cap', () => {
    const invalidate = vi.fn();
    m.requestMotionFrame(invalidate);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('under a cap asks once, when the cap allows, however many frames asked meanwhile', () => {
    let wait = 50;
    m.setMotionDelay(() => wait);
    const invalidate = vi.fn();
    m.requestMotionFrame(invalidate);
    m.requestMotionFrame(invalidate);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(49);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(invalidate).toHaveBeenCalledTimes(1);
    wait = 0;
    m.requestMotionFrame(invalidate);
    expect(invalidate).toHaveBeenCalledTimes(2);
  });

  it('leaves no timer behind when the canvas goes', () => {
    const unset = m.setMotionDelay(() => 50);
    m.requestMotionFrame(vi.fn());
    unset();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('marks its own requests (telemetry, spin, blink) so the canvas can tell them from any other', () => {
    const seen: boolean[] = [];
    const invalidate = () => seen.push(m.isOwnFrameRequest());
    m.setSceneInvalidator(invalidate);
    m.requestSceneFrame();
    m.requestMotionFrame(invalidate);
    invalidate();
    expect(seen).toEqual([true, true, false]);
  });

  it('asks for a drawn frame for the kiosk watchdog: not one of its own, so the canvas draws it even when nothing changed', () => {
    const seen: boolean[] = [];
    m.setSceneInvalidator(() => seen.push(m.isOwnFrameRequest()));
    m.requestSceneDraw();
    expect(seen).toEqual([false]);
  });
});
