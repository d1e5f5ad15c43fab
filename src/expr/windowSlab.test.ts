import { describe, expect, it } from 'vitest';
import { SignalWindow, WINDOW_DOUBLES } from './window';

/**
 * Windows that keep their header and buckets in a shared array (a rule set's slab) answer exactly as
 * windows with an array of their own, and write nothing outside their WINDOW_DOUBLES numbers.
 */
describe('SignalWindow in a shared slab', () => {
  it('gives the same answers as windows of their own, interleaved, and stays within its numbers', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const spans = [1000, 60_000, 60_000, 300_000];
    // A guard of numbers before, between and after the windows.
    const guard = 8;
    const slab = new Float64Array(guard + spans.length * (WINDOW_DOUBLES + guard)).fill(-12345);
    const shared = spans.map(
      (ms, i) => new SignalWindow(ms, { data: slab, base: guard + i * (WINDOW_DOUBLES + guard) }),
    );
    const own = spans.map((ms) => new SignalWindow(ms));
    const fit = { slope: 0, at: 0 };
    const fitOwn = { slope: 0, at: 0 };
    let t = 1_700_000_000_000;
    for (let i = 0; i < 20_000; i++) {
      const r = random();
      t += r < 0.005 ? 400_000 : r < 0.01 ? -3000 : random() * 900;
      const k = Math.floor(random() * spans.length);
      const v = Math.round(random() * 1000) / 10;
      shared[k].push(v, t);
      own[k].push(v, t);
      const now = t + (random() < 0.1 ? random() * 60_000 : 0);
      for (let w = 0; w < spans.length; w++) {
        for (const q of ['avg', 'min', 'max', 'first', 'rate', 'coverage'] as const) {
          const a = shared[w][q](now);
          const b = own[w][q](now);
          if (!Object.is(a, b)) throw new Error(`${q}(${now}) of window ${w} after ${i} steps: ${a} vs ${b}`);
        }
        const ok = shared[w].trend(now, fit);
        expect(ok).toBe(own[w].trend(now, fitOwn));
        if (ok) expect([fit.slope, fit.at]).toEqual([fitOwn.slope, fitOwn.at]);
      }
    }
    for (let i = 0; i < spans.length + 1; i++)
      for (let g = 0; g < guard; g++) expect(slab[i * (WINDOW_DOUBLES + guard) + g]).toBe(-12345);
  });

  it('continues exactly where it was after moveTo (the rule set moves its windows into one array)', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const moved = new SignalWindow(60_000);
    const stays = new SignalWindow(60_000);
    const target = new Float64Array(3 * WINDOW_DOUBLES).fill(-1);
    let t = 1_700_000_000_000;
    for (let i = 0; i < 4000; i++) {
      if (i === 1500) moved.moveTo(target, WINDOW_DOUBLES);
      t += random() * 900;
      const v = Math.round(random() * 1000) / 10;
      moved.push(v, t);
      stays.push(v, t);
      for (const q of ['avg', 'min', 'max', 'first', 'rate', 'coverage'] as const)
        expect(Object.is(moved[q](t), stays[q](t))).toBe(true);
    }
    // Its numbers live in the target now, and only in its own WINDOW_DOUBLES of it.
    expect(target.subarray(0, WINDOW_DOUBLES).every((x) => x === -1)).toBe(true);
    expect(target.subarray(2 * WINDOW_DOUBLES).every((x) => x === -1)).toBe(true);
    expect(target.subarray(WINDOW_DOUBLES, 2 * WINDOW_DOUBLES).some((x) => x !== -1)).toBe(true);
  });
});
