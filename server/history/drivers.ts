/**
 * The three backends behind one SqlDriver: DuckDB (embedded default: a file), PGlite (PostgreSQL in
 * WebAssembly: a folder) and a PostgreSQL server (a connection URL, through `pg`). The SQL they run is
 * the same (store.ts); only the bulk write differs.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseKind, Row, SqlDriver, WriteBatch } from './store';

const plain = (row: Record<string, unknown>): Row => {
  for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
};

/**
 * PostgreSQL (server or PGlite): each table's rows in one INSERT ... SELECT FROM unnest(arrays), the
 * arrays as bound parameters, all in one transaction.
 */
const INSERTS = {
  buckets:
    'INSERT INTO tv_hist_buckets (sig, t, n, v_first, v_min, v_max, v_last) SELECT * FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])',
  values:
    'INSERT INTO tv_hist_values (sig, t, v, txt, quality) SELECT * FROM unnest($1::integer[], $2::bigint[], $3::float8[], $4::text[], $5::integer[])',
  events:
    'INSERT INTO tv_hist_events (twin, t, kind, body) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])',
  forecasts:
    'INSERT INTO tv_hist_forecasts (sig, rule, t, target, predicted) SELECT * FROM unnest($1::integer[], $2::text[], $3::bigint[], $4::bigint[], $5::float8[])',
} as const;

function pgInserts(b: WriteBatch): [string, unknown[]][] {
  const out: [string, unknown[]][] = [];
  const { buckets: k, values: v, events: e, forecasts: f } = b;
  if (k.sig.length > 0) out.push([INSERTS.buckets, [k.sig, k.t, k.n, k.first, k.min, k.max, k.last]]);
  if (v.sig.length > 0) out.push([INSERTS.values, [v.sig, v.t, v.v, v.text, v.quality]]);
  if (e.t.length > 0) out.push([INSERTS.events, [e.twin, e.t, e.kind, e.body]]);
  if (f.sig.length > 0) out.push([INSERTS.forecasts, [f.sig, f.rule, f.t, f.target, f.predicted]]);
  return out;
}

