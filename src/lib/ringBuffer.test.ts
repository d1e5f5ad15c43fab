import { describe, expect, it } from 'vitest';
import { CHUNK, ChunkPool, SampleRing } from './ringBuffer';

const contents = (r: SampleRing) => Array.from({ length: r.length }, (_, i) => [r.timeAt(i), r.valueAt(i)]);

describe('SampleRing', () => {
  it('keeps samples in arrival order while under capacity', () => {
    const r = new SampleRing(10, 2);
    for (let i = 0; i < 5; i++) r.push(i, i * 10);
    expect(contents(r)).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
    ]);
  });

  it('drops the oldest samples once full, keeping exactly capacity samples', () => {
    const r = new SampleRing(4, 1);
    for (let i = 0; i < 11; i++) r.push(i, -i);
    expect(r.length).toBe(4);
    expect(contents(r)).toEqual([
      [7, -7],
      [8, -8],
      [9, -9],
      [10, -10],
    ]);
  });

  it('never grows its storage past the capacity whatever arrives', () => {
    const r = new SampleRing(1000, 8);
    for (let i = 0; i < 100_000; i++) r.push(i, i);
    // Storage is whole chunks: at most the capacity rounded up to one.
    expect(r.byteLength).toBe(Math.ceil(1000 / CHUNK) * CHUNK * 16);
    expect(r.timeAt(0)).toBe(99_000);
  });

  it('finds the first sample at or after a time, across the wrap', () => {
    const r = new SampleRing(5, 5);
    for (let i = 0; i < 8; i++) r.push(i * 10, i);
    expect(r.indexAtOrAfter(0)).toBe(0);
    expect(r.indexAtOrAfter(45)).toBe(2);
    expect(r.timeAt(r.indexAtOrAfter(45))).toBe(50);
    expect(r.indexAtOrAfter(1000)).toBe(5);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SampleRing(0)).toThrow(RangeError);
  });
});

