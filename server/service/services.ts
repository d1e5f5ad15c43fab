/** Runs a TwinService per twin and stops them together: what `twin serve` and `npm start` share. */
import type { Twin } from '../../src/twin/schema';
import type { Credentials } from '../../src/engine/protocol';
import { TwinService } from './host';
import { StateStore } from './persistence';

export interface RunningServices {
  services: TwinService[];
  /** Resolves when every service is online. */
  online(): Promise<void>;
  /** Graceful stop of every service: state saved, "offline" published. */
  stop(): Promise<void>;
}

export function startServices(options: {
  twins: readonly Twin[];
  stateDir: string;
  brokerUrl?: string;
  credentials?: Credentials;
  log?: (line: string) => void;
}): RunningServices {
  const services = options.twins.map(
    (twin) =>
      new TwinService({
        twin,
        store: new StateStore(options.stateDir, twin.id),
        brokerUrl: options.brokerUrl,
        credentials: options.credentials,
        log: options.log,
      }),
  );
  for (const s of services) s.start();
  let stopping: Promise<void> | null = null;
  return {
    services,
    online: async () => {
      await Promise.all(services.map((s) => s.online()));
    },
    stop: () => (stopping ??= Promise.all(services.map((s) => s.stop())).then(() => undefined)),
  };
}

/** Credentials come from the environment, never the command line (as for `twin watch`). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  return env.TWINVIEW_MQTT_USERNAME !== undefined
    ? { username: env.TWINVIEW_MQTT_USERNAME, password: env.TWINVIEW_MQTT_PASSWORD ?? '' }
    : undefined;
}
