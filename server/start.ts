/**
 * `npm start`: the whole demo in one process — embedded MQTT broker, pump-station simulator, dashboard
 * — with nothing else to install. Ctrl-C stops all three. The dashboard is the production build (built
 * into dist/ at start, a few seconds), so the demo runs what a deployment runs and what the tests and
 * benchmarks measure; `--dev` serves the sources through Vite's dev server instead (hot reload).
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { DEFAULT_BROKER_PORT, startBroker, type RunningBroker } from './broker';
import { brokerUrlFlag, intFlag, isUsageError, onOffFlag } from './flags';
import { DEFAULT_FAULT_EVERY_SEC, DEFAULT_INTERVAL_MS, startSimulator, type RunningSimulator } from './sim/runner';
import { startSolarFarm, type RunningSolarFarm } from './sim/solarFarm';
import { startServices, twinsIn, type RunningServices } from './service/services';
import { openHistory } from './history/open';
import { startHistoryApi } from './history/api';
import { redact } from './history/drivers';
import type { HistoryStore } from './history/store';
import { dashboardLine, twinLink, type ServedTwin } from './startLinks';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const DEFAULT_PORT = 5173;
const DEFAULT_STATE_DIR = '.twinview';

const HELP = `Twinview demo: embedded MQTT broker + pump-station simulator + dashboard, all on ${HOST}.

Usage: npm start -- [options]        (or: node --import tsx server/start.ts [options])

Options:
  --port <n>            dashboard (HTTP) port (default ${DEFAULT_PORT})
  --broker-port <n>     embedded broker's WebSocket port (default ${DEFAULT_BROKER_PORT})
  --broker <ws-url>     use this broker (ws:// or wss://) instead of the embedded one; the dashboard
                        connects there, and the simulator publishes there unless --no-simulator.
                        Also from the environment: TWINVIEW_BROKER_URL
  --no-simulator        do not run the simulator (live data must come from elsewhere)
  --interval <ms>       simulator: milliseconds between publishes (default ${DEFAULT_INTERVAL_MS})
  --faults on|off       simulator: scripted faults (default on)
  --fault-every <s>     simulator: seconds between fault starts (default ${DEFAULT_FAULT_EVERY_SEC})
  --solar on|off        solar-farm simulator: 10,000 panels, 100,000 readings/s (default on)
  --service on|off      the engine service for the twins served (rules, alarms and audit shared by
                        every dashboard over the broker, as \`npm run twin -- serve\`; default on)
  --state <dir>         the service's state folder (default ${DEFAULT_STATE_DIR}/ in the repository;
                        also from the environment: TWINVIEW_STATE_DIR)
  --history <db>|off    record the served twins' history (docs/history.md): duckdb:<file>,
                        pglite:<folder> or postgres://...; default duckdb:<state>/history.duckdb;
                        the dashboard reads it at /api/history/ (needs --service on)
  --history-port <n>    the history API's own port on ${HOST} (default 0: any free port)
  --dev                 serve the dashboard from its sources with hot reload (Vite's dev server)
                        instead of building it first; for working on Twinview itself
  -h, --help            this text

The editor (?mode=edit) saves twins into models/ (TWINVIEW_EDITOR_DIR=<dir> elsewhere, empty: off).

Exit status: 0 after Ctrl-C or SIGTERM, 1 when something cannot start (such as a port in use),
2 for a mistake on the command line.`;

interface Settings {
  port: number;
  brokerPort: number;
  externalBroker: string | undefined;
  simulator: boolean;
  intervalMs: number;
  faults: boolean;
  faultEverySec: number;
  solar: boolean;
  service: boolean;
  stateDir: string;
  history: string;
  historyPort: number;
  dev: boolean;
}

function readSettings(argv: string[]): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'broker-port': { type: 'string' },
      broker: { type: 'string' },
      'no-simulator': { type: 'boolean' },
      interval: { type: 'string' },
      faults: { type: 'string' },
      'fault-every': { type: 'string' },
      solar: { type: 'string' },
      service: { type: 'string' },
      state: { type: 'string' },
      history: { type: 'string' },
      'history-port': { type: 'string' },
      dev: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  const external = values.broker ?? (process.env.TWINVIEW_BROKER_URL || undefined);
  return {
    port: intFlag('port', values.port, DEFAULT_PORT, 0, 65535),
    brokerPort: intFlag('broker-port', values['broker-port'], DEFAULT_BROKER_PORT, 0, 65535),
    // The dashboard is a browser: it can only reach a broker over WebSocket.
    externalBroker: external === undefined ? undefined : brokerUrlFlag('broker', external, ['ws', 'wss']),
    simulator: !values['no-simulator'],
    intervalMs: intFlag('interval', values.interval, DEFAULT_INTERVAL_MS, 50, 600_000),
    faults: onOffFlag('faults', values.faults, true),
    faultEverySec: intFlag('fault-every', values['fault-every'], DEFAULT_FAULT_EVERY_SEC, 10, 86_400),
    solar: onOffFlag('solar', values.solar, true),
    service: onOffFlag('service', values.service, true),
    stateDir: resolve(REPO, values.state ?? (process.env.TWINVIEW_STATE_DIR || DEFAULT_STATE_DIR)),
    history: values.history ?? '',
    historyPort: intFlag('history-port', values['history-port'], 0, 0, 65535),
    dev: values.dev === true,
  };
}

let broker: RunningBroker | undefined;
let sim: RunningSimulator | undefined;
let solar: RunningSolarFarm | undefined;
let services: RunningServices | undefined;
let history: HistoryStore | undefined;
let historyApi: { close(): Promise<void> } | undefined;
let vite: ViteDevServer | PreviewServer | undefined;
let stopping = false;

/** Stops in reverse order of start: the simulator first, so it does not log the broker going away. */
async function stopAll(): Promise<void> {
  const s = sim;
  const f = solar;
  const e = services;
  const v = vite;
  const b = broker;
  const h = history;
  const a = historyApi;
  sim = vite = broker = solar = services = history = historyApi = undefined;
  await f?.stop().catch(() => {});
  await s?.stop().catch(() => {});
  // Before the broker: the service saves its state and says "offline" while it still can.
  await a?.close().catch(() => {});
  await e?.stop().catch(() => {});
  // After the services: their recorders write what they hold first.
  await h?.close().catch(() => {});
  await v?.close().catch(() => {});
  await b?.close().catch(() => {});
}