export async function openPostgres(url: string): Promise<SqlDriver> {
  const { default: pg } = await import('pg');
  // BIGINT (int8) as a JS number: times in ms fit exactly (below 2^53).
  pg.types.setTypeParser(20, (text: string) => Number(text));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // A dropped idle connection is not fatal: the pool opens another on the next query.
  pool.on('error', () => {});
  const client = await pool.connect().catch((err: unknown) => {
    void pool.end();
    throw new Error(
      `cannot connect to PostgreSQL at ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  });
  client.release();
  return {
    kind: 'postgresql',
    async query(sql, params = []) {
      const res = await pool.query(sql, params as unknown[]);
      return res.rows as Row[];
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async write(batch) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        for (const [sql, params] of pgInserts(batch)) await c.query(sql, params);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

export async function openPglite(dir: string): Promise<SqlDriver> {
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  return {
    kind: 'pglite',
    async query(sql, params = []) {
      const res = await db.query<Record<string, unknown>>(sql, params as unknown[]);
      return res.rows.map(plain);
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async write(batch) {
      await db.transaction(async (tx) => {
        for (const [sql, params] of pgInserts(batch)) await tx.query(sql, params);
      });
    },
    close: () => db.close(),
  };
}

export async function openDuckdb(file: string): Promise<SqlDriver> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  // One statement at a time on the connection: the appender and queries do not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => {});
    return next;
  };
  return {
    kind: 'duckdb',
    query: (sql, params = []) =>
      serial(async () => {
        const reader = await connection.runAndReadAll(sql, params as never);
        return reader.getRowObjectsJS().map((r) => plain(r as Record<string, unknown>));
      }),
    exec: (sql) =>
      serial(async () => {
        await connection.run(sql);
      }),
    write: (batch) =>
      serial(async () => {
        await connection.run('BEGIN TRANSACTION');
        try {
          await appendAll(connection, batch);
          await connection.run('COMMIT');
        } catch (err) {
          await connection.run('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    close: () =>
      serial(async () => {
        connection.closeSync();
        instance.closeSync();
      }),
  };
}

type DuckConnection = Awaited<
  ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>
>;

async function appendAll(c: DuckConnection, b: WriteBatch): Promise<void> {
  if (b.buckets.sig.length > 0) {
    const a = await c.createAppender('tv_hist_buckets');
    const k = b.buckets;
    for (let i = 0; i < k.sig.length; i++) {
      a.appendInteger(k.sig[i]);
      a.appendBigInt(BigInt(k.t[i]));
      a.appendInteger(k.n[i]);
      a.appendDouble(k.first[i]);
      a.appendDouble(k.min[i]);
      a.appendDouble(k.max[i]);
      a.appendDouble(k.last[i]);
      a.endRow();
    }
    a.closeSync();
  }
  if (b.values.sig.length > 0) {
    const a = await c.createAppender('tv_hist_values');
    const v = b.values;
    for (let i = 0; i < v.sig.length; i++) {
      a.appendInteger(v.sig[i]);
      a.appendBigInt(BigInt(v.t[i]));
      const x = v.v[i];
      if (x === null) a.appendNull();
      else a.appendDouble(x);
      const s = v.text[i];
      if (s === null) a.appendNull();
      else a.appendVarchar(s);
      a.appendInteger(v.quality[i]);
      a.endRow();
    }
    a.closeSync();
  }
  if (b.events.t.length > 0) {
    const a = await c.createAppender('tv_hist_events');
    const e = b.events;
    for (let i = 0; i < e.t.length; i++) {
      a.appendVarchar(e.twin[i]);
      a.appendBigInt(BigInt(e.t[i]));
      a.appendVarchar(e.kind[i]);
      a.appendVarchar(e.body[i]);
      a.endRow();
    }
    a.closeSync();
  }
  if (b.forecasts.sig.length > 0) {
    const a = await c.createAppender('tv_hist_forecasts');
    const f = b.forecasts;
    for (let i = 0; i < f.sig.length; i++) {
      a.appendInteger(f.sig[i]);
      a.appendVarchar(f.rule[i]);
      a.appendBigInt(BigInt(f.t[i]));
      a.appendBigInt(BigInt(f.target[i]));
      a.appendDouble(f.predicted[i]);
      a.endRow();
    }
    a.closeSync();
  }
}

/** A connection URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export type HistoryTarget = { kind: DatabaseKind; location: string };

/**
 * `--history` values: `duckdb:<file>`, `pglite:<dir>`, `postgres://...` / `postgresql://...`, or a bare
 * path (a folder: DuckDB's file `history.duckdb` in it). Throws with the accepted forms otherwise.
 */
export function parseHistoryTarget(value: string): HistoryTarget {
  const v = value.trim();
  if (/^postgres(ql)?:\/\//i.test(v)) return { kind: 'postgresql', location: v };
  if (/^duckdb:/i.test(v) && v.length > 7) return { kind: 'duckdb', location: v.slice(7) };
  if (/^pglite:/i.test(v) && v.length > 7) return { kind: 'pglite', location: v.slice(7) };
  if (v !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^[a-z]+:/i.test(v))
    return { kind: 'duckdb', location: `${v.replace(/\/$/, '')}/history.duckdb` };
  throw new Error(
    `"${value}" is not a history database: use duckdb:<file>, pglite:<folder>, postgres://user@host:port/db or a folder`,
  );
}

export function openDriver(target: HistoryTarget): Promise<SqlDriver> {
  switch (target.kind) {
    case 'postgresql':
      return openPostgres(target.location);
    case 'pglite':
      return openPglite(target.location);
    case 'duckdb':
      return openDuckdb(target.location);
  }
}
