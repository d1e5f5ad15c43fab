/**
 * The historian's storage: one schema and one set of SQL statements for every backend (DuckDB, the
 * embedded default; PGlite; a PostgreSQL server by URL). Values reach SQL only as bound parameters
 * ($1, $2, ...); table and column names are fixed here. Only the bulk write differs per backend
 * (DuckDB's appender; PostgreSQL's unnest of arrays), because a multi-row INSERT with bound parameters is
 * 10-40x slower in DuckDB (bench/history.ts).
 */

/** Rows written by one flush of the recorder, column by column. */
export interface WriteBatch {
  /** Per-second buckets: signal id, second start (ms), count, first/min/max/last value. */
  buckets: { sig: number[]; t: number[]; n: number[]; first: number[]; min: number[]; max: number[]; last: number[] };
  /** Every change beyond the deadband, text values and quality changes: value null for text or quality only. */
  values: { sig: number[]; t: number[]; v: (number | null)[]; text: (string | null)[]; quality: number[] };
  /** Alarm transitions and command audit entries, in full (JSON text). */
  events: { twin: string[]; t: number[]; kind: string[]; body: string[] };
  /** Forecast rule predictions: the value predicted for `target` when made at `t`. */
  forecasts: { sig: number[]; rule: string[]; t: number[]; target: number[]; predicted: number[] };
}

export function emptyBatch(): WriteBatch {
  return {
    buckets: { sig: [], t: [], n: [], first: [], min: [], max: [], last: [] },
    values: { sig: [], t: [], v: [], text: [], quality: [] },
    events: { twin: [], t: [], kind: [], body: [] },
    forecasts: { sig: [], rule: [], t: [], target: [], predicted: [] },
  };
}

export function batchRows(b: WriteBatch): number {
  return b.buckets.sig.length + b.values.sig.length + b.events.t.length + b.forecasts.sig.length;
}

export type DatabaseKind = 'pglite' | 'duckdb' | 'postgresql';

/** A row as the SQL layer returns it: BIGINTs already plain numbers. */
export type Row = Record<string, unknown>;

/** What a backend provides: run a statement with bound parameters, write a batch, close. */
export interface SqlDriver {
  readonly kind: DatabaseKind;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (the schema). */
  exec(sql: string): Promise<void>;
  /** One bulk write per table, in one transaction where the backend has them. */
  write(batch: WriteBatch): Promise<void>;
  close(): Promise<void>;
}

export const SCHEMA = `
CREATE SEQUENCE IF NOT EXISTS tv_hist_signal_ids;
CREATE TABLE IF NOT EXISTS tv_hist_signals (
  id INTEGER PRIMARY KEY DEFAULT nextval('tv_hist_signal_ids'),
  twin TEXT NOT NULL,
  signal TEXT NOT NULL,
  UNIQUE (twin, signal)
);
CREATE TABLE IF NOT EXISTS tv_hist_buckets (
  sig INTEGER NOT NULL, t BIGINT NOT NULL, n INTEGER NOT NULL,
  v_first DOUBLE PRECISION NOT NULL, v_min DOUBLE PRECISION NOT NULL,
  v_max DOUBLE PRECISION NOT NULL, v_last DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS tv_hist_buckets_sig_t ON tv_hist_buckets (sig, t);
CREATE TABLE IF NOT EXISTS tv_hist_values (
  sig INTEGER NOT NULL, t BIGINT NOT NULL, v DOUBLE PRECISION, txt TEXT, quality INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tv_hist_values_sig_t ON tv_hist_values (sig, t);
CREATE TABLE IF NOT EXISTS tv_hist_events (twin TEXT NOT NULL, t BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tv_hist_events_twin_t ON tv_hist_events (twin, t);
CREATE TABLE IF NOT EXISTS tv_hist_forecasts (
  sig INTEGER NOT NULL, rule TEXT NOT NULL, t BIGINT NOT NULL, target BIGINT NOT NULL, predicted DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS tv_hist_forecasts_sig_target ON tv_hist_forecasts (sig, target);
`;