function onSignal(): void {
  // A terminal's Ctrl-C reaches npm, tsx and us alike, and the wrappers forward it again: act once.
  if (stopping) return;
  stopping = true;
  // Should Vite have put back its own SIGTERM handler (it does on a config-change restart), it exits with
  // `process.exitCode ??= 143`: settle the status first.
  process.exitCode = 0;
  console.log('\nStopping Twinview...');
  // Should a part hang, still go within a couple of seconds.
  setTimeout(() => {
    console.error('Twinview: a part did not stop in time; exiting anyway');
    process.exit(0);
  }, 3000).unref();
  void stopAll().then(() => {
    console.log('Twinview stopped.');
    process.exit(0);
  });
}

/** Vite installs its own SIGTERM (and stdin end) handlers that exit at once; the broker deserves a clean stop. */
async function withoutViteSignalHandlers<T>(start: () => Promise<T>): Promise<T> {
  const sigterm = new Set(process.listeners('SIGTERM'));
  const stdinEnd = new Set(process.stdin.listeners('end'));
  try {
    return await start();
  } finally {
    for (const l of process.listeners('SIGTERM')) if (!sigterm.has(l)) process.off('SIGTERM', l);
    for (const l of process.stdin.listeners('end')) {
      if (!stdinEnd.has(l)) process.stdin.off('end', l as (...args: unknown[]) => void);
    }
  }
}

/** Vite's dev server (`--dev`): the sources, with hot reload. Listens when `listen()` is called. */
async function startDevServer(port: number): Promise<ViteDevServer> {
  const server = await withoutViteSignalHandlers(() =>
    createServer({
      configFile: resolve(REPO, 'vite.config.ts'),
      root: REPO,
      clearScreen: false,
      server: { port, host: HOST, strictPort: true },
    }),
  );
  await server.listen();
  return server;
}

