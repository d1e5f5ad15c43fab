/** Small seeded PRNG so a simulation run can be replayed exactly (Math.random cannot be seeded). */
export class Random {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds (1, 2, 3) do not start with correlated sequences.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  gauss(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A mean-reverting random walk (Ornstein-Uhlenbeck): the slow drifts of a real plant, which wander but do
 * not run away. `sd` is the long-run standard deviation, `tauMs` how slowly it wanders.
 */
export class Drift {
  value: number;

  constructor(
    private readonly mean: number,
    private readonly sd: number,
    private readonly tauMs: number,
    rng: Random,
  ) {
    this.value = mean + sd * rng.gauss() * 0.5;
  }

  step(dtMs: number, rng: Random): number {
    const k = dtMs / this.tauMs;
    this.value += (this.mean - this.value) * k + this.sd * Math.sqrt(2 * k) * rng.gauss();
    return this.value;
  }
}
