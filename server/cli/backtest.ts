/**
 * `twin backtest <twin.json> <recording.jsonl>`: replays a recording through the twin's rules in
 * Node, with the engine's clock set to the recorded times, and prints every alarm that would have
 * fired, with its times. So a rule change can be checked in CI against yesterday's data.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { backtest, type BacktestEvent } from '../../src/engine/backtest';
import { parseRecording } from '../../src/engine/recording';
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
  synopsis: '<twin.json> <recording.jsonl>',
  summary: "replay a recording through the twin's rules; prints the alarms that would have fired",
  help: `Usage: npm run twin -- backtest <twin.json> <recording.jsonl> [--json]

Replays a recorded stream through the twin's rules with the same engine the dashboard runs (its
clock set to the recorded times; rules are also evaluated every 250 ms between messages) and
prints every alarm transition: raise, clear and suppression, with UTC times, then a summary of how
often each rule raised.

The recording is JSON Lines, one message per line:
  {"t": <ms since the epoch>, "topic": "<topic>", "payload": "<message text>"}
(see docs/rules-and-alarms.md). --json prints the events as one JSON document instead.

Exit status: 0 after a replay (whatever fired), 1 when the twin is invalid or the recording has a
bad line, 2 for bad arguments or unreadable files.`,
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const [twinFile, recordingFile, ...rest] = parsed.positionals;
    if (twinFile === undefined || recordingFile === undefined || rest.length > 0) {
      throw new UsageError('expected a twin file and a recording file');
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
    try {
      text = await readFile(recordingFile, 'utf8');
    } catch (err) {
      io.err(`${recordingFile}: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT_USAGE;
    }
    const recording = parseRecording(text);
    if (!recording.ok) {
      io.err(`${recordingFile}:${recording.line}: ${recording.error}`);
      return EXIT_PROBLEMS;
    }
    const result = backtest(twin.twin, recording.messages);
    if (parsed.values.json) {
      io.out(JSON.stringify(result, null, 2));
      return EXIT_OK;
    }
    const span =
      result.from === null || result.to === null ? 'an empty recording' : `${iso(result.from)} to ${iso(result.to)}`;
    io.out(
      `Replayed ${plural(result.messages, 'message')} (${span}) through ${plural(twin.twin.rules.length, 'rule')}.`,
    );
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
    return EXIT_OK;
  },
};