/** Tables with a time column, for retention; the estimated bytes a row takes (for the size limit). */
/**
 * The tables retention trims, each with its statements written out in full: no SQL text is ever put
 * together from pieces, not even from names fixed in code.
 */
export const TABLES = [
  {
    name: 'tv_hist_buckets',
    rowBytes: 56,
    countBefore: 'SELECT count(*) AS n FROM tv_hist_buckets WHERE t < $1',
    deleteBefore: 'DELETE FROM tv_hist_buckets WHERE t < $1',
    countAll: 'SELECT count(*) AS n FROM tv_hist_buckets',
  },
  {
    name: 'tv_hist_values',
    rowBytes: 40,
    countBefore: 'SELECT count(*) AS n FROM tv_hist_values WHERE t < $1',
    deleteBefore: 'DELETE FROM tv_hist_values WHERE t < $1',
    countAll: 'SELECT count(*) AS n FROM tv_hist_values',
  },
  {
    name: 'tv_hist_events',
    rowBytes: 200,
    countBefore: 'SELECT count(*) AS n FROM tv_hist_events WHERE t < $1',
    deleteBefore: 'DELETE FROM tv_hist_events WHERE t < $1',
    countAll: 'SELECT count(*) AS n FROM tv_hist_events',
  },
  {
    name: 'tv_hist_forecasts',
    rowBytes: 48,
    countBefore: 'SELECT count(*) AS n FROM tv_hist_forecasts WHERE target < $1',
    deleteBefore: 'DELETE FROM tv_hist_forecasts WHERE target < $1',
    countAll: 'SELECT count(*) AS n FROM tv_hist_forecasts',
  },
] as const;

export interface SeriesColumn {
  col: number;
  tFirst: number;
  vFirst: number;
  tMin: number;
  vMin: number;
  tMax: number;
  vMax: number;
  tLast: number;
  vLast: number;
}

export interface SnapshotValue {
  signal: string;
  t: number;
  v: number | null;
  text?: string;
  quality: number;
}

export interface ValueRow {
  t: number;
  signal: string;
  v: number | null;
  text: string | null;
}

export interface ForecastRow {
  rule: string;
  t: number;
  target: number;
  predicted: number;
}

export interface HistoryStore {
  readonly kind: DatabaseKind;
  /** Ids for signal names of a twin, created when new. */
  signalIds(twin: string, names: readonly string[]): Promise<Map<string, number>>;
  write(batch: WriteBatch): Promise<void>;
  twins(): Promise<string[]>;
  /** Oldest and newest bucket times, or null when empty. */
  span(): Promise<{ oldest: number | null; newest: number | null }>;
  /** Known signal names of a twin. */
  signals(twin: string): Promise<string[]>;
  /** Per column of `width` ms from `from`: first/min/max/last of one signal's buckets in [from, to). */
  series(twin: string, signal: string, from: number, to: number, width: number): Promise<SeriesColumn[]>;
  /** Each signal's last value at or before `at`. */
  snapshot(twin: string, at: number): Promise<SnapshotValue[]>;
  /** Audit entries (alarm transitions, commands) of a twin in [from, to], in time order, parsed. */
  events(twin: string, from: number, to: number, kind?: 'alarm' | 'command'): Promise<Record<string, unknown>[]>;
  /** Recorded values (changes beyond the deadband) of a twin in [from, to], in time order, at most `limit`. */
  values(twin: string, from: number, to: number, limit: number): Promise<ValueRow[]>;
  /** Forecast predictions for a signal whose target time is in [from, to]. */
  forecasts(twin: string, signal: string, from: number, to: number): Promise<ForecastRow[]>;
  /** Deletes every row older than `t` (ms); returns how many. */
  deleteBefore(t: number): Promise<number>;
  /** Stored rows times an estimate of their size (the retention size limit works on this). */
  estimatedBytes(): Promise<number>;
  close(): Promise<void>;
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** The HistoryStore over any SqlDriver: every statement here runs unchanged on each backend. */
export class SqlHistoryStore implements HistoryStore {
  private readonly ids = new Map<string, number>();

  private constructor(private readonly driver: SqlDriver) {}

  get kind(): DatabaseKind {
    return this.driver.kind;
  }

