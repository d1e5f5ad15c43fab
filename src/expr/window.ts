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
// The window's own changing numbers sit in a header before its buckets, not in object fields: V8
// keeps a mutable double field of an object in a box of its own (a separate heap number), so each
// field written per value was one more place in memory to reach. The first line holds what push()
// and the summed-buckets check touch. -1 / 0 / 1 flags are numbers here.
/** The bucket the latest value went into (-1 before the first). */
const CUR = 0;
/** 1 while the summed buckets (AGG_*) are valid. */
const VALID = 1;
const LAST_VALUE = 2;
const LAST_TIME = 3;
const AGG_FROM = 4;
const AGG_FUTURE = 5;
const AGG_EXPIRE = 6;
const AGG_COUNT = 7;
const AGG_SUM = 8;
const AGG_OLDEST = 9;
/** 1 while the last fit (FIT_*) may be reused. */
const FIT_OK = 10;
const FIT_TIME = 11;
const FIT_SLOPE = 12;
const FIT_AT = 13;
/** The bucket width and the window length (constants, kept beside what reads them). */
const WIDTH = 14;
const SPAN = 15;
const HEADER = 16;
/** The numbers one window keeps: its header, then its buckets. */
export const WINDOW_DOUBLES = HEADER + FIELDS * BUCKETS;

/**
 * One window's numbers at `h` in `d` (WINDOW_DOUBLES of them): the class below, or a rule set that
 * keeps every window in one array and calls the window* functions with the window's offset (no
 * object to reach per value).
 */
export class SignalWindow {
  private data: Float64Array;
  /** Where this window's header starts in `data` (its buckets follow). */
  private base: number;

  /**
   * `storage`: WINDOW_DOUBLES numbers of a larger array to keep the window in; by default an array
   * of its own (a rule set moves its windows side by side into one array once compiled: moveTo).
   */
  constructor(
    readonly windowMs: number,
    storage?: { data: Float64Array; base: number },
  ) {
    this.data = storage?.data ?? new Float64Array(WINDOW_DOUBLES);
    this.base = storage?.base ?? 0;
    windowInit(this.data, this.base, windowMs);
  }

  /** Copies the window's numbers to `base` in `data` and keeps them there from now on. */
  moveTo(data: Float64Array, base: number): void {
    data.set(this.data.subarray(this.base, this.base + WINDOW_DOUBLES), base);
    this.data = data;
    this.base = base;
  }

  push(value: number, t: number): void {
    windowPush(this.data, this.base, value, t);
  }

  avg(now: number): number {
    return windowAvg(this.data, this.base, now);
  }

  min(now: number): number {
    return windowMin(this.data, this.base, now);
  }

  max(now: number): number {
    return windowMax(this.data, this.base, now);
  }

  /** The first value inside the window (about the value one window ago); NaN when empty. */
  first(now: number): number {
    return windowFirst(this.data, this.base, now);
  }

  /**
   * Change per second from the oldest value in the window to the newest. NaN until the values span
   * at least half the window, so a window that is not yet full does not give a jumpy rate.
   */
  rate(now: number): number {
    return windowRate(this.data, this.base, now);
  }

  /** How much of the window the values span, 0..1. */
  coverage(now: number): number {
    return windowCoverage(this.data, this.base, now);
  }

  /**
   * Least-squares line through the bucket averages (time in ms since `now`): returns the slope per
   * ms and the fitted value at `now` in `out`; false with fewer than 3 live buckets.
   */
  trend(now: number, out: { slope: number; at: number }): boolean {
    return windowTrend(this.data, this.base, now, out);
  }
}