/** The production build in dist/, built now, served with the twins and decoders (vite.config.ts). */
async function startBuiltDashboard(port: number): Promise<PreviewServer> {
  const configFile = resolve(REPO, 'vite.config.ts');
  const outDir = resolve(REPO, 'dist');
  console.log('Building the dashboard...');
  // Only errors: the chunk-size advice is for whoever splits the bundle, not for someone starting the demo.
  await build({ configFile, root: REPO, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  if (stopping) throw new Error('stopped');
  return withoutViteSignalHandlers(() =>
    preview({
      configFile,
      root: REPO,
      logLevel: 'warn',
      build: { outDir },
      preview: { port, host: HOST, strictPort: true, open: false },
    }),
  );
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2));
  if (!settings) return;
  // The twins folder in vite.config.ts is relative ("models"): run from the repository wherever we started.
  process.chdir(REPO);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let brokerUrl: string;
  if (settings.externalBroker) {
    brokerUrl = settings.externalBroker;
  } else {
    broker = await startBroker({ wsPort: settings.brokerPort, host: HOST });
    brokerUrl = broker.url;
  }
  if (stopping) return;

  // The service first, so that the simulator's first values already reach its rules.
  let serviceLine = 'off (--service off)';
  let historyLine = settings.service ? 'off (--history off)' : 'off (needs --service on)';
  if (settings.service) {
    const dirs = (process.env.TWINVIEW_TWINS_DIRS ?? 'models').split(':').filter(Boolean);
    const { twins, skipped } = await twinsIn(dirs.map((d) => resolve(REPO, d)));
    for (const s of skipped) console.error(`Service: not serving ${s}`);
    if (twins.length > 0) {
      const stamp = (line: string) => `${new Date().toISOString()} service: ${line}`;
      const target = settings.history || `duckdb:${resolve(settings.stateDir, 'history.duckdb')}`;
      if (target !== 'off') {
        history = await openHistory(target).catch((err: unknown) => {
          throw new Error(
            `the history database ${redact(target)}: ${err instanceof Error ? err.message : String(err)}`,
            {
              cause: err,
            },
          );
        });
      }
      // Routine lines stay quiet; what an operator must know (a killed previous run) is printed.
      services = startServices({
        twins,
        stateDir: settings.stateDir,
        brokerUrl,
        log: (l) => console.error(stamp(l)),
        info: () => {},
        history,
      });
      if (history) {
        const api = await startHistoryApi({
          store: history,
          port: settings.historyPort,
          twins: twins.map((t) => t.id),
          log: (l) => console.error(stamp(l)),
        });
        historyApi = api;
        // vite.config.ts proxies /api/history/ there.
        process.env.TWINVIEW_HISTORY_API = `http://${HOST}:${api.port}`;
        historyLine = `recorded in ${history.kind} (${redact(target)}), API http://${HOST}:${api.port}/api/history/v1/ (the dashboard: /api/history/)`;
      }
      await Promise.race([services.online(), new Promise((r) => setTimeout(r, 5000))]);
      serviceLine = `alarms of ${twins.map((t) => t.id).join(', ')} shared on the broker (twinview/v1/...), state in ${relativeToRepo(settings.stateDir)}`;
    } else serviceLine = 'no valid twins to serve';
  }
  if (stopping) return;

  if (settings.simulator) {
    sim = startSimulator({
      brokerUrl,
      intervalMs: settings.intervalMs,
      faults: settings.faults,
      faultEverySec: settings.faultEverySec,
    });
    // Wait briefly so the first retained values are on the broker before the dashboard opens; an external
    // broker that is down is not fatal (the simulator keeps retrying and says so).
    await sim.connected(settings.externalBroker ? 3000 : 5000);
    if (settings.solar) solar = startSolarFarm({ brokerUrl });
  }
  if (stopping) return;

  // vite.config.ts hands this to the dashboard (/config.json), overriding each twin's connection.url.
  process.env.TWINVIEW_BROKER_URL = brokerUrl;
  // The editor (?mode=edit) saves twins into models/ on this machine (tools/vite-plugin-editor.ts);
  // TWINVIEW_EDITOR_DIR= (empty) turns saving off, another folder saves there.
  if (process.env.TWINVIEW_EDITOR_DIR === undefined) process.env.TWINVIEW_EDITOR_DIR = 'models';
  try {
    vite = settings.dev ? await startDevServer(settings.port) : await startBuiltDashboard(settings.port);
  } catch (err) {
    if (stopping) return;
    if (err instanceof Error && /already in use/.test(err.message)) {
      throw new Error(`port ${settings.port} on ${HOST} is already in use — choose another with --port`, {
        cause: err,
      });
    }
    throw err;
  }
  if (stopping) return;
  const address = vite.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const dashboard = `http://${HOST}:${port}`;
  // Links to twins the dashboard really serves (TWINVIEW_TWINS_DIRS may hold other twins than models/).
  const twins = await servedTwins(dashboard);
  const solarServed = twins?.some((t) => t.id === 'solar-farm') ?? true;

  console.log(
    [
      '',
      'Twinview is running',
      `  Dashboard:  ${dashboardLine(dashboard, twins)}`,
      `  All twins:  ${dashboard}/`,
      `  Broker:     ${brokerUrl} (${settings.externalBroker ? 'external' : 'embedded'})`,
      `  Simulator:  ${
        settings.simulator
          ? `publishing plant/north/# every ${settings.intervalMs} ms, ` +
            (settings.faults ? `faults every ${settings.faultEverySec} s` : 'faults off')
          : 'off (--no-simulator)'
      }`,
      `  Solar farm: ${
        settings.simulator && settings.solar
          ? solarServed
            ? `${twinLink(dashboard, 'solar-farm')} (100,000 readings/s)`
            : 'publishing, but no solar-farm twin is served'
          : 'off'
      }`,
      `  Service:    ${serviceLine}`,
      `  History:    ${historyLine}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

function relativeToRepo(dir: string): string {
  const rel = relative(REPO, dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `${rel}/` : dir;
}

/** The twins the dashboard serves, from its own index; null when it cannot be read. */
async function servedTwins(dashboard: string): Promise<ServedTwin[] | null> {
  try {
    const res = await fetch(`${dashboard}/twins/index.json`);
    return res.ok ? ((await res.json()) as ServedTwin[]) : null;
  } catch {
    return null;
  }
}

main().catch(async (err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(isUsageError(err) ? `${message} (see --help)` : `Twinview could not start: ${message}`);
  stopping = true;
  await stopAll();
  process.exit(isUsageError(err) ? 2 : 1);
});
