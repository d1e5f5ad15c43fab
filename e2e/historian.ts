/**
 * The historian for end-to-end specs: the engine service (`twin serve`) recording one twin into a
 * PostgreSQL database of its own on the run's server (E2E.postgresUrl, started by global-setup), with
 * its history API on E2E.historyApiPort, where the preview server proxies /api/history/
 * (playwright.config.ts). Start it in the spec that needs it and stop it there: while it runs, it is
 * the twin's alarm service for every dashboard.
 *
 *   const historian = await startHistorian({ twinFile: 'e2e/twins/shared-lab/twin.json' });
 *   ... page.request.get('/api/history/v1/series?twin=...') ...
 *   await historian.stop();
 *   const again = await startHistorian({ twinFile, database: historian.database }); // same history
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDatabase } from './postgres';
import { E2E } from './ports';

export interface Historian {
  /** The database's name on the run's PostgreSQL (pass it to a later startHistorian to continue it). */
  readonly database: string;
  /** postgres://... of that database. */
  readonly databaseUrl: string;
  /** http://127.0.0.1:<port> of the history API (the page reaches it as /api/history/ on its own origin). */
  readonly apiUrl: string;
  /** What the service printed so far. */
  log(): string;
  /** SIGTERM and wait: the service writes what it holds, then exits. */
  stop(): Promise<void>;
}

export interface HistorianOptions {
  twinFile: string;
  /** Continue this database (from an earlier Historian) instead of a fresh one. */
  database?: string;
  /** Default E2E.brokerTcpUrl (the run's Mosquitto). */
  brokerUrl?: string;
  /** Default E2E.historyApiPort (where the preview server proxies to). */
  port?: number;
  /** More `twin serve` arguments, e.g. ['--history-retention', '1h']. */
  args?: string[];
}

export async function startHistorian(options: HistorianOptions): Promise<Historian> {
  const database = options.database ?? `hist_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = options.database
    ? new URL(`/${database}`, E2E.postgresUrl).toString()
    : await createDatabase(E2E.postgresUrl, database);
  const port = options.port ?? E2E.historyApiPort;
  const stateDir = mkdtempSync(join(resolve('.tmp'), 'historian-state-'));
  let output = '';
  // `node --import tsx` so that SIGTERM reaches the service itself, not a wrapper.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli/twin.ts',
      'serve',
      options.twinFile,
      '--broker',
      options.brokerUrl ?? E2E.brokerTcpUrl,
      '--state',
      stateDir,
      '--history',
      databaseUrl,
      '--history-port',
      String(port),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  // Ready: the API answers and the service is online on the broker.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the historian exited (${child.exitCode}):\n${output}`);
    }
    if (/online at /.test(output)) {
      const ok = await fetch(`${apiUrl}/api/history/v1/status`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the historian did not become ready in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { database, databaseUrl, apiUrl, log: () => output, stop };
}
