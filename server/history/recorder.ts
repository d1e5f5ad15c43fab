/**
 * The recorder: what the engine service hands out (decoded samples, texts, quality changes, audit
 * records) goes into per-second buckets and the deadband change log (buckets.ts), and from there to the
 * history store in one bulk write per flush (once a second), never a write per message.
 *
 * Memory is bounded: while the database is slow or away, rows wait in chunks; beyond `maxPendingRows`
 * the oldest chunks' buckets and values are dropped (and counted), audit entries kept.
 */
import type { Twin } from '../../src/twin/schema';
import type { QualityChange, SignalInfo, TelemetryBatch } from '../../src/engine/protocol';
import { SAMPLE_STRIDE } from '../../src/engine/protocol';
import type { AuditRecord } from '../../src/engine/namespace';
import { Bucketer, deadbandFor, DEFAULT_DEADBAND_FRACTION } from './buckets';
import { batchRows, emptyBatch, type HistoryStore, type WriteBatch } from './store';
import { DEFAULT_RETENTION, RETENTION_EVERY_MS, retentionCutoff, type RetentionPolicy } from './retention';

export const RECORDER_FLUSH_MS = 1000;
export const DEFAULT_MAX_PENDING_ROWS = 1_000_000;
/** A forecast rule's prediction is kept at most this often (it changes slowly; the error is averaged). */
export const FORECAST_EVERY_MS = 10_000;

export interface RecorderOptions {
  twin: Twin;
  store: HistoryStore;
  now?: () => number;
  /** Rows waiting for the database at most; the oldest buckets and values go beyond it. */
  maxPendingRows?: number;
  deadbandFraction?: number;
  retention?: RetentionPolicy;
  log?: (line: string) => void;
}

export interface RecorderStats {
  /** Rows the database has taken. */
  written: number;
  /** Bucket and value rows dropped because the database did not keep up. */
  dropped: number;
  /** Rows waiting for the database. */
  pending: number;
  flushes: number;
  failures: number;
  /** Rows deleted by retention. */
  expired: number;
}

export class Recorder {
  private readonly twin: Twin;
  private readonly store: HistoryStore;
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly fraction: number;
  private readonly retention: RetentionPolicy;
  private readonly log: (line: string) => void;
  private readonly bucketer = new Bucketer();
  /** By engine signal index: its name, its database id (-1 until known) and its quality bits. */
  private readonly names: string[] = [];
  private ids: number[] = [];
  private quality: number[] = [];
  private current: WriteBatch = emptyBatch();
  private waiting: WriteBatch[] = [];
  private waitingRows = 0;
  private writing: Promise<void> | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly counters: RecorderStats = {
    written: 0,
    dropped: 0,
    pending: 0,
    flushes: 0,
    failures: 0,
    expired: 0,
  };
  private lastProblem = '';
  private readonly indexByName = new Map<string, number>();
  private readonly lastForecast = new Map<string, number>();

