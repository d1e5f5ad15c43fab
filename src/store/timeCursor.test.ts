import { describe, expect, it } from 'vitest';
import { clampTime, createTimeCursor, cursorTime, playbackPosition, rangeProblem } from './timeCursor';

const clock = (start: number) => {
  const c = { t: start, now: () => c.t };
  return c;
};

describe('time cursor helpers', () => {
  it('clamps a time into a window', () => {
    expect(clampTime(5, 10, 20)).toBe(10);
    expect(clampTime(25, 10, 20)).toBe(20);
    expect(clampTime(15, 10, 20)).toBe(15);
  });

  it('advances the playback position by wall time times speed', () => {
    expect(playbackPosition(1000, 50, 150, 60)).toBe(1000 + 100 * 60);
    expect(playbackPosition(1000, 50, 40, 60)).toBe(1000); // a clock that went back does not rewind
  });

  it('names what is wrong with a range', () => {
    expect(rangeProblem(1, 2)).toBeNull();
    expect(rangeProblem(2, 2)).toMatch(/before/);
    expect(rangeProblem(Number.NaN, 2)).toMatch(/finite/);
  });
});

describe('time cursor store', () => {
  it('starts live, following now on each tick', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    expect(s.getState()).toMatchObject({ mode: 'live', at: 1_000_000, playing: false, range: null });
    c.t += 500;
    s.getState().tick();
    expect(s.getState().at).toBe(1_000_500);
  });

  it('seeks into replay and stays at that moment while paused', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(900_000);
    c.t += 10_000;
    s.getState().tick();
    expect(s.getState()).toMatchObject({ mode: 'replay', at: 900_000, playing: false });
  });

  it('never seeks past now', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(2_000_000);
    expect(s.getState().at).toBe(1_000_000);
    expect(() => s.getState().seek(Number.NaN)).toThrow(/finite/);
  });

  it('plays at the chosen speed and pauses where it is', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(100_000);
    s.getState().play(60);
    c.t += 1000;
    s.getState().tick();
    expect(s.getState().at).toBe(160_000);
    c.t += 500;
    expect(cursorTime(s.getState(), c.t)).toBe(190_000);
    s.getState().pause();
    c.t += 5000;
    s.getState().tick();
    expect(s.getState()).toMatchObject({ at: 190_000, playing: false, speed: 60 });
  });

  it('a seek while playing continues playback from the new moment', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(100_000);
    s.getState().play(10);
    c.t += 1000;
    s.getState().seek(500_000);
    c.t += 1000;
    s.getState().tick();
    expect(s.getState().at).toBe(510_000);
  });

  it('goes live when playback catches up with now', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(990_000);
    s.getState().play(60);
    c.t += 1000; // 60 s of playback covers the 10 s gap
    s.getState().tick();
    expect(s.getState()).toMatchObject({ mode: 'live', at: c.t, playing: false });
  });

  it('stops playback at the end of a set range', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().setRange(100_000, 200_000);
    s.getState().seek(50_000);
    expect(s.getState().at).toBe(100_000);
    s.getState().play(60);
    c.t += 10_000;
    s.getState().tick();
    expect(s.getState()).toMatchObject({ mode: 'replay', at: 200_000, playing: false });
  });

  it('keeps a replay cursor inside a new range; refuses a bad range', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().seek(500_000);
    s.getState().setRange(100_000, 200_000);
    expect(s.getState().at).toBe(200_000);
    expect(() => s.getState().setRange(5, 5)).toThrow(/before/);
    expect(s.getState().range).toEqual({ from: 100_000, to: 200_000 });
  });

  it('only remembers the speed when asked to play live', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().play(30);
    expect(s.getState()).toMatchObject({ mode: 'live', playing: false, speed: 30 });
    expect(() => s.getState().play(0)).toThrow(/positive/);
  });

  it('goLive clears the range and playback', () => {
    const c = clock(1_000_000);
    const s = createTimeCursor(c.now);
    s.getState().setRange(100_000, 200_000);
    s.getState().seek(150_000);
    s.getState().play(5);
    c.t += 100;
    s.getState().goLive();
    expect(s.getState()).toMatchObject({ mode: 'live', at: c.t, playing: false, range: null });
  });
});
