/**
 * A time window over one signal with fixed memory: the window is cut into BUCKETS equal slices,
 * each keeping count, sum, min, max, its first value and time. avg/min/max/rate/last then cost
 * O(BUCKETS) whatever the message rate, and a kiosk running for weeks holds the same few hundred bytes.
 */
export const BUCKETS = 32;

// Field f of bucket b is at b * FIELDS + f in the one array that holds every bucket: a value pushed
// touches one cache line (eight doubles, one of them padding) instead of one line in each of seven
// arrays. With 10,000 rules over 1,000 signals the engine's time per message is mostly first touches
// of a signal's data, so where a window keeps its numbers matters more than how many it reads.
const START = 0;
const COUNT = 1;
const SUM = 2;
const LO = 3;
const HI = 4;
const FIRST_VALUE = 5;
const FIRST_TIME = 6;
const FIELDS = 8;
/** The numbers one window keeps. */
export const WINDOW_DOUBLES = FIELDS * BUCKETS;

export class SignalWindow {
  private readonly width: number;
  private readonly data: Float64Array;
  /** Where this window's buckets start in `data`. */
  private readonly base: number;
  private fitOk = false;
  private fitTime = 0;
  private fitSlope = 0;
  private fitAt = 0;
  private lastValue = Number.NaN;
  private lastTime = Number.NaN;
  /** The bucket the latest value went into (-1 before the first). */
  private cur = -1;
  /**
   * The live buckets other than `cur`, summed once: a rule reads avg/rate after every message, and
   * those buckets change only when time moves a bucket out of the window or a value starts a new one.
   * Valid while `valid` and `aggFrom <= now < aggFuture` and bucket `aggExpire` (the oldest summed,
   * which leaves the window first) is still live.
   */
  private valid = false;
  private aggFrom = 0;
  private aggFuture = Infinity;
  private aggExpire = -1;
  private aggCount = 0;
  private aggSum = 0;
  private aggOldest = -1;

  /**
   * `storage`: WINDOW_DOUBLES numbers of a larger array to keep the buckets in (a rule set keeps its
   * windows side by side in slabs: one memory block fewer to reach per value, and a signal's windows
   * adjacent); by default an array of its own.
   */
  constructor(
    readonly windowMs: number,
    storage?: { data: Float64Array; base: number },
  ) {
    this.data = storage?.data ?? new Float64Array(WINDOW_DOUBLES);
    this.base = storage?.base ?? 0;
    this.width = windowMs / BUCKETS;
    for (let b = 0; b < BUCKETS; b++) this.data[this.base + b * FIELDS + START] = -Infinity;
  }

  push(value: number, t: number): void {
    const d = this.data;
    const slot = Math.floor(t / this.width);
    const b = slot % BUCKETS;
    const bucketStart = slot * this.width;
    const at = this.base + b * FIELDS;
    if (b !== this.cur) {
      this.cur = b;
      this.valid = false;
    }
    if (d[at + START] !== bucketStart) {
      this.valid = false;
      d[at + START] = bucketStart;
      d[at + COUNT] = 0;
      d[at + SUM] = 0;
      d[at + LO] = Infinity;
      d[at + HI] = -Infinity;
      d[at + FIRST_VALUE] = value;
      d[at + FIRST_TIME] = t;
    }
    d[at + COUNT]++;
    d[at + SUM] += value;
    if (value < d[at + LO]) d[at + LO] = value;
    if (value > d[at + HI]) d[at + HI] = value;
    this.lastValue = value;
    this.lastTime = t;
  }

  /** Brings the sums over the live buckets other than `cur` up to `now` (a loop only when they changed). */
  private others(now: number): void {
    if (
      this.valid &&
      now >= this.aggFrom &&
      now < this.aggFuture &&
      (this.aggExpire < 0 || this.live(this.aggExpire, now))
    )
      return;
    const d = this.data;
    let n = 0;
    let s = 0;
    let oldest = -1;
    let expire = -1;
    let future = Infinity;
    for (let b = 0; b < BUCKETS; b++) {
      if (b === this.cur) continue;
      if (!this.live(b, now)) {
        // A bucket ahead of `now` (the clock went back) becomes live when `now` reaches it.
        if (
          d[this.base + b * FIELDS + COUNT] > 0 &&
          d[this.base + b * FIELDS + START] > now &&
          d[this.base + b * FIELDS + START] < future
        )
          future = d[this.base + b * FIELDS + START];
        continue;
      }
      n += d[this.base + b * FIELDS + COUNT];
      s += d[this.base + b * FIELDS + SUM];
      if (oldest < 0 || d[this.base + b * FIELDS + FIRST_TIME] < d[this.base + oldest * FIELDS + FIRST_TIME])
        oldest = b;
      if (expire < 0 || d[this.base + b * FIELDS + START] < d[this.base + expire * FIELDS + START]) expire = b;
    }
    this.valid = true;
    this.aggFrom = now;
    this.aggFuture = future;
    this.aggExpire = expire;
    this.aggCount = n;
    this.aggSum = s;
    this.aggOldest = oldest;
  }

