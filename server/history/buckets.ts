/**
 * What the recorder keeps of a stream of decoded values, per signal (by the engine's signal index):
 * one bucket per second (count, first, min, max, last) and every value that moved more than the
 * signal's deadband from the last one kept. Pure, and no object per sample: typed arrays that
 * grow by doubling with the number of signals; rows come out column by column into a WriteBatch.
 */
import type { WriteBatch } from './store';

/** Default deadband: this fraction of the signal's `range` in the twin (0 without a range: every change). */
export const DEFAULT_DEADBAND_FRACTION = 0.02;

export class Bucketer {
  private sec = new Float64Array(0);
  private n = new Uint32Array(0);
  private first = new Float64Array(0);
  private min = new Float64Array(0);
  private max = new Float64Array(0);
  private last = new Float64Array(0);
  /** The last value written to the change log, NaN before the first. */
  private kept = new Float64Array(0);
  private deadband = new Float64Array(0);
  private size = 0;

  /** Sets the deadband of a signal (absolute, in its unit); 0 keeps every change. */
  setDeadband(index: number, deadband: number): void {
    this.ensure(index);
    this.deadband[index] = Math.max(0, deadband);
  }

  /**
   * One value of signal `index` at time `t` (ms). `out` receives a closed bucket when the value opens a
   * new second, and a change row when it moved beyond the deadband. Rows carry the signal index in
   * their `sig` column (the recorder swaps in database ids before writing).
   */
  add(index: number, value: number, t: number, quality: number, out: WriteBatch): void {
    if (!Number.isFinite(value)) return;
    this.ensure(index);
    const s = Math.floor(t / 1000) * 1000;
    const open = this.n[index] > 0;
    if (open && s !== this.sec[index]) {
      if (s < this.sec[index]) {
        // Late (out of order) value: a bucket of its own, so the open one stays the newest second.
        pushBucket(out, index, s, 1, value, value, value, value);
      } else {
        this.close(index, out);
        this.start(index, s, value);
      }
    } else if (open) {
      this.n[index]++;
      if (value < this.min[index]) this.min[index] = value;
      if (value > this.max[index]) this.max[index] = value;
      this.last[index] = value;
    } else this.start(index, s, value);

    const k = this.kept[index];
    if (Number.isNaN(k) || Math.abs(value - k) > this.deadband[index]) {
      this.kept[index] = value;
      out.values.sig.push(index);
      out.values.t.push(t);
      out.values.v.push(value);
      out.values.text.push(null);
      out.values.quality.push(quality);
    }
  }

  /** Closes every open bucket of a second before `beforeSecondOf` (ms): signals that went quiet get written. */
  closeBefore(beforeSecondOf: number, out: WriteBatch): void {
    const limit = Math.floor(beforeSecondOf / 1000) * 1000;
    for (let i = 0; i < this.size; i++) if (this.n[i] > 0 && this.sec[i] < limit) this.close(i, out);
  }

  /** Closes every open bucket (stop). */
  closeAll(out: WriteBatch): void {
    this.closeBefore(Number.MAX_SAFE_INTEGER, out);
  }

  /** The last value written to the change log for a signal, or null. */
  keptValue(index: number): number | null {
    return index < this.size && !Number.isNaN(this.kept[index]) ? this.kept[index] : null;
  }

  private start(index: number, s: number, value: number): void {
    this.sec[index] = s;
    this.n[index] = 1;
    this.first[index] = this.min[index] = this.max[index] = this.last[index] = value;
  }

  private close(index: number, out: WriteBatch): void {
    pushBucket(
      out,
      index,
      this.sec[index],
      this.n[index],
      this.first[index],
      this.min[index],
      this.max[index],
      this.last[index],
    );
    this.n[index] = 0;
  }

  private ensure(index: number): void {
    if (index < this.size) return;
    if (index >= this.sec.length) {
      const cap = Math.max(64, 2 ** Math.ceil(Math.log2(index + 1)));
      this.sec = grow(this.sec, cap);
      this.n = growU(this.n, cap);
      this.first = grow(this.first, cap);
      this.min = grow(this.min, cap);
      this.max = grow(this.max, cap);
      this.last = grow(this.last, cap);
      this.kept = grow(this.kept, cap);
      this.deadband = grow(this.deadband, cap);
    }
    this.kept.fill(Number.NaN, this.size, index + 1);
    this.size = index + 1;
  }
}

function pushBucket(
  out: WriteBatch,
  sig: number,
  t: number,
  n: number,
  first: number,
  min: number,
  max: number,
  last: number,
): void {
  const b = out.buckets;
  b.sig.push(sig);
  b.t.push(t);
  b.n.push(n);
  b.first.push(first);
  b.min.push(min);
  b.max.push(max);
  b.last.push(last);
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const g = new Float64Array(cap);
  g.set(a);
  return g;
}

function growU(a: Uint32Array, cap: number): Uint32Array<ArrayBuffer> {
  const g = new Uint32Array(cap);
  g.set(a);
  return g;
}

/** The deadband of a signal: `fraction` of its range, or 0 (every change) when it has none. */
export function deadbandFor(
  range: readonly [number, number] | undefined,
  fraction = DEFAULT_DEADBAND_FRACTION,
): number {
  if (!range) return 0;
  const span = Math.abs(range[1] - range[0]);
  return Number.isFinite(span) ? span * fraction : 0;
}
