/**
 * A fixed-capacity ring of (time, value) samples. Storage is a list of chunks of CHUNK samples that
 * grows one chunk at a time up to the capacity, so a slow signal costs little while memory stays
 * bounded whatever arrives.
 *
 * Why chunks: a store of thousands of signals used to grow each ring by doubling two typed arrays;
 * under a fleet's stream thousands of rings outgrew their storage in the same second, and those
 * allocations (two ArrayBuffers each, zeroed, then scavenged) were most of the main thread's batch
 * handling (a profile: 55 % of it, `npm run bench -- page-profile`). Chunks come from a shared pool
 * that carves them out of large slabs, so growing a ring allocates no ArrayBuffer, and chunks a ring
 * gives back (`limit`) are reused.
 */

/** Samples per chunk (a power of two: an index splits into chunk and offset with a shift and a mask). */
export const CHUNK = 64;
const SHIFT = 6;
const MASK = CHUNK - 1;
/** Chunks carved from one slab (one ArrayBuffer of SLAB_CHUNKS * CHUNK * 16 bytes: 256 KiB). */
const SLAB_CHUNKS = 256;

/** Slabs a pool keeps ready at first, and at most when it has had to make slabs on the spot. */
const READY_MIN = 2;
const READY_MAX = 16;
/** Doubles per memory page (4 KiB): writing one per page makes the system back the whole slab. */
const PAGE_DOUBLES = 512;
/**
 * Pages one `prepare()` call touches: a quarter of a slab. A page's first touch is usually ~12 µs on
 * the machines that need this, but a profile showed one slab's 64 pages taking 13 ms of CPU once
 * (under load), so the work is cut into calls of their own.
 */
const PREPARE_PAGES = 16;
const SLAB_DOUBLES = SLAB_CHUNKS * CHUNK * 2;

/**
 * Hands out chunks (CHUNK interleaved time/value pairs at an offset in a slab) carved from slabs, and
 * takes back the ones a ring no longer needs. A chunk is a (slab, offset) pair, not a view: taking one
 * allocates nothing but, once per SLAB_CHUNKS, the slab. The pool keeps no reference to the chunks it
 * handed out: a slab is freed by the garbage collector once no ring holds any of its chunks.
 *
 * Slabs made ahead (`prepare`): a new slab's memory is backed by the system page by page on its first
 * write, and on some machines (virtual machines that trap page faults) a page costs ~12 µs, so a batch
 * in which hundreds of rings reach a new chunk spent 6–15 ms in those faults (`npm run bench --
 * page-profile`). The store calls `prepare()` in tasks of their own after a batch: each touches a
 * quarter of a slab (PREPARE_PAGES), while fewer than `readyTarget` slabs wait, so the batches take
 * slabs whose pages are already there. The target doubles (up to READY_MAX, 4 MiB) each time a batch
 * found none ready. A slab being prepared is handed out as it is when nothing else is ready.
 */
export class ChunkPool {
  private slab: Float64Array | null = null;
  private next = SLAB_CHUNKS;
  private readonly freeSlabs: Float64Array[] = [];
  private readonly freeOffsets: number[] = [];
  private readonly ready: Float64Array[] = [];
  /** The slab `prepare()` is touching, and the next double to touch in it. */
  private preparing: Float64Array | null = null;
  private preparedTo = 0;
  private target = READY_MIN;
  /** Slabs allocated so far (diagnostics and tests). */
  slabs = 0;
  /** Slabs that had to be made on the spot because none was ready (diagnostics and tests). */
  unprepared = 0;

  /** Appends a chunk to a ring's lists of slabs and offsets. */
  takeInto(slabs: Float64Array[], offsets: number[]): void {
    const reused = this.freeSlabs.pop();
    if (reused !== undefined) {
      slabs.push(reused);
      offsets.push(this.freeOffsets.pop()!);
      return;
    }
    if (this.next === SLAB_CHUNKS) {
      let slab = this.ready.pop();
      if (slab === undefined) {
        // None ready: the next batches want more.
        this.target = Math.min(READY_MAX, this.target * 2);
        if (this.preparing !== null) {
          // Part touched: better than none.
          slab = this.preparing;
          this.preparing = null;
        } else {
          slab = new Float64Array(SLAB_DOUBLES);
          this.slabs++;
          this.unprepared++;
        }
      }
      this.slab = slab;
      this.next = 0;
    }
    slabs.push(this.slab!);
    offsets.push(this.next++ * CHUNK * 2);
  }

  give(slab: Float64Array, offset: number): void {
    this.freeSlabs.push(slab);
    this.freeOffsets.push(offset);
  }

  /** Fewer slabs ready than the pool wants: `prepare()` has work. */
  get wantsPreparing(): boolean {
    return this.ready.length < this.target;
  }