  /** Is bucket b inside the window ending at now? */
  private live(b: number, now: number): boolean {
    const d = this.data;
    return (
      d[this.base + b * FIELDS + COUNT] > 0 &&
      d[this.base + b * FIELDS + START] + this.width > now - this.windowMs &&
      d[this.base + b * FIELDS + START] <= now
    );
  }

  avg(now: number): number {
    this.others(now);
    let n = this.aggCount;
    let s = this.aggSum;
    const c = this.cur;
    if (c >= 0 && this.live(c, now)) {
      n += this.data[this.base + c * FIELDS + COUNT];
      s += this.data[this.base + c * FIELDS + SUM];
    }
    return n === 0 ? Number.NaN : s / n;
  }

  min(now: number): number {
    const d = this.data;
    let m = Infinity;
    for (let b = 0; b < BUCKETS; b++)
      if (this.live(b, now) && d[this.base + b * FIELDS + LO] < m) m = d[this.base + b * FIELDS + LO];
    return m === Infinity ? Number.NaN : m;
  }

  max(now: number): number {
    const d = this.data;
    let m = -Infinity;
    for (let b = 0; b < BUCKETS; b++)
      if (this.live(b, now) && d[this.base + b * FIELDS + HI] > m) m = d[this.base + b * FIELDS + HI];
    return m === -Infinity ? Number.NaN : m;
  }

  /** Index of the oldest live bucket, or -1. */
  private oldest(now: number): number {
    this.others(now);
    let at = this.aggOldest;
    const c = this.cur;
    if (
      c >= 0 &&
      this.live(c, now) &&
      (at < 0 || this.data[this.base + c * FIELDS + FIRST_TIME] < this.data[this.base + at * FIELDS + FIRST_TIME])
    )
      at = c;
    return at;
  }

  /** The first value inside the window (about the value one window ago); NaN when empty. */
  first(now: number): number {
    const b = this.oldest(now);
    return b < 0 ? Number.NaN : this.data[this.base + b * FIELDS + FIRST_VALUE];
  }

  /**
   * Change per second from the oldest value in the window to the newest. NaN until the values span
   * at least half the window, so a window that is not yet full does not give a jumpy rate.
   */
  rate(now: number): number {
    const b = this.oldest(now);
    if (b < 0) return Number.NaN;
    const dt = this.lastTime - this.data[this.base + b * FIELDS + FIRST_TIME];
    if (dt < this.windowMs / 2) return Number.NaN;
    return ((this.lastValue - this.data[this.base + b * FIELDS + FIRST_VALUE]) * 1000) / dt;
  }

  /** How much of the window the values span, 0..1. */
  coverage(now: number): number {
    const b = this.oldest(now);
    return b < 0 ? 0 : Math.min(1, (this.lastTime - this.data[this.base + b * FIELDS + FIRST_TIME]) / this.windowMs);
  }

  /**
   * Least-squares line through the bucket averages (time in ms since `now`): returns the slope per
   * ms and the fitted value at `now` in `out`; false with fewer than 3 live buckets.
   */
  trend(now: number, out: { slope: number; at: number }): boolean {
    // A forecast looks minutes ahead: refitting more often than every 1/8 bucket (1/256 of the
    // window) changes nothing visible and costs 32 buckets per message. Reuse the last fit, moved to now.
    if (this.fitOk && now >= this.fitTime && now - this.fitTime < this.width / 8) {
      out.slope = this.fitSlope;
      out.at = this.fitAt + this.fitSlope * (now - this.fitTime);
      return true;
    }
    this.fitOk = this.fit(now, out);
    if (this.fitOk) {
      this.fitTime = now;
      this.fitSlope = out.slope;
      this.fitAt = out.at;
    }
    return this.fitOk;
  }

  private fit(now: number, out: { slope: number; at: number }): boolean {
    const d = this.data;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let b = 0; b < BUCKETS; b++) {
      if (!this.live(b, now)) continue;
      const x = d[this.base + b * FIELDS + START] + this.width / 2 - now;
      const y = d[this.base + b * FIELDS + SUM] / d[this.base + b * FIELDS + COUNT];
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const det = n * sxx - sx * sx;
    if (n < 3 || det === 0) return false;
    out.slope = (n * sxy - sx * sy) / det;
    out.at = (sy - out.slope * sx) / n;
    return true;
  }
}
