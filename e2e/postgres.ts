/**
 * Runs Debian's PostgreSQL 15 for tests on a loopback port, with no system service: initdb into a
 * fresh folder under .tmp (as the user "postgres" when we are root: PostgreSQL refuses to run as root),
 * pg_ctl start, and pg_ctl stop -m fast. Trust authentication on 127.0.0.1 only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';

export interface Postgres {
  readonly port: number;
  /** postgres://twinview@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];
export const PG_USER = 'twinview';

export function findPostgresBin(): string {
  for (const dir of BIN_DIRS) if (existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  throw new Error('PostgreSQL is not installed: install it with  sudo apt-get install -y postgresql');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}

/** Runs a PostgreSQL program, as "postgres" when we are root. */
function runPg(bin: string, args: string[]): { status: number | null; output: string } {
  const asRoot = process.getuid?.() === 0;
  const res = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
    : spawnSync(bin, args, { encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}`.trim() };
}

export async function startPostgres(opts: { port: number; baseDir?: string }): Promise<Postgres> {
  const bin = findPostgresBin();
  if (await portOpen(opts.port))
    throw new Error(`port ${opts.port} is already in use on 127.0.0.1 (a previous test PostgreSQL?)`);
  const base = resolve(opts.baseDir ?? '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const init = runPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.output.slice(-2000)}`);
  const pgctl = join(bin, 'pg_ctl');
  const options = `-p ${opts.port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
  const start = runPg(pgctl, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${start.output.slice(-2000)}`);
  }
  const urlFor = (database: string) => `postgres://${PG_USER}@127.0.0.1:${opts.port}/${database}`;
  let stopped = false;
  return {
    port: opts.port,
    url: urlFor('postgres'),
    urlFor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      runPg(pgctl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh, empty database on the server and returns its URL (its name from letters, digits, _). */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name "${name}"`);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // An identifier cannot be a bound parameter: the name was checked above.
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
