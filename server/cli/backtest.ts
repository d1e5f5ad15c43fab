/**
 * `twin backtest <twin.json> <recording.jsonl>` (or `--history <db-or-api> --from --to`): replays a
 * recording, or what the historian kept, through the twin's rules in Node, with the engine's clock set
 * to the recorded times, and prints every alarm that would have fired, with its times. `--expect`
 * compares with the alarms that should fire and fails when they differ: a CI gate for a rule change.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  backtest,
  compareEvents,
  parseExpected,
  type BacktestEvent,
  type ExpectedEvent,
} from '../../src/engine/backtest';
import { parseRecording } from '../../src/engine/recording';
import { openHistory } from '../history/open';
import { redact } from '../history/drivers';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, plural, type CliCommand, type CliIo } from './command';
import { validateFile } from './validate';
import { UsageError } from '../flags';

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

export function formatEvent(e: BacktestEvent): string {
  const value = e.value === undefined ? '' : ` (value ${Number(e.value.toFixed(3))})`;
  return `${iso(e.t)}  ${e.event.padEnd(8)} ${e.priority.padEnd(6)} ${e.alarmId}: ${e.message}${value} → ${e.state}`;
}

export const backtestCommand: CliCommand = {
  name: 'backtest',
  synopsis: '<twin.json> (<recording.jsonl> | --history DB --from T --to T) [--expect FILE]',
  summary: "replay a recording through the twin's rules; prints the alarms that would have fired",
  help: `Usage: npm run twin -- backtest <twin.json> <recording.jsonl> [--json] [--expect FILE]
       npm run twin -- backtest <twin.json> --history DB --from TIME --to TIME [--json] [--expect FILE]

Replays a recorded stream through the twin's rules with the same engine the dashboard runs (its
clock set to the recorded times; rules are also evaluated every 250 ms between messages) and
prints every alarm transition: raise, clear and suppression, with UTC times, then a summary of how
often each rule raised.

The recording is JSON Lines, one message or decoded value per line:
  {"t": <ms since the epoch>, "topic": "<topic>", "payload": "<message text>"}
  {"t": <ms since the epoch>, "signal": "<signal id>", "value": <number, text or true/false>}
(see docs/rules-and-alarms.md). --json prints the events as one JSON document instead.

  --history DB     replay what the historian kept of the twin instead of a file: the history API
                   (http://127.0.0.1:<port>, as twin serve --history-port or a dashboard's origin)
                   or its database (duckdb:<file>, pglite:<folder>, postgres://...; not one a running
                   service holds open); with --from and --to (ISO 8601 such as 2026-11-30T03:00Z, or
                   ms since the epoch). The historian keeps each change beyond a deadband
                   (docs/history.md): a rule on finer movements may fire differently.
  --expect FILE    the alarms that should fire (the --json output of an earlier backtest, reviewed):
                   prints what is missing and what is new, and exits 1 when they differ

Exit status: 0 after a replay (with --expect: when the alarms are as expected), 1 when the twin is
invalid, the recording has a bad line or the alarms differ from --expect, 2 for bad arguments,
unreadable files or a historian that does not answer.`,
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          json: { type: 'boolean' },
          expect: { type: 'string' },
          history: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
        },
      });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const [twinFile, recordingFile, ...rest] = parsed.positionals;
    const fromHistory = parsed.values.history !== undefined;
    if (twinFile === undefined || rest.length > 0 || (recordingFile === undefined) === !fromHistory) {
      throw new UsageError('expected a twin file and either a recording file or --history with --from and --to');
    }
    if (!fromHistory && (parsed.values.from !== undefined || parsed.values.to !== undefined))
      throw new UsageError('--from and --to go with --history');
    let expected: ExpectedEvent[] | undefined;
    if (parsed.values.expect !== undefined) {
      let text: string;
      try {
        text = await readFile(parsed.values.expect, 'utf8');
      } catch (err) {
        io.err(`${parsed.values.expect}: ${err instanceof Error ? err.message : String(err)}`);
        return EXIT_USAGE;
      }
      const read = parseExpected(text);
      if (typeof read === 'string') {
        io.err(`${parsed.values.expect}: ${read}`);
        return EXIT_USAGE;
      }
      expected = read;
    }
    const twin = await validateFile(twinFile);
    if (!twin.ok) {
      if ('unreadable' in twin) {
        io.err(`${twin.file}: ${twin.unreadable}`);
        return EXIT_USAGE;
      }
      for (const p of twin.problems) io.err(`${twin.file}: ${p.path}: ${p.message}`);
      return EXIT_PROBLEMS;
    }
    let text: string;
    let source: string;
    if (fromHistory) {
      const from = timeFlag('from', parsed.values.from);
      const to = timeFlag('to', parsed.values.to);
      if (to <= from) throw new UsageError('--to must be after --from');
      source = redact(parsed.values.history!);
      try {
        text = await historyRecording(parsed.values.history!, twin.twin.id, from, to);
      } catch (err) {
        io.err(`${source}: ${err instanceof Error ? err.message : String(err)}`);
        return EXIT_USAGE;
      }
    } else {
      source = recordingFile!;
      try {
        text = await readFile(source, 'utf8');
      } catch (err) {
        io.err(`${source}: ${err instanceof Error ? err.message : String(err)}`);
        return EXIT_USAGE;
      }
    }
    const recording = parseRecording(text);
    if (!recording.ok) {
      io.err(`${source}:${recording.line}: ${recording.error}`);
      return EXIT_PROBLEMS;
    }
    const result = backtest(twin.twin, recording.messages, recording.values);
    const verdict = expected === undefined ? EXIT_OK : reportDifference(expected, result.events, io);
    if (parsed.values.json) {
      io.out(JSON.stringify(result, null, 2));
      return verdict;
    }
    const span =
      result.from === null || result.to === null ? 'an empty recording' : `${iso(result.from)} to ${iso(result.to)}`;
    const what =
      result.values === undefined
        ? plural(result.messages, 'message')
        : result.messages === 0
          ? plural(result.values, 'value')
          : `${plural(result.messages, 'message')} and ${plural(result.values, 'value')}`;
    io.out(`Replayed ${what} (${span}) through ${plural(twin.twin.rules.length, 'rule')}.`);
    for (const e of result.events) io.out(formatEvent(e));
    const raises = new Map<string, number>();
    for (const e of result.events) if (e.event === 'raise') raises.set(e.alarmId, (raises.get(e.alarmId) ?? 0) + 1);
    io.out(
      raises.size === 0
        ? 'No alarm would have been raised.'
        : `${plural(
            [...raises.values()].reduce((a, b) => a + b, 0),
            'alarm',
          )} raised: ${[...raises].map(([id, n]) => `${id} ×${n}`).join(', ')}`,
    );
    const rejected = Object.entries(result.rejected).filter(([, n]) => n > 0);
    if (rejected.length > 0) io.out(`Rejected payloads: ${rejected.map(([r, n]) => `${r} ${n}`).join(', ')}`);
    const unknown = Object.entries(result.unknownSignals ?? {});
    if (unknown.length > 0)
      io.out(`Values of signals the twin does not define: ${unknown.map(([s, n]) => `${s} ${n}`).join(', ')}`);
    return verdict;
  },
};

/** --from / --to: ISO 8601 (with a time zone, or UTC) or ms since the epoch. */
function timeFlag(name: string, raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`--history needs --${name}`);
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(/^\d{4}-\d\d-\d\dT[^Zz+-]*$/.test(raw) ? `${raw}Z` : raw);
  if (!Number.isFinite(t))
    throw new UsageError(`--${name} must be a time such as 2026-11-30T03:00Z or ms since the epoch, not "${raw}"`);
  return t;
}

