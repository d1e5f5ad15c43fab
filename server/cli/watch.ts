/**
 * `twin watch <twin.json>`: the same engine the dashboard runs in its worker, here in Node. It
 * connects to the twin's broker (or --broker), and prints a live table of signals and active
 * alarms: redrawn in place on a terminal, printed as plain snapshots when the output is a pipe or
 * a log. Proof the core has no DOM, and handy over SSH.
 */
import { parseArgs } from 'node:util';
import { EngineSession } from '../../src/engine/workerSession';
import type { AlarmSnapshot, ConnectionStatus, EngineStats, FromWorker } from '../../src/engine/protocol';
import { HTTP_TOPIC_PREFIX, type Twin } from '../../src/twin/schema';
import { TelemetryStore } from '../../src/store/telemetry';
import { parseDuration } from '../../src/lib/duration';
import { formatAge } from '../../src/lib/format';
import { connectionText } from '../../src/panels/connectionText';
import { brokerUrlFlag, intFlag, numberFlag, UsageError } from '../flags';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliCommand, type CliIo } from './command';
import { validateFile } from './validate';

/** What `watch` knows: fed with the engine's messages exactly as the page's session is. */
export class WatchState {
  /** Keeps one sample of history per signal: the table shows only the latest value. */
  readonly telemetry = new TelemetryStore(1);
  alarms: AlarmSnapshot[] = [];
  connection: ConnectionStatus | null = null;
  stats: EngineStats | null = null;
  errors: string[] = [];

  constructor(readonly twin: Twin) {
    this.telemetry.setDefinitionPeriods(
      twin.signals.map((s) => (s.period !== undefined ? parseDuration(s.period) : null)),
      twin.signals.map((s) => s.topic.startsWith(HTTP_TOPIC_PREFIX)),
    );
    this.telemetry.setDefinitionStates(twin.signals.map((s) => s.map));
  }

  receive(m: FromWorker): void {
    switch (m.type) {
      case 'signals':
        this.telemetry.addSignals(m.added);
        break;
      case 'batch':
        this.telemetry.applyBatch(m);
        break;
      case 'connection':
        this.connection = m.status;
        this.telemetry.online = m.status.state === 'online';
        if (m.status.state === 'online' && m.status.gapSince !== undefined)
          this.telemetry.markGap(m.status.gapSince, m.status.since);
        break;
      case 'alarms':
        this.alarms = m.alarms;
        break;
      case 'stats':
        this.stats = m.stats;
        break;
      case 'error':
        // The last few, for the footer; each is printed once when it arrives, too.
        this.errors = [...this.errors.slice(-4), m.message];
        break;
      case 'error-resolved':
        this.errors = this.errors.filter((e) => e !== m.message);
        break;
      case 'quality':
        for (const c of m.changes) this.telemetry.setQuality(c.index, c.bits, c.on);
        break;
      // Shared alarm state, request answers and command states matter to a page that acts; watch only reads.
      case 'audit':
      case 'alarm-mode':
      case 'request-result':
      case 'command-state':
        break;
      default: {
        const never: never = m;
        void never;
      }
    }
  }
}

/** The table as lines of text (no colours or escapes: the caller decides how to draw it). */
export function renderWatch(state: WatchState, now: number, maxRows = 1000): string[] {
  const c = connectionText(state.connection, state.stats?.lastMessageAt ?? null, now);
  const head = [c.label, c.countdown, c.reason, state.connection?.url, c.lastMessage, c.protocol]
    .filter(Boolean)
    .join(' · ');
  const lines = [`${state.twin.title} — ${head}`];
  if (state.stats) {
    const rejected = Object.values(state.stats.rejected).reduce((n, k) => n + (k ?? 0), 0);
    lines.push(`${state.stats.messages} messages, ${rejected} rejected`);
  }
  const t = state.telemetry;
  const rows = t.signals
    .filter((s) => s !== undefined)
    .slice(0, maxRows)
    .map((s) => {
      // The dashboard's own formatting and staleness rule (TelemetryStore.reading).
      const r = t.reading(s.index, now, s.unit);
      const updated = r.state === 'live' || r.state === 'none' ? r.age : `${r.state} · ${r.age} (${r.reason})`;
      return [s.id, oneLine(r.value), updated];
    });
  lines.push('');
  lines.push(...table(['signal', 'value', 'updated'], rows));
  if (t.signals.length > maxRows) lines.push(`… and ${t.signals.length - maxRows} more signals`);
  lines.push('');
  const open = state.alarms.filter((a) => a.state !== 'shelved' && a.state !== 'out-of-service');
  if (open.length === 0) lines.push('No active alarms.');
  else {
    lines.push(`Alarms (${open.length}):`);
    lines.push(
      ...table(
        ['priority', 'alarm', 'state', 'since'],
        open.map((a) => [a.priority, a.message, a.state, formatAge(now - a.raisedAt)]),
      ),
    );
  }
  return lines;
}

