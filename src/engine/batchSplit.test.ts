import { describe, expect, it } from 'vitest';
import { MAX_POSTED_READINGS, splitBatch } from './batchSplit';
import { SAMPLE_STRIDE, type TelemetryBatch } from './protocol';

/** A batch of `count` readings in a buffer with room to spare, as the engine hands them out. */
function batchOf(count: number, capacity = count * 2): TelemetryBatch {
  const samples = new Float64Array(capacity * SAMPLE_STRIDE);
  for (let k = 0; k < count; k++) samples.set([k % 7, k * 0.5, 1000 + k], k * SAMPLE_STRIDE);
  return { type: 'batch', samples: samples.subarray(0, count * SAMPLE_STRIDE), count };
}

const readings = (parts: TelemetryBatch[]) =>
  parts.flatMap((p) => Array.from(p.samples.subarray(0, p.count * SAMPLE_STRIDE)));

describe('splitBatch', () => {
  it('leaves a batch within the limit as it is', () => {
    const batch = batchOf(MAX_POSTED_READINGS);
    expect(splitBatch(batch)).toEqual([batch]);
    expect(splitBatch(batch)[0]).toBe(batch);
  });

  it('cuts a long-held flush into parts of at most the limit, every reading once and in order', () => {
    for (const count of [11, 12, 13, 25]) {
      const batch = batchOf(count);
      const expected = Array.from(batch.samples);
      const parts = splitBatch(batch, 4);
      expect(parts.map((p) => p.count)).toEqual(
        Array.from({ length: Math.ceil(count / 4) }, (_, i) => Math.min(4, count - i * 4)),
      );
      for (const p of parts) expect(p.samples.length).toBe(p.count * SAMPLE_STRIDE);
      expect(readings(parts)).toEqual(expected);
    }
  });

  it('keeps the original buffer for the last part and gives the others buffers of their own', () => {
    const batch = batchOf(10, 64);
    const buffer = batch.samples.buffer;
    const parts = splitBatch(batch, 4);
    expect(parts.at(-1)!.samples.buffer).toBe(buffer);
    expect(parts.at(-1)!.samples.byteOffset).toBe(0);
    const buffers = new Set(parts.map((p) => p.samples.buffer));
    expect(buffers.size).toBe(parts.length); // each can be transferred on its own
  });

  it('sends kind changes with the first part and the newest texts with the last', () => {
    const batch: TelemetryBatch = {
      ...batchOf(9),
      kinds: [{ index: 3, kind: 3 }],
      texts: [{ index: 3, text: '<b>not html</b>' }],
    };
    const parts = splitBatch(batch, 4);
    expect(parts).toHaveLength(3);
    expect(parts[0].kinds).toEqual([{ index: 3, kind: 3 }]);
    expect(parts.slice(1).some((p) => p.kinds)).toBe(false);
    expect(parts[2].texts).toEqual([{ index: 3, text: '<b>not html</b>' }]);
    expect(parts.slice(0, 2).some((p) => p.texts)).toBe(false);
  });
});