  static async open(driver: SqlDriver): Promise<SqlHistoryStore> {
    await driver.exec(SCHEMA);
    return new SqlHistoryStore(driver);
  }

  async signalIds(twin: string, names: readonly string[]): Promise<Map<string, number>> {
    const key = (name: string) => `${twin}\u0000${name}`;
    const missing = [...new Set(names.filter((n) => !this.ids.has(key(n))))];
    if (missing.length > 0) {
      // New signals in a few statements (a twin may bring 10,000 at once), then every id of the twin.
      for (let start = 0; start < missing.length; start += 500) {
        const chunk = missing.slice(start, start + 500);
        await this.driver.query(
          `INSERT INTO tv_hist_signals (twin, signal) VALUES ${chunk.map((_, i) => `($1, $${i + 2})`).join(', ')}
          ON CONFLICT (twin, signal) DO NOTHING`,
          [twin, ...chunk],
        );
      }
      for (const r of await this.driver.query('SELECT id, signal FROM tv_hist_signals WHERE twin = $1', [twin]))
        this.ids.set(key(String(r.signal)), num(r.id));
    }
    const out = new Map<string, number>();
    for (const name of names) {
      const id = this.ids.get(key(name));
      if (id !== undefined) out.set(name, id);
    }
    return out;
  }

  write(batch: WriteBatch): Promise<void> {
    return batchRows(batch) === 0 ? Promise.resolve() : this.driver.write(batch);
  }

  async twins(): Promise<string[]> {
    const rows = await this.driver.query('SELECT DISTINCT twin FROM tv_hist_signals ORDER BY twin');
    return rows.map((r) => String(r.twin));
  }

  async span(): Promise<{ oldest: number | null; newest: number | null }> {
    const rows = await this.driver.query('SELECT min(t) AS oldest, max(t) AS newest FROM tv_hist_buckets');
    return { oldest: numOrNull(rows[0]?.oldest), newest: numOrNull(rows[0]?.newest) };
  }

  async signals(twin: string): Promise<string[]> {
    const rows = await this.driver.query('SELECT signal FROM tv_hist_signals WHERE twin = $1 ORDER BY signal', [twin]);
    return rows.map((r) => String(r.signal));
  }

  private async idOf(twin: string, signal: string): Promise<number | null> {
    const rows = await this.driver.query('SELECT id FROM tv_hist_signals WHERE twin = $1 AND signal = $2', [
      twin,
      signal,
    ]);
    return rows.length === 0 ? null : num(rows[0].id);
  }

  async series(twin: string, signal: string, from: number, to: number, width: number): Promise<SeriesColumn[]> {
    const sig = await this.idOf(twin, signal);
    if (sig === null) return [];
    // Per column: the aggregates first, then one join back over the column's rows for the value at the
    // first and last time and the earliest time of the min and of the max. Plain SQL that PostgreSQL and
    // DuckDB both run (neither's first()/arg_min() exists in the other), about 3x faster on DuckDB than
    // sorting each column with array_agg(... ORDER BY ...)[1].
    const rows = await this.driver.query(
      `WITH r AS (
        SELECT t, v_first, v_min, v_max, v_last, floor((t - $2) / $4) AS col
        FROM tv_hist_buckets WHERE sig = $1 AND t >= $2 AND t < $3
      ), a AS (
        SELECT col, min(t) AS t_first, max(t) AS t_last, min(v_min) AS v_min, max(v_max) AS v_max FROM r GROUP BY col
      )
      SELECT a.col AS col,
        a.t_first AS t_first, max(CASE WHEN r.t = a.t_first THEN r.v_first END) AS v_first,
        min(CASE WHEN r.v_min = a.v_min THEN r.t END) AS t_min, a.v_min AS v_min,
        min(CASE WHEN r.v_max = a.v_max THEN r.t END) AS t_max, a.v_max AS v_max,
        a.t_last AS t_last, max(CASE WHEN r.t = a.t_last THEN r.v_last END) AS v_last
      FROM a JOIN r ON r.col = a.col
      GROUP BY a.col, a.t_first, a.v_min, a.v_max, a.t_last ORDER BY a.col`,
      [sig, Math.floor(from), Math.ceil(to), Math.max(1, Math.floor(width))],
    );
    return rows.map((r) => ({
      col: num(r.col),
      tFirst: num(r.t_first),
      vFirst: num(r.v_first),
      tMin: num(r.t_min),
      vMin: num(r.v_min),
      tMax: num(r.t_max),
      vMax: num(r.v_max),
      tLast: num(r.t_last),
      vLast: num(r.v_last),
    }));
  }

