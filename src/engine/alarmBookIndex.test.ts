import { describe, expect, it } from 'vitest';
import { AlarmBook, type AlarmDef } from './alarms';

/**
 * snapshot() and setSuppressedAt() read per-alarm bytes the book keeps up to date on every transition:
 * random operator and rule sequences must give the same results as asking each alarm its state.
 */
const defs: AlarmDef[] = Array.from({ length: 6 }, (_, i) => ({
  id: `a${i}`,
  message: `alarm ${i}`,
  priority: 'medium',
  signal: `s${i}`,
  latch: i === 5,
}));

function run(seed: number) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const byIndex = new AlarmBook(defs);
  const byId = new AlarmBook(defs);
  const results: [boolean, boolean][] = [];
  for (let step = 0, now = 0; step < 3000; step++, now += 1000) {
    const i = Math.floor(random() * defs.length);
    const id = defs[i].id;
    const op = Math.floor(random() * 9);
    if (op === 0) results.push([byIndex.raiseAt(i, step, now), byId.raise(id, step, now)]);
    else if (op === 1) results.push([byIndex.clearAt(i, now), byId.clear(id, now)]);
    else if (op === 2 || op === 3) {
      const on = op === 2;
      results.push([byIndex.setSuppressedAt(i, on, now), byId.setSuppressed(id, on, now)]);
    } else {
      const out = random() < 0.5;
      for (const b of [byIndex, byId]) {
        if (op === 4) b.acknowledge(id, now);
        else if (op === 5) b.shelve(id, now, now + 5000);
        else if (op === 6) b.setOutOfService(id, out, now);
        else if (op === 7) b.reset(id, now);
        else b.tick(now);
      }
    }
    const listed = byIndex.snapshot().map((a) => a.id);
    const expected = defs
      .map((d) => d.id)
      .filter((x) => {
        const state = byId.state(x);
        return state !== 'normal' && !(state === 'suppressed' && !byId.conditionHolds(x));
      });
    expect(listed, `step ${step}`).toEqual(expected);
  }
  // A restore rewrites states wholesale: the listing follows.
  const saved = byId.snapshot();
  const fresh = new AlarmBook(defs);
  fresh.restore(saved);
  expect(fresh.snapshot().map((a) => a.id)).toEqual(saved.map((a) => a.id));
  return results;
}

describe('AlarmBook per-alarm index', () => {
  it('lists and suppresses as the alarms states say, over random sequences', () => {
    for (const seed of [1, 2, 3]) {
      const results = run(seed);
      expect(results.map((r) => r[0])).toEqual(results.map((r) => r[1]));
      expect(results.some((r) => r[0])).toBe(true);
    }
  });
});
