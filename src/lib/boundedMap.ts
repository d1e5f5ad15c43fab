/**
 * A Map with a fixed capacity: when full, the oldest entry goes (insertion order). Hits do not
 * reorder, so a lookup stays one Map.get; for caches keyed by topics this is enough, because the
 * working set is normally far below the capacity and the bound only guards against topic floods.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    if (!this.map.has(key) && this.map.size >= this.capacity) {
      // Map iterates in insertion order: the first key is the oldest.
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