  constructor(options: RecorderOptions) {
    this.twin = options.twin;
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.maxPending = Math.max(1000, options.maxPendingRows ?? DEFAULT_MAX_PENDING_ROWS);
    this.fraction = options.deadbandFraction ?? DEFAULT_DEADBAND_FRACTION;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Flushes once a second and runs the retention once a minute until stop(). */
  start(): void {
    this.timers.push(
      setInterval(() => void this.flush(), RECORDER_FLUSH_MS),
      setInterval(() => void this.expire(), RETENTION_EVERY_MS),
    );
  }

  /** Signals the engine saw for the first time (before the batch that uses their indices). */
  addSignals(added: readonly SignalInfo[]): void {
    for (const info of added) {
      this.names[info.index] = info.id;
      this.indexByName.set(info.id, info.index);
      this.ids[info.index] = -1;
      this.quality[info.index] = 0;
      this.bucketer.setDeadband(info.index, deadbandFor(this.twin.signals[info.def]?.range, this.fraction));
    }
  }

  /** One engine batch: triples [index, value, time]; a NaN value is a text sample (its text in batch.texts). */
  addBatch(batch: TelemetryBatch): void {
    const s = batch.samples;
    const out = this.current;
    let texts: Map<number, string> | null = null;
    for (let i = 0; i < batch.count; i++) {
      const at = i * SAMPLE_STRIDE;
      const index = s[at];
      const value = s[at + 1];
      const t = s[at + 2];
      if (!Number.isNaN(value)) {
        this.bucketer.add(index, value, t, this.quality[index] ?? 0, out);
        continue;
      }
      texts ??= new Map((batch.texts ?? []).map((x) => [x.index, x.text]));
      const text = texts.get(index);
      if (text === undefined) continue;
      out.values.sig.push(index);
      out.values.t.push(t);
      out.values.v.push(null);
      out.values.text.push(text);
      out.values.quality.push(this.quality[index] ?? 0);
    }
  }

  /** Quality changes (Sparkplug deaths, births, gaps): a row with the signal's kept value and its new bits. */
  addQuality(changes: readonly QualityChange[], t: number = this.now()): void {
    for (const c of changes) {
      const bits = c.on ? (this.quality[c.index] ?? 0) | c.bits : (this.quality[c.index] ?? 0) & ~c.bits;
      if (bits === this.quality[c.index]) continue;
      this.quality[c.index] = bits;
      const out = this.current.values;
      out.sig.push(c.index);
      out.t.push(t);
      out.v.push(this.bucketer.keptValue(c.index));
      out.text.push(null);
      out.quality.push(bits);
    }
  }

  /** Alarm transitions and command audit entries, in full. */
  addAudit(records: readonly AuditRecord[]): void {
    const e = this.current.events;
    for (const r of records) {
      e.twin.push(this.twin.id);
      e.t.push(r.t);
      e.kind.push(r.kind);
      e.body.push(JSON.stringify(r));
    }
  }

  /** Forecast rules' predictions now (Engine.forecastEstimates), each rule's kept every FORECAST_EVERY_MS. */
  addForecasts(
    estimates: readonly { rule: string; signal: string; horizonMs: number; predicted: number }[],
    t: number,
  ): void {
    for (const e of estimates) {
      const index = this.indexByName.get(e.signal);
      if (index === undefined || t - (this.lastForecast.get(e.rule) ?? -Infinity) < FORECAST_EVERY_MS) continue;
      this.lastForecast.set(e.rule, t);
      this.addForecast(index, e.rule, t, t + e.horizonMs, e.predicted);
    }
  }

  /** A forecast rule's prediction: `predicted` for time `target`, made at `t`. */
  addForecast(signalIndex: number, rule: string, t: number, target: number, predicted: number): void {
    if (!Number.isFinite(predicted) || !Number.isFinite(target)) return;
    const f = this.current.forecasts;
    f.sig.push(signalIndex);
    f.rule.push(rule);
    f.t.push(t);
    f.target.push(target);
    f.predicted.push(predicted);
  }

  stats(): RecorderStats {
    return { ...this.counters, pending: this.waitingRows + batchRows(this.current) };
  }

  /**
   * Closes the buckets of past seconds and writes what waits, in one write. While a write is under way
   * the rows wait for the next flush (bounded).
   */
  flush(final = false): Promise<void> {
    if (final) this.bucketer.closeAll(this.current);
    else this.bucketer.closeBefore(this.now(), this.current);
    const rows = batchRows(this.current);
    if (rows > 0) {
      this.waiting.push(this.current);
      this.waitingRows += rows;
      this.current = emptyBatch();
      this.bound();
    }
    if (this.writing) return this.writing;
    if (this.waitingRows === 0) return Promise.resolve();
    const chunks = this.waiting;
    this.waiting = [];
    this.waitingRows = 0;
    this.writing = this.write(chunks).finally(() => (this.writing = null));
    return this.writing;
  }

  /** Stops the timers and writes everything still held (the open seconds too). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.writing;
    await this.flush(true);
  }

  /** Deletes what the retention policy says is too old or too much. */
  async expire(): Promise<number> {
    try {
      const span = await this.store.span();
      const bytes = await this.store.estimatedBytes();
      const cutoff = retentionCutoff(this.retention, { now: this.now(), ...span, bytes });
      if (cutoff === null) return 0;
      const n = await this.store.deleteBefore(cutoff);
      this.counters.expired += n;
      return n;
    } catch (err) {
      this.problem(`history retention failed: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    }
  }

  private async write(chunks: WriteBatch[]): Promise<void> {
    const batch = merge(chunks);
    try {
      await this.store.write(await this.withIds(batch));
      this.counters.written += batchRows(batch);
      this.counters.flushes++;
      if (this.lastProblem) {
        this.log(`${this.twin.id}: history writes work again`);
        this.lastProblem = '';
      }
    } catch (err) {
      this.counters.failures++;
      this.problem(`history write failed (kept for the next try): ${err instanceof Error ? err.message : String(err)}`);
      // Back in front of what came meanwhile; bound() drops the oldest if it piles up.
      this.waiting.unshift(batch);
      this.waitingRows += batchRows(batch);
      this.bound();
    }
  }

  /** The batch with database ids for signal indices (new signals' ids asked of the store); `batch` stays as it is. */
  private async withIds(batch: WriteBatch): Promise<WriteBatch> {
    const missing = new Set<number>();
    for (const col of [batch.buckets.sig, batch.values.sig, batch.forecasts.sig])
      for (const index of col) if (!(this.ids[index] >= 0)) missing.add(index);
    if (missing.size > 0) {
      const names = [...missing].map((i) => this.names[i] ?? `#${i}`);
      const ids = await this.store.signalIds(this.twin.id, names);
      for (const i of missing) this.ids[i] = ids.get(this.names[i] ?? `#${i}`) ?? -1;
    }
    const ids = (col: number[]) => col.map((index) => this.ids[index]);
    return {
      buckets: { ...batch.buckets, sig: ids(batch.buckets.sig) },
      values: { ...batch.values, sig: ids(batch.values.sig) },
      events: batch.events,
      forecasts: { ...batch.forecasts, sig: ids(batch.forecasts.sig) },
    };
  }

  /** Beyond the limit, the oldest waiting chunks lose their buckets and values (counted), not their audit. */
  private bound(): void {
    for (let k = 0; this.waitingRows > this.maxPending && k < this.waiting.length; k++) {
      const c = this.waiting[k];
      const n = c.buckets.sig.length + c.values.sig.length;
      if (n === 0) continue;
      const kept = { ...emptyBatch(), events: c.events, forecasts: c.forecasts };
      this.waiting[k] = kept;
      this.waitingRows -= n;
      this.counters.dropped += n;
    }
    if (this.counters.dropped > 0 && this.waitingRows <= this.maxPending)
      this.problem(`history: the database is not keeping up; ${this.counters.dropped} rows dropped so far`);
  }

  private problem(line: string): void {
    // The same problem is said once, not once a second.
    const kind = line.replace(/\d+/g, '#');
    if (kind === this.lastProblem) return;
    this.lastProblem = kind;
    this.log(`${this.twin.id}: ${line}`);
  }
}

function merge(chunks: WriteBatch[]): WriteBatch {
  if (chunks.length === 1) return chunks[0];
  const out = emptyBatch();
  for (const c of chunks)
    for (const table of ['buckets', 'values', 'events', 'forecasts'] as const) {
      const into = out[table] as unknown as Record<string, unknown[]>;
      const from = c[table] as unknown as Record<string, unknown[]>;
      for (const key in from) for (const v of from[key]) into[key].push(v);
    }
  return out;
}