  async snapshot(twin: string, at: number): Promise<SnapshotValue[]> {
    const rows = await this.driver.query(
      // Per signal, the newest row at or before the moment: an index lookup each, not a scan of the past.
      `SELECT s.signal AS signal, v.t AS t, v.v AS v, v.txt AS txt, v.quality AS quality
      FROM tv_hist_signals s, LATERAL (
        SELECT t, v, txt, quality FROM tv_hist_values WHERE sig = s.id AND t <= $2 ORDER BY t DESC LIMIT 1
      ) v
      WHERE s.twin = $1 ORDER BY s.signal`,
      [twin, Math.floor(at)],
    );
    return rows.map((r) => {
      const out: SnapshotValue = {
        signal: String(r.signal),
        t: num(r.t),
        v: numOrNull(r.v),
        quality: num(r.quality),
      };
      if (r.txt !== null && r.txt !== undefined) out.text = String(r.txt);
      return out;
    });
  }

  async events(twin: string, from: number, to: number, kind?: 'alarm' | 'command'): Promise<Record<string, unknown>[]> {
    const rows = await this.driver.query(
      `SELECT body FROM tv_hist_events WHERE twin = $1 AND t >= $2 AND t <= $3 ${kind ? 'AND kind = $4' : ''}
      ORDER BY t`,
      kind ? [twin, Math.floor(from), Math.ceil(to), kind] : [twin, Math.floor(from), Math.ceil(to)],
    );
    return rows.map((r) => JSON.parse(String(r.body)) as Record<string, unknown>);
  }

  async values(twin: string, from: number, to: number, limit: number): Promise<ValueRow[]> {
    const rows = await this.driver.query(
      `SELECT v.t AS t, s.signal AS signal, v.v AS v, v.txt AS txt
      FROM tv_hist_values v JOIN tv_hist_signals s ON s.id = v.sig
      WHERE s.twin = $1 AND v.t >= $2 AND v.t <= $3 AND (v.v IS NOT NULL OR v.txt IS NOT NULL)
      ORDER BY v.t, s.signal LIMIT $4`,
      [twin, Math.floor(from), Math.ceil(to), Math.floor(limit)],
    );
    return rows.map((r) => ({
      t: num(r.t),
      signal: String(r.signal),
      v: numOrNull(r.v),
      text: r.txt === null || r.txt === undefined ? null : String(r.txt),
    }));
  }

  async forecasts(twin: string, signal: string, from: number, to: number): Promise<ForecastRow[]> {
    const sig = await this.idOf(twin, signal);
    if (sig === null) return [];
    const rows = await this.driver.query(
      `SELECT rule, t, target, predicted FROM tv_hist_forecasts
      WHERE sig = $1 AND target >= $2 AND target <= $3 ORDER BY target`,
      [sig, Math.floor(from), Math.ceil(to)],
    );
    return rows.map((r) => ({ rule: String(r.rule), t: num(r.t), target: num(r.target), predicted: num(r.predicted) }));
  }

  async deleteBefore(t: number): Promise<number> {
    let deleted = 0;
    for (const table of TABLES) {
      const rows = await this.driver.query(table.countBefore, [Math.floor(t)]);
      const n = num(rows[0]?.n ?? 0);
      if (n > 0) await this.driver.query(table.deleteBefore, [Math.floor(t)]);
      deleted += n;
    }
    return deleted;
  }

  async estimatedBytes(): Promise<number> {
    let bytes = 0;
    for (const table of TABLES) {
      const rows = await this.driver.query(table.countAll);
      bytes += num(rows[0]?.n ?? 0) * table.rowBytes;
    }
    return bytes;
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