describe('SampleRing.limit', () => {
  it('keeps the newest samples when the capacity is lowered, and stays bounded after', () => {
    const r = new SampleRing(100, 4);
    for (let i = 0; i < 50; i++) r.push(i, i);
    r.limit(10);
    expect(r.capacity).toBe(10);
    expect(contents(r).map(([t]) => t)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    for (let i = 50; i < 1000; i++) r.push(i, i);
    expect(r.length).toBe(10);
    expect(r.byteLength).toBe(CHUNK * 16);
    expect(r.timeAt(0)).toBe(990);
  });

  it('never raises the capacity', () => {
    const r = new SampleRing(10);
    r.limit(20);
    expect(r.capacity).toBe(10);
  });
});

describe('SampleRing storage in chunks', () => {
  it('keeps order across chunk boundaries and across the wrap of a ring that is not a whole number of chunks', () => {
    const r = new SampleRing(CHUNK * 2 + 5, 1, new ChunkPool());
    for (let i = 0; i < CHUNK * 7 + 3; i++) r.push(i, i * 2);
    expect(r.length).toBe(CHUNK * 2 + 5);
    const first = CHUNK * 7 + 3 - (CHUNK * 2 + 5);
    expect(contents(r)).toEqual(Array.from({ length: CHUNK * 2 + 5 }, (_, i) => [first + i, (first + i) * 2]));
    expect(r.indexAtOrAfter(first + 100)).toBe(100);
  });

  it('grows one chunk at a time, carving chunks of many rings out of one slab', () => {
    const pool = new ChunkPool();
    const rings = Array.from({ length: 100 }, () => new SampleRing(36_000, 1, pool));
    for (let i = 0; i < CHUNK + 1; i++) for (const r of rings) r.push(i, i);
    // 100 rings x 2 chunks of 64 samples: 200 chunks, one slab of 256, not 200 allocations.
    expect(rings[0].byteLength).toBe(2 * CHUNK * 16);
    expect(pool.slabs).toBe(1);
  });

  it('gives chunks back when its capacity is lowered, and the next ring to grow reuses them', () => {
    const pool = new ChunkPool();
    const big = new SampleRing(10 * CHUNK, 1, pool);
    for (let i = 0; i < 10 * CHUNK; i++) big.push(i, i);
    big.limit(CHUNK);
    expect(big.byteLength).toBe(CHUNK * 16);
    expect(contents(big)[0]).toEqual([9 * CHUNK, 9 * CHUNK]);
    const slabs = pool.slabs;
    const other = new SampleRing(10 * CHUNK, 1, pool);
    for (let i = 0; i < 9 * CHUNK; i++) other.push(i, -i);
    expect(pool.slabs).toBe(slabs);
    expect(other.valueAt(9 * CHUNK - 1)).toBe(-(9 * CHUNK - 1));
    // The ring that gave them back still reads its own samples.
    expect(big.timeAt(CHUNK - 1)).toBe(10 * CHUNK - 1);
  });

  it('hands out slabs made ahead first, and wants more ready after a batch found none', () => {
    const pool = new ChunkPool();
    expect(pool.wantsPreparing).toBe(true);
    // A quarter of a slab per call: the fourth call makes the first one ready.
    for (let i = 0; i < 3; i++) expect(pool.prepare()).toBe(true);
    expect(pool.readyCount).toBe(0);
    expect(pool.prepare()).toBe(true); // one of two ready
    expect(pool.readyCount).toBe(1);
    for (let i = 0; i < 3; i++) expect(pool.prepare()).toBe(true);
    expect(pool.prepare()).toBe(false); // the target (2) is reached
    expect(pool.prepare()).toBe(false);
    expect([pool.readyCount, pool.slabs, pool.unprepared]).toEqual([2, 2, 0]);
    // 300 rings each taking a chunk: 300 chunks, two slabs, both the prepared ones.
    const rings = Array.from({ length: 300 }, () => new SampleRing(10 * CHUNK, 1, pool));
    expect([pool.readyCount, pool.slabs, pool.unprepared]).toEqual([0, 2, 0]);
    for (const r of rings) r.push(1, 2);
    // 600 more: a third slab had to be made on the spot, so the pool now wants four ready.
    const more = Array.from({ length: 300 }, () => new SampleRing(10 * CHUNK, 1, pool));
    expect(more[299].length).toBe(0);
    expect(pool.unprepared).toBe(1);
    expect(pool.readyTarget).toBe(4);
    let steps = 0;
    while (pool.prepare()) steps++;
    expect([steps + 1, pool.readyCount]).toEqual([16, 4]);
    // Samples written into a prepared slab read back.
    const r = new SampleRing(2 * CHUNK, 1, pool);
    for (let i = 0; i < 2 * CHUNK; i++) r.push(i, -i);
    expect(r.valueAt(2 * CHUNK - 1)).toBe(-(2 * CHUNK - 1));
    // The target stops at 16 slabs (4 MiB), however many are made on the spot.
    for (let i = 0; i < 20; i++) new SampleRing(256 * CHUNK * 2, 256 * CHUNK * 2, pool);
    expect(pool.readyTarget).toBe(16);
  });

  it('hands out a slab still being prepared when none is ready, rather than making one on the spot', () => {
    const pool = new ChunkPool();
    // Fill the first (unprepared) slab's chunks, then start preparing another and stop halfway.
    for (let i = 0; i < 256; i++) new SampleRing(10 * CHUNK, 1, pool);
    expect([pool.slabs, pool.unprepared]).toEqual([1, 1]);
    pool.prepare();
    pool.prepare();
    expect([pool.readyCount, pool.slabs]).toEqual([0, 2]);
    expect(pool.readyTarget).toBe(4);
    const next = new SampleRing(10 * CHUNK, 1, pool);
    expect([pool.slabs, pool.unprepared]).toEqual([2, 1]);
    // None was ready, so the pool wants more ready next time, as when it makes one on the spot.
    expect(pool.readyTarget).toBe(8);
    next.push(1, 42);
    expect(next.valueAt(0)).toBe(42);
    // The next call starts a fresh slab.
    pool.prepare();
    expect(pool.slabs).toBe(3);
  });

  it('a small ring holds exactly its capacity in a chunk of its own', () => {
    const r = new SampleRing(8);
    expect(r.byteLength).toBe(8 * 16);
    r.limit(3);
    expect(r.byteLength).toBe(3 * 16);
  });
});
