/**
 * `twin serve <twin.json>...`: the engine as a service, around the clock. Each twin's rules, alarm
 * lifecycle and audit log run here against its broker, published under twinview/v1/<twin>/... for
 * every dashboard (docs/operations.md); dashboards act through requests over MQTT.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Twin } from '../../src/twin/schema';
import { brokerUrlFlag, UsageError } from '../flags';
import { credentialsFromEnv, startServices } from '../service/services';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliCommand, type CliIo } from './command';
import { validateFile } from './validate';

export const DEFAULT_STATE_DIR = '.twinview';

const HELP = `Usage: npm run twin -- serve <twin.json>... [--broker URL] [--state DIR]

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
    options: { broker: { type: 'string' }, state: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('name at least one twin file');
  const broker =
    values.broker !== undefined ? brokerUrlFlag('broker', values.broker, ['ws', 'wss', 'mqtt', 'mqtts']) : undefined;
  const stateDir = resolve(values.state ?? DEFAULT_STATE_DIR);

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
  let running: ReturnType<typeof startServices>;
  try {
    running = startServices({ twins, stateDir, brokerUrl: broker, credentials, log });
  } catch (err) {
    // A state folder that cannot be used, or another service already on it.
    io.err(`twin serve: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT_USAGE;
  }
  log(`serving ${twins.map((t) => t.id).join(', ')}; state in ${stateDir}`);

  const until =
    options.until ??
    new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
  await until;
  log('stopping: saving state and publishing offline');
  await running.stop();
  log('stopped cleanly');
  return EXIT_OK;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  synopsis: '<twin.json>... [--broker URL] [--state DIR]',
  summary: 'run the rules and alarms of twins as a service, shared with every dashboard over MQTT',
  help: HELP,
  run: (args, io) => serve(args, io),
};