/** Sets up an empty window of `windowMs` at `h` in `d`. */
export function windowInit(d: Float64Array, h: number, windowMs: number): void {
  d[h + CUR] = -1;
  d[h + VALID] = 0;
  d[h + LAST_VALUE] = Number.NaN;
  d[h + LAST_TIME] = Number.NaN;
  d[h + AGG_FROM] = 0;
  d[h + AGG_FUTURE] = Infinity;
  d[h + AGG_EXPIRE] = -1;
  d[h + AGG_COUNT] = 0;
  d[h + AGG_SUM] = 0;
  d[h + AGG_OLDEST] = -1;
  d[h + FIT_OK] = 0;
  d[h + FIT_TIME] = 0;
  d[h + FIT_SLOPE] = 0;
  d[h + FIT_AT] = 0;
  d[h + WIDTH] = windowMs / BUCKETS;
  d[h + SPAN] = windowMs;
  for (let b = 0; b < BUCKETS; b++) d[h + HEADER + b * FIELDS + START] = -Infinity;
}

export function windowPush(d: Float64Array, h: number, value: number, t: number): void {
  const width = d[h + WIDTH];
  const slot = Math.floor(t / width);
  const b = slot % BUCKETS;
  const bucketStart = slot * width;
  const at = h + HEADER + b * FIELDS;
  if (b !== d[h + CUR]) {
    d[h + CUR] = b;
    d[h + VALID] = 0;
  }
  if (d[at + START] !== bucketStart) {
    d[h + VALID] = 0;
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
  d[h + LAST_VALUE] = value;
  d[h + LAST_TIME] = t;
}

/** Is bucket b inside the window ending at now? */
function live(d: Float64Array, h: number, b: number, now: number): boolean {
  const at = h + HEADER + b * FIELDS;
  return d[at + COUNT] > 0 && d[at + START] + d[h + WIDTH] > now - d[h + SPAN] && d[at + START] <= now;
}

/**
 * Brings the sums over the live buckets other than CUR up to `now` (a loop only when they changed):
 * a rule reads avg/rate after every message, and those buckets change only when time moves a bucket
 * out of the window or a value starts a new one. Valid while VALID and AGG_FROM <= now < AGG_FUTURE
 * and bucket AGG_EXPIRE (the oldest summed, which leaves the window first) is still live.
 */
function others(d: Float64Array, h: number, now: number): void {
  const expire = d[h + AGG_EXPIRE];
  if (
    d[h + VALID] !== 0 &&
    now >= d[h + AGG_FROM] &&
    now < d[h + AGG_FUTURE] &&
    (expire < 0 || live(d, h, expire, now))
  )
    return;
  const k = h + HEADER;
  const cur = d[h + CUR];
  let n = 0;
  let s = 0;
  let oldest = -1;
  let first = -1;
  let future = Infinity;
  for (let b = 0; b < BUCKETS; b++) {
    if (b === cur) continue;
    if (!live(d, h, b, now)) {
      // A bucket ahead of `now` (the clock went back) becomes live when `now` reaches it.
      if (d[k + b * FIELDS + COUNT] > 0 && d[k + b * FIELDS + START] > now && d[k + b * FIELDS + START] < future)
        future = d[k + b * FIELDS + START];
      continue;
    }
    n += d[k + b * FIELDS + COUNT];
    s += d[k + b * FIELDS + SUM];
    if (oldest < 0 || d[k + b * FIELDS + FIRST_TIME] < d[k + oldest * FIELDS + FIRST_TIME]) oldest = b;
    if (first < 0 || d[k + b * FIELDS + START] < d[k + first * FIELDS + START]) first = b;
  }
  d[h + VALID] = 1;
  d[h + AGG_FROM] = now;
  d[h + AGG_FUTURE] = future;
  d[h + AGG_EXPIRE] = first;
  d[h + AGG_COUNT] = n;
  d[h + AGG_SUM] = s;
  d[h + AGG_OLDEST] = oldest;
}

export function windowAvg(d: Float64Array, h: number, now: number): number {
  others(d, h, now);
  let n = d[h + AGG_COUNT];
  let s = d[h + AGG_SUM];
  const c = d[h + CUR];
  if (c >= 0 && live(d, h, c, now)) {
    n += d[h + HEADER + c * FIELDS + COUNT];
    s += d[h + HEADER + c * FIELDS + SUM];
  }
  return n === 0 ? Number.NaN : s / n;
}

export function windowMin(d: Float64Array, h: number, now: number): number {
  const k = h + HEADER;
  let m = Infinity;
  for (let b = 0; b < BUCKETS; b++) if (live(d, h, b, now) && d[k + b * FIELDS + LO] < m) m = d[k + b * FIELDS + LO];
  return m === Infinity ? Number.NaN : m;
}

export function windowMax(d: Float64Array, h: number, now: number): number {
  const k = h + HEADER;
  let m = -Infinity;
  for (let b = 0; b < BUCKETS; b++) if (live(d, h, b, now) && d[k + b * FIELDS + HI] > m) m = d[k + b * FIELDS + HI];
  return m === -Infinity ? Number.NaN : m;
}

/** Index of the oldest live bucket, or -1. */
function oldestBucket(d: Float64Array, h: number, now: number): number {
  others(d, h, now);
  const k = h + HEADER;
  let at = d[h + AGG_OLDEST];
  const c = d[h + CUR];
  if (c >= 0 && live(d, h, c, now) && (at < 0 || d[k + c * FIELDS + FIRST_TIME] < d[k + at * FIELDS + FIRST_TIME]))
    at = c;
  return at;
}

export function windowFirst(d: Float64Array, h: number, now: number): number {
  const b = oldestBucket(d, h, now);
  return b < 0 ? Number.NaN : d[h + HEADER + b * FIELDS + FIRST_VALUE];
}

export function windowRate(d: Float64Array, h: number, now: number): number {
  const b = oldestBucket(d, h, now);
  if (b < 0) return Number.NaN;
  const dt = d[h + LAST_TIME] - d[h + HEADER + b * FIELDS + FIRST_TIME];
  if (dt < d[h + SPAN] / 2) return Number.NaN;
  return ((d[h + LAST_VALUE] - d[h + HEADER + b * FIELDS + FIRST_VALUE]) * 1000) / dt;
}

export function windowCoverage(d: Float64Array, h: number, now: number): number {
  const b = oldestBucket(d, h, now);
  return b < 0 ? 0 : Math.min(1, (d[h + LAST_TIME] - d[h + HEADER + b * FIELDS + FIRST_TIME]) / d[h + SPAN]);
}

export function windowTrend(d: Float64Array, h: number, now: number, out: { slope: number; at: number }): boolean {
  // A forecast looks minutes ahead: refitting more often than every 1/8 bucket (1/256 of the
  // window) changes nothing visible and costs 32 buckets per message. Reuse the last fit, moved to now.
  if (d[h + FIT_OK] !== 0 && now >= d[h + FIT_TIME] && now - d[h + FIT_TIME] < d[h + WIDTH] / 8) {
    out.slope = d[h + FIT_SLOPE];
    out.at = d[h + FIT_AT] + d[h + FIT_SLOPE] * (now - d[h + FIT_TIME]);
    return true;
  }
  const ok = fit(d, h, now, out);
  d[h + FIT_OK] = ok ? 1 : 0;
  if (ok) {
    d[h + FIT_TIME] = now;
    d[h + FIT_SLOPE] = out.slope;
    d[h + FIT_AT] = out.at;
  }
  return ok;
}

function fit(d: Float64Array, h: number, now: number, out: { slope: number; at: number }): boolean {
  const k = h + HEADER;
  const width = d[h + WIDTH];
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let b = 0; b < BUCKETS; b++) {
    if (!live(d, h, b, now)) continue;
    const x = d[k + b * FIELDS + START] + width / 2 - now;
    const y = d[k + b * FIELDS + SUM] / d[k + b * FIELDS + COUNT];
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
