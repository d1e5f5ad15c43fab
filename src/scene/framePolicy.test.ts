import { describe, expect, it } from 'vitest';
import { FramePolicy } from './framePolicy';

const frame = (now: number, over: Partial<{ foreign: boolean; changed: boolean; moving: boolean }> = {}) => ({
  now,
  foreign: false,
  changed: false,
  moving: false,
  ...over,
});

describe('FramePolicy', () => {
  it('draws nothing for a batch of values that draw the same', () => {
    const p = new FramePolicy(66);
    expect(p.draw(frame(0, { foreign: true }))).toBe(true);
    expect(p.draw(frame(16))).toBe(false);
    expect(p.draw(frame(32))).toBe(false);
  });

  it('draws a frame with new data at once, however recently spinning parts drew', () => {
    const p = new FramePolicy(66);
    expect(p.draw(frame(0, { moving: true }))).toBe(true);
    expect(p.draw(frame(16, { moving: true, changed: true }))).toBe(true);
  });

  it('draws spinning parts alone at most once per cap', () => {
    const p = new FramePolicy(66);
    const drawn = [];
    for (let t = 0; t <= 1000; t += 16) if (p.draw(frame(t, { moving: true }))) drawn.push(t);
    // Every fifth 16 ms frame: 80 ms apart, never closer than the cap.
    expect(drawn.length).toBeGreaterThanOrEqual(12);
    for (let i = 1; i < drawn.length; i++) expect(drawn[i] - drawn[i - 1]).toBeGreaterThanOrEqual(66);
  });

  it('draws spinning parts every frame without a cap (a GPU)', () => {
    const p = new FramePolicy(0);
    for (let t = 0; t <= 100; t += 16) expect(p.draw(frame(t, { moving: true }))).toBe(true);
  });

  it('always draws what something else asked for (camera, model, selection, resize)', () => {
    const p = new FramePolicy(66);
    expect(p.draw(frame(0, { moving: true }))).toBe(true);
    expect(p.draw(frame(16, { foreign: true }))).toBe(true);
    expect(p.draw(frame(20, { foreign: true, moving: true }))).toBe(true);
  });

  it('says when the next spin-only frame may draw, counting from the last frame drawn for any reason', () => {
    const p = new FramePolicy(66);
    expect(p.motionDelay(0)).toBe(0);
    p.draw(frame(100, { changed: true }));
    expect(p.motionDelay(116)).toBe(50);
    expect(p.motionDelay(166)).toBe(0);
    expect(p.motionDelay(300)).toBe(0);
  });
});
