/**
 * A fixed-capacity ring of (time, value) samples. Storage starts small and doubles up to the
 * capacity, so a slow signal costs little while memory stays bounded whatever arrives.
 */
export class SampleRing {
  private times: Float64Array;
  private values: Float64Array;
  private start = 0;
  private size = 0;

  private cap: number;

  constructor(capacity: number, initial = 64) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.cap = capacity;
    const n = Math.min(capacity, Math.max(1, initial));
    this.times = new Float64Array(n);
    this.values = new Float64Array(n);
  }

  get length(): number {
    return this.size;
  }

  /** The most samples this ring keeps. */
  get capacity(): number {
    return this.cap;
  }

  /**
   * Lowers the capacity (a store shares one memory budget among its signals, so each ring gets less
   * as signals appear), keeping the newest samples. Raising it is not supported: the budget only shrinks.
   */
  limit(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    if (capacity >= this.cap) return;
    this.cap = capacity;
    if (this.times.length <= capacity) return;
    const keep = Math.min(this.size, capacity);
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    for (let i = 0; i < keep; i++) {
      times[i] = this.timeAt(this.size - keep + i);
      values[i] = this.valueAt(this.size - keep + i);
    }
    this.times = times;
    this.values = values;
    this.start = 0;
    this.size = keep;
  }

  push(time: number, value: number): void {
    if (this.size === this.times.length && this.size < this.cap) this.grow();
    const n = this.times.length;
    if (this.size < n) {
      const i = (this.start + this.size) % n;
      this.times[i] = time;
      this.values[i] = value;
      this.size++;
    } else {
      // Full at capacity: overwrite the oldest.
      this.times[this.start] = time;
      this.values[this.start] = value;
      this.start = (this.start + 1) % n;
    }
  }

  /** The i-th oldest sample's time (0 = oldest). */
  timeAt(i: number): number {
    return this.times[(this.start + i) % this.times.length];
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.times.length];
  }

  /** Index of the first sample at or after `time` (binary search; times are pushed in order). */
  indexAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes held by the storage, for diagnostics and memory benchmarks. */
  get byteLength(): number {
    return this.times.byteLength + this.values.byteLength;
  }

  private ordered(array: Float64Array): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = array[(this.start + i) % array.length];
    return out;
  }

  private grow(): void {
    const n = Math.min(this.cap, this.times.length * 2);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    // Storage grows only before the ring first fills, so the samples are in order from index 0
    // (start is 0): one block copy each. Many signals grow in the same batch; this keeps it short.
    times.set(this.start === 0 ? this.times : this.ordered(this.times));
    values.set(this.start === 0 ? this.values : this.ordered(this.values));
    this.times = times;
    this.values = values;
    this.start = 0;
  }
}
