/** Runs a TwinService per twin and stops them together: what `twin serve` and `npm start` share. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Twin } from '../../src/twin/schema';
import type { Credentials } from '../../src/engine/protocol';
import { TwinService } from './host';
import { StateStore } from './persistence';
import { validateFile } from '../cli/validate';
import { Recorder } from '../history/recorder';
import type { HistoryStore } from '../history/store';
import type { RetentionPolicy } from '../history/retention';

export interface RunningServices {
  services: TwinService[];
  /** The historian's recorders, one per twin, when a history store was given. */
  recorders: Recorder[];
  /** Resolves when every service is online. */
  online(): Promise<void>;
  /** Graceful stop of every service: state saved, "offline" published, history written. */
  stop(): Promise<void>;
}

export function startServices(options: {
  twins: readonly Twin[];
  stateDir: string;
  brokerUrl?: string;
  credentials?: Credentials;
  log?: (line: string) => void;
  info?: (line: string) => void;
  /** Record each twin's history here (the store stays open: the caller closes it after stop()). */
  history?: HistoryStore;
  retention?: RetentionPolicy;
}): RunningServices {
  const services: TwinService[] = [];
  const recorders: Recorder[] = [];
  try {
    for (const twin of options.twins) {
      const recorder = options.history
        ? new Recorder({ twin, store: options.history, retention: options.retention, log: options.log })
        : undefined;
      if (recorder) recorders.push(recorder);
      services.push(
        new TwinService({
          twin,
          store: new StateStore(options.stateDir, twin.id),
          brokerUrl: options.brokerUrl,
          credentials: options.credentials,
          log: options.log,
          info: options.info,
          recorder,
        }),
      );
    }
  } catch (err) {
    // Those already set up give their state folder back (their stop is synchronous before connecting).
    for (const s of services) void s.stop();
    throw err;
  }
  for (const s of services) s.start();
  for (const r of recorders) r.start();
  let stopping: Promise<void> | null = null;
  return {
    services,
    recorders,
    online: async () => {
      await Promise.all(services.map((s) => s.online()));
    },
    stop: () =>
      (stopping ??= Promise.all(services.map((s) => s.stop()))
        .then(() => Promise.all(recorders.map((r) => r.stop())))
        .then(() => undefined)),
  };
}

/** Credentials come from the environment, never the command line (as for `twin watch`). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  return env.TWINVIEW_MQTT_USERNAME !== undefined
    ? { username: env.TWINVIEW_MQTT_USERNAME, password: env.TWINVIEW_MQTT_PASSWORD ?? '' }
    : undefined;
}

/** The valid twins in `<dir>/<folder>/twin.json` of each folder (as the dashboard lists them), and the rest with why. */
export async function twinsIn(dirs: readonly string[]): Promise<{ twins: Twin[]; skipped: string[] }> {
  const twins: Twin[] = [];
  const skipped: string[] = [];
  for (const dir of dirs) {
    let folders: string[];
    try {
      folders = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue;
    }
    for (const folder of folders.sort()) {
      const file = join(dir, folder, 'twin.json');
      if (!existsSync(file)) continue;
      const result = await validateFile(file);
      if (!result.ok) skipped.push(`${file} (${'unreadable' in result ? result.unreadable : 'has problems'})`);
      else if (twins.some((t) => t.id === result.twin.id)) skipped.push(`${file} (twin id "${result.twin.id}" twice)`);
      else twins.push(result.twin);
    }
  }
  return { twins, skipped };
}
