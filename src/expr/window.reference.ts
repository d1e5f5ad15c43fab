/**
 * The window as it was first written (every query loops over the buckets), kept as the reference the
 * faster SignalWindow is checked against (window.test.ts). Test-only.
 */
const BUCKETS = 32;

export class ReferenceWindow {
  private readonly width: number;
  private readonly start = new Float64Array(BUCKETS).fill(-Infinity);
  private readonly count = new Float64Array(BUCKETS);
  private readonly sum = new Float64Array(BUCKETS);
  private readonly lo = new Float64Array(BUCKETS);
  private readonly hi = new Float64Array(BUCKETS);
  private readonly firstValue = new Float64Array(BUCKETS);
  private readonly firstTime = new Float64Array(BUCKETS);
  private fitOk = false;
  private fitTime = 0;
  private fitSlope = 0;
  private fitAt = 0;
  private lastValue = Number.NaN;
  private lastTime = Number.NaN;

  constructor(readonly windowMs: number) {
    this.width = windowMs / BUCKETS;
  }

  push(value: number, t: number): void {
    const slot = Math.floor(t / this.width);
    const b = slot % BUCKETS;
    const bucketStart = slot * this.width;
    if (this.start[b] !== bucketStart) {
      this.start[b] = bucketStart;
      this.count[b] = 0;
      this.sum[b] = 0;
      this.lo[b] = Infinity;
      this.hi[b] = -Infinity;
      this.firstValue[b] = value;
      this.firstTime[b] = t;
    }
    this.count[b]++;
    this.sum[b] += value;
    if (value < this.lo[b]) this.lo[b] = value;
    if (value > this.hi[b]) this.hi[b] = value;
    this.lastValue = value;
    this.lastTime = t;
  }

  /** Is bucket b inside the window ending at now? */
  private live(b: number, now: number): boolean {
    return this.count[b] > 0 && this.start[b] + this.width > now - this.windowMs && this.start[b] <= now;
  }

  avg(now: number): number {
    let n = 0;
    let s = 0;
    for (let b = 0; b < BUCKETS; b++) {
      if (!this.live(b, now)) continue;
      n += this.count[b];
      s += this.sum[b];
    }
    return n === 0 ? Number.NaN : s / n;
  }

  min(now: number): number {
    let m = Infinity;
    for (let b = 0; b < BUCKETS; b++) if (this.live(b, now) && this.lo[b] < m) m = this.lo[b];
    return m === Infinity ? Number.NaN : m;
  }

  max(now: number): number {
    let m = -Infinity;
    for (let b = 0; b < BUCKETS; b++) if (this.live(b, now) && this.hi[b] > m) m = this.hi[b];
    return m === -Infinity ? Number.NaN : m;
  }

  /** Index of the oldest live bucket, or -1. */
  private oldest(now: number): number {
    let at = -1;
    for (let b = 0; b < BUCKETS; b++) {
      if (this.live(b, now) && (at < 0 || this.firstTime[b] < this.firstTime[at])) at = b;
    }
    return at;
  }

  /** The first value inside the window (about the value one window ago); NaN when empty. */
  first(now: number): number {
    const b = this.oldest(now);
    return b < 0 ? Number.NaN : this.firstValue[b];
  }

  /**
   * Change per second from the oldest value in the window to the newest. NaN until the values span
   * at least half the window, so a window that is not yet full does not give a jumpy rate.
   */
  rate(now: number): number {
    const b = this.oldest(now);
    if (b < 0) return Number.NaN;
    const dt = this.lastTime - this.firstTime[b];
    if (dt < this.windowMs / 2) return Number.NaN;
    return ((this.lastValue - this.firstValue[b]) * 1000) / dt;
  }

  /** How much of the window the values span, 0..1. */
  coverage(now: number): number {
    const b = this.oldest(now);
    return b < 0 ? 0 : Math.min(1, (this.lastTime - this.firstTime[b]) / this.windowMs);
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
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let b = 0; b < BUCKETS; b++) {
      if (!this.live(b, now)) continue;
      const x = this.start[b] + this.width / 2 - now;
      const y = this.sum[b] / this.count[b];
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const d = n * sxx - sx * sx;
    if (n < 3 || d === 0) return false;
    out.slope = (n * sxy - sx * sy) / d;
    out.at = (sy - out.slope * sx) / n;
    return true;
  }
}