/** Text values on one line, without control characters (a device's text must not move the cursor). */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const HELP = `Usage: npm run twin -- watch <twin.json> [--broker URL] [--interval MS] [--duration S]

Connects to the twin's broker with the dashboard's own engine and prints a live table of its
signals (the value as the dashboard shows it, its age, and dead, suspect or stale with why) and
active alarms. On a terminal the table is redrawn in place; when the output is a pipe or a file, a
plain snapshot is printed every interval.

  --broker URL     use this broker instead of connection.url (ws://, wss://, mqtt://, mqtts://)
  --interval MS    redraw every MS milliseconds (default 1000)
  --duration S     stop after S seconds (default: run until Ctrl-C)

Credentials (twins with "credentials": "prompt" or "host") come from the environment, never
from the command line: TWINVIEW_MQTT_USERNAME and TWINVIEW_MQTT_PASSWORD.`;

export interface WatchOptions {
  /** Whether the output is a terminal (redraw in place). Default process.stdout.isTTY. */
  tty?: boolean;
  /** Resolves when the command should stop (tests); default SIGINT/SIGTERM or --duration. */
  until?: Promise<void>;
  env?: NodeJS.ProcessEnv;
}

export async function watch(args: string[], io: CliIo, options: WatchOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { broker: { type: 'string' }, interval: { type: 'string' }, duration: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('name one twin file');
  const broker =
    values.broker !== undefined ? brokerUrlFlag('broker', values.broker, ['ws', 'wss', 'mqtt', 'mqtts']) : undefined;
  const interval = intFlag('interval', values.interval, 1000, 50, 3_600_000);
  const duration = numberFlag('duration', values.duration, 0, 0, 1e9);
  const env = options.env ?? process.env;

  const file = await validateFile(positionals[0]);
  if (!file.ok) {
    if ('unreadable' in file) {
      io.err(`${file.file}: ${file.unreadable}`);
      return EXIT_USAGE;
    }
    for (const p of file.problems) io.err(`${file.file}: ${p.path}: ${p.message}`);
    return EXIT_PROBLEMS;
  }
  const twin = file.twin;
  const credentials =
    env.TWINVIEW_MQTT_USERNAME !== undefined
      ? { username: env.TWINVIEW_MQTT_USERNAME, password: env.TWINVIEW_MQTT_PASSWORD ?? '' }
      : undefined;
  if (twin.connection.credentials !== 'none' && credentials === undefined) {
    io.err(`note: the twin asks for credentials; set TWINVIEW_MQTT_USERNAME and TWINVIEW_MQTT_PASSWORD`);
  }

  const state = new WatchState(twin);
  const tty = options.tty ?? process.stdout.isTTY === true;
  const session = new EngineSession({
    post: (m) => {
      state.receive(m);
      if (m.type === 'error') io.err(`engine: ${m.message}`);
    },
  });
  session.handle({ type: 'start', twin, brokerUrl: broker, credentials });

  let drawn = 0;
  const draw = () => {
    const lines = renderWatch(state, Date.now());
    if (tty) {
      // Cursor home and clear below: the table is redrawn in place, no scrolling.
      process.stdout.write(`\x1b[H\x1b[J${lines.join('\n')}\n`);
    } else {
      if (drawn > 0) io.out('');
      for (const line of lines) io.out(line);
    }
    drawn++;
  };
  if (tty) process.stdout.write('\x1b[2J');
  const timer = setInterval(draw, interval);

  const until =
    options.until ??
    new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      if (duration > 0) setTimeout(done, duration * 1000).unref();
    });
  await until;
  clearInterval(timer);
  draw();
  await session.stop();
  return EXIT_OK;
}

export const watchCommand: CliCommand = {
  name: 'watch',
  synopsis: '<twin.json> [--broker URL]',
  summary: "connect to the twin's broker and print a live table of signals and alarms",
  help: HELP,
  run: (args, io) => watch(args, io),
};
