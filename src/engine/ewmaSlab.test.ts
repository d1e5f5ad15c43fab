import { describe, expect, it } from 'vitest';
import { EWMA_DOUBLES, EwmaDetector } from './rules';

/** The detector as it was with object fields: the numbers in storage must give the same z-scores. */
class ReferenceEwma {
  private mean = 0;
  private variance = 0;
  private n = 0;
  z = Number.NaN;
  constructor(
    readonly alpha: number,
    readonly warmup: number,
  ) {}
  push(x: number): void {
    if (this.n === 0) {
      this.mean = x;
      this.variance = 0;
    } else {
      const sd = Math.sqrt(this.variance);
      this.z = this.n < this.warmup ? Number.NaN : sd > 0 ? (x - this.mean) / sd : x === this.mean ? 0 : Infinity;
      const d = x - this.mean;
      this.mean += this.alpha * d;
      this.variance = (1 - this.alpha) * (this.variance + this.alpha * d * d);
    }
    this.n++;
  }
}

describe('EwmaDetector in shared storage', () => {
  it('gives the same z-scores as the object-field detector, side by side in one array, flat spells included', () => {
    let seed = 5;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const params: [number, number][] = [
      [0.1, 20],
      [0.5, 3],
      [0.02, 0],
    ];
    const slab = new Float64Array(params.length * EWMA_DOUBLES);
    const shared = params.map(([a, w], i) => new EwmaDetector(a, w, { data: slab, base: i * EWMA_DOUBLES }));
    const own = params.map(([a, w]) => new EwmaDetector(a, w));
    const ref = params.map(([a, w]) => new ReferenceEwma(a, w));
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(random() * params.length);
      // Flat spells (no spread: z is 0 or Infinity) between noisy ones.
      const x = i % 500 < 100 ? 42 : Math.round(random() * 1000) / 10;
      shared[k].push(x);
      own[k].push(x);
      ref[k].push(x);
      for (let d = 0; d < params.length; d++) {
        expect(Object.is(shared[d].z, ref[d].z)).toBe(true);
        expect(Object.is(own[d].z, ref[d].z)).toBe(true);
      }
    }
  });
});
