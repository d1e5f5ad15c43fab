import { describe, expect, it } from 'vitest';
import { FramePolicy, motionCapMs } from './framePolicy';

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

describe('the software cap follows what a frame costs', () => {
  it('lets spinning parts take at most a quarter of the main thread, between 30 and 4 frames a second', () => {
    expect(motionCapMs(10)).toBe(40);
    expect(motionCapMs(50)).toBe(200);
    expect(motionCapMs(1)).toBeCloseTo(1000 / 30);
    expect(motionCapMs(500)).toBe(250);
  });

  it('smooths the measured cost, so one slow frame does not halve the spin rate', () => {
    const p = new FramePolicy(100);
    p.noteFrameCost(20);
    expect(p.capMs).toBe(80);
    p.noteFrameCost(100);
    expect(p.frameCost).toBe(40);
    expect(p.capMs).toBe(160);
  });

  it('keeps no cap where there is none (a GPU)', () => {
    const p = new FramePolicy(0);
    p.noteFrameCost(50);
    expect(p.capMs).toBe(0);
  });
});