  /** Slabs ready to hand out, and how many the pool wants ready (diagnostics and tests). */
  get readyCount(): number {
    return this.ready.length;
  }
  get readyTarget(): number {
    return this.target;
  }

  /**
   * Makes slabs ahead of need, a quarter of one per call: writes to PREPARE_PAGES of its pages, and
   * once all are written the slab is ready. Returns whether there is more to do.
   */
  prepare(): boolean {
    if (this.ready.length >= this.target) return false;
    if (this.preparing === null) {
      this.preparing = new Float64Array(SLAB_DOUBLES);
      this.preparedTo = 0;
      this.slabs++;
    }
    const slab = this.preparing;
    const end = Math.min(SLAB_DOUBLES, this.preparedTo + PREPARE_PAGES * PAGE_DOUBLES);
    for (let i = this.preparedTo; i < end; i += PAGE_DOUBLES) slab[i] = 0;
    this.preparedTo = end;
    if (end === SLAB_DOUBLES) {
      this.ready.push(slab);
      this.preparing = null;
    }
    return this.ready.length < this.target;
  }
}

/** The pool rings use unless given their own. */
export const sharedChunkPool = new ChunkPool();

export class SampleRing {
  /**
   * Storage: chunk c, at offsets[c] in slabs[c], holds slots c*CHUNK ... c*CHUNK+CHUNK-1, each as a
   * (time, value) pair. A ring of capacity up to CHUNK has one chunk of its own, exactly its size.
   */
  private slabs: Float64Array[] = [];
  private offsets: number[] = [];
  /** Slot of the oldest sample (0 until the ring is full and wraps). */
  private start = 0;
  private size = 0;
  private cap: number;
  private readonly pool: ChunkPool | null;

  /** `initial`: samples of storage to take at once (rounded up to whole chunks); more is taken as needed. */
  constructor(capacity: number, initial = CHUNK, pool: ChunkPool = sharedChunkPool) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.cap = capacity;
    this.pool = capacity > CHUNK ? pool : null;
    if (this.pool === null) {
      this.slabs.push(new Float64Array(capacity * 2));
      this.offsets.push(0);
    } else {
      const n = Math.ceil(Math.min(capacity, Math.max(1, initial)) / CHUNK);
      for (let c = 0; c < n; c++) this.pool.takeInto(this.slabs, this.offsets);
    }
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
    const keep = Math.min(this.size, capacity);
    if (this.start !== 0 || this.size > capacity) {
      // Rare (signals appearing after a ring filled): put the newest `keep` samples first, in order.
      const times = new Float64Array(keep);
      const values = new Float64Array(keep);
      for (let i = 0; i < keep; i++) {
        times[i] = this.timeAt(this.size - keep + i);
        values[i] = this.valueAt(this.size - keep + i);
      }
      this.start = 0;
      this.size = 0;
      const old = this.cap;
      this.cap = Math.max(old, keep); // push below must not wrap while refilling
      for (let i = 0; i < keep; i++) this.push(times[i], values[i]);
    }
    this.cap = capacity;
    if (this.pool === null) {
      // Its own single chunk: cut it to the new capacity.
      const chunk = new Float64Array(capacity * 2);
      chunk.set(this.slabs[0].subarray(0, capacity * 2));
      this.slabs[0] = chunk;
      return;
    }
    const needed = Math.ceil(capacity / CHUNK);
    while (this.slabs.length > needed) this.pool.give(this.slabs.pop()!, this.offsets.pop()!);
  }

  push(time: number, value: number): void {
    let slot: number;
    if (this.size < this.cap) {
      slot = this.size++; // start is 0 until the ring is full
      if (slot >> SHIFT === this.slabs.length) this.pool!.takeInto(this.slabs, this.offsets);
    } else {
      // Full at capacity: overwrite the oldest.
      slot = this.start;
      this.start = slot + 1 === this.cap ? 0 : slot + 1;
    }
    const c = slot >> SHIFT;
    const slab = this.slabs[c];
    const o = this.offsets[c] + ((slot & MASK) << 1);
    slab[o] = time;
    slab[o + 1] = value;
  }

  /** The slot of the i-th oldest sample. */
  private slot(i: number): number {
    const s = this.start + i;
    return s >= this.cap ? s - this.cap : s;
  }

  /** The i-th oldest sample's time (0 = oldest). */
  timeAt(i: number): number {
    const s = this.slot(i);
    const c = s >> SHIFT;
    return this.slabs[c][this.offsets[c] + ((s & MASK) << 1)];
  }

  valueAt(i: number): number {
    const s = this.slot(i);
    const c = s >> SHIFT;
    return this.slabs[c][this.offsets[c] + ((s & MASK) << 1) + 1];
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
    return this.pool === null ? this.slabs[0].byteLength : this.slabs.length * CHUNK * 16;
  }
}
