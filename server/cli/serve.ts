/**
 * `twin serve <twin.json>...`: the engine as a service, around the clock. Each twin's rules, alarm
 * lifecycle and audit log run here against its broker, published under twinview/v1/<twin>/... for
 * every dashboard (docs/operations.md); dashboards act through requests over MQTT.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Twin } from '../../src/twin/schema';
import { brokerUrlFlag, intFlag, UsageError } from '../flags';
import { credentialsFromEnv, startServices } from '../service/services';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliCommand, type CliIo } from './command';
import { validateFile } from './validate';
import { openHistory } from '../history/open';
import { startHistoryApi } from '../history/api';
import { redact } from '../history/drivers';
import { DEFAULT_RETENTION, parseAge, type RetentionPolicy } from '../history/retention';
import type { HistoryStore } from '../history/store';

export const DEFAULT_STATE_DIR = '.twinview';

/** The embedded history database in the state folder, unless --history says otherwise. */
export const DEFAULT_HISTORY_FILE = 'history.duckdb';

const HELP = `Usage: npm run twin -- serve <twin.json>... [--broker URL] [--state DIR]
         [--history DB|off] [--history-port N] [--history-retention AGE] [--history-max-mb N]

Runs the rules, the ISA-18.2 alarm lifecycle and the audit log of each twin as a service, against
the twin's broker, until SIGTERM or Ctrl-C. It publishes under twinview/v1/<twin>/: the service
status (retained; "offline" by its MQTT last will when it dies), each alarm (retained) and every
audit record; dashboards send acknowledge, shelve, unshelve, out-of-service, reset and comment
requests on twinview/v1/<twin>/requests/<user> and get a reply on .../replies/<user>. The operator
recorded is <user>: let the broker's ACL tie it to the MQTT user name (docs/operations.md).

State (alarms, the audit tail, sequence numbers) is saved per twin in the state folder at most once
a second while something changes, and on a graceful stop; a run that was killed is reported when
the service comes back.

  --broker URL   use this broker instead of each twin's connection.url (ws://, wss://, mqtt://, mqtts://)
  --state DIR    the state folder (default ${DEFAULT_STATE_DIR}/ in the current folder)
  --history DB   record every twin's history (docs/history.md) in DB: duckdb:<file>, pglite:<folder>,
                 postgres://user@host:port/database (password from PGPASSWORD), or a folder (DuckDB
                 in it); default duckdb:<state folder>/${DEFAULT_HISTORY_FILE}; "off" records nothing
  --history-port N        serve the history API (/api/history/v1/...) on 127.0.0.1:N; web servers
                          proxy /api/history/ to it (TWINVIEW_HISTORY_API=http://127.0.0.1:N)
  --history-retention AGE keep history this long (default 30d; e.g. 12h, 90m)
  --history-max-mb N      and at most about N MB of rows (default ${DEFAULT_RETENTION.maxBytes / 1024 ** 2})

Credentials come from the environment: TWINVIEW_MQTT_USERNAME and TWINVIEW_MQTT_PASSWORD.`;

export interface ServeOptions {
  /** Resolves when the service should stop (tests); default SIGINT or SIGTERM. */
  until?: Promise<void>;
  env?: NodeJS.ProcessEnv;
}

export async function serve(args: string[], io: CliIo, options: ServeOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      broker: { type: 'string' },
      state: { type: 'string' },
      history: { type: 'string' },
      'history-port': { type: 'string' },
      'history-retention': { type: 'string' },
      'history-max-mb': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('name at least one twin file');
  const broker =
    values.broker !== undefined ? brokerUrlFlag('broker', values.broker, ['ws', 'wss', 'mqtt', 'mqtts']) : undefined;
  const stateDir = resolve(values.state ?? DEFAULT_STATE_DIR);
  const historyTarget = values.history ?? `duckdb:${join(stateDir, DEFAULT_HISTORY_FILE)}`;
  const recordHistory = historyTarget !== 'off';
  const historyPort =
    values['history-port'] === undefined ? undefined : intFlag('history-port', values['history-port'], 0, 0, 65535);
  if (historyPort !== undefined && !recordHistory)
    throw new UsageError('--history-port needs a history (not --history off)');
  const retention: RetentionPolicy = {
    maxAgeMs: retentionAge(values['history-retention']),
    maxBytes:
      values['history-max-mb'] === undefined
        ? DEFAULT_RETENTION.maxBytes
        : intFlag('history-max-mb', values['history-max-mb'], 0, 1, 100_000_000) * 1024 ** 2,
  };

  const twins: Twin[] = [];
  for (const path of positionals) {
    const file = await validateFile(path);
    if (!file.ok) {
      if ('unreadable' in file) {
        io.err(`${file.file}: ${file.unreadable}`);
        return EXIT_USAGE;
      }
      for (const p of file.problems) io.err(`${file.file}: ${p.path}: ${p.message}`);
      return EXIT_PROBLEMS;
    }
    if (twins.some((t) => t.id === file.twin.id)) throw new UsageError(`twin "${file.twin.id}" is named twice`);
    twins.push(file.twin);
  }

  const credentials = credentialsFromEnv(options.env ?? process.env);
  for (const t of twins)
    if (t.connection.credentials !== 'none' && credentials === undefined)
      io.err(`note: twin "${t.id}" asks for credentials; set TWINVIEW_MQTT_USERNAME and TWINVIEW_MQTT_PASSWORD`);

  const log = (line: string) => io.out(`${new Date().toISOString()} ${line}`);
  let history: HistoryStore | undefined;
  if (recordHistory) {
    try {
      history = await openHistory(historyTarget);
    } catch (err) {
      io.err(
        `twin serve: history database ${redact(historyTarget)}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return EXIT_USAGE;
    }
  }
  let running: ReturnType<typeof startServices>;
  try {
    running = startServices({ twins, stateDir, brokerUrl: broker, credentials, log, history, retention });
  } catch (err) {
    // A state folder that cannot be used, or another service already on it.
    await history?.close();
    io.err(`twin serve: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT_USAGE;
  }
  let api: Awaited<ReturnType<typeof startHistoryApi>> | undefined;
  if (history && historyPort !== undefined) {
    try {
      api = await startHistoryApi({ store: history, port: historyPort, twins: twins.map((t) => t.id), log });
    } catch (err) {
      io.err(
        `twin serve: history API on 127.0.0.1:${historyPort}: ${err instanceof Error ? err.message : String(err)}`,
      );
      await running.stop();
      await history.close();
      return EXIT_USAGE;
    }
  }
  log(`serving ${twins.map((t) => t.id).join(', ')}; state in ${stateDir}`);
  if (history)
    log(
      `recording history in ${history.kind} (${redact(historyTarget)})` +
        (api ? `; history API on http://127.0.0.1:${api.port}${'/api/history/v1/'}` : ''),
    );

  const until =
    options.until ??
    new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
  await until;
  log('stopping: saving state and publishing offline');
  await api?.close();
  await running.stop();
  await history?.close();
  log('stopped cleanly');
  return EXIT_OK;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  synopsis: '<twin.json>... [--broker URL] [--state DIR] [--history DB] [--history-port N]',
  summary: 'run the rules and alarms of twins as a service, shared with every dashboard over MQTT',
  help: HELP,
  run: (args, io) => serve(args, io),
};

function retentionAge(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RETENTION.maxAgeMs;
  try {
    return parseAge(value);
  } catch (err) {
    throw new UsageError(`--history-retention: ${err instanceof Error ? err.message : String(err)}`);
  }
}