/** The historian's record of a twin as recording text: from its HTTP API's export, or from its database. */
async function historyRecording(target: string, twin: string, from: number, to: number): Promise<string> {
  if (/^https?:\/\//i.test(target)) {
    const url = new URL('/api/history/v1/export', target);
    url.search = new URLSearchParams({ twin, from: String(from), to: String(to) }).toString();
    const res = await fetch(url);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(`the history API answered ${res.status}${body?.error?.message ? `: ${body.error.message}` : ''}`);
    }
    return res.text();
  }
  const store = await openHistory(target);
  try {
    const rows = await store.values(twin, from, to, 5_000_000);
    return rows.map((r) => JSON.stringify({ t: r.t, signal: r.signal, value: r.v ?? r.text })).join('\n');
  } finally {
    await store.close();
  }
}

/** Prints how the alarms differ from the expected ones; EXIT_PROBLEMS when they do. */
function reportDifference(expected: readonly ExpectedEvent[], actual: readonly BacktestEvent[], io: CliIo): number {
  const { missing, unexpected } = compareEvents(expected, actual);
  if (missing.length === 0 && unexpected.length === 0) {
    io.err(`As expected: ${plural(expected.length, 'alarm transition')}.`);
    return EXIT_OK;
  }
  const line = (e: ExpectedEvent) => `${iso(e.t)}  ${e.event} ${e.alarmId} → ${e.state}`;
  io.err(`The alarms differ from the expected ones:`);
  for (const e of missing) io.err(`  - expected, did not fire: ${line(e)}`);
  for (const e of unexpected) io.err(`  + fired, not expected:   ${line(e)}`);
  return EXIT_PROBLEMS;
}
