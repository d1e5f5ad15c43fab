/**
 * Writes a recording (JSON Lines, docs/rules-and-alarms.md) of the pump-station simulator's pure
 * model: no broker, no clock, the same seed gives the same file. The demo's sample recording is
 * made with it:
 *
 *   npx tsx server/sim/record.ts --minutes 8 > models/pump-station/recordings/sample.jsonl
 */
import { parseArgs } from 'node:util';
import { PumpStation } from './pumpStation';
import { recordLine } from '../../src/engine/recording';

/** A fixed start (2026-01-15 08:00 UTC), so the file does not change from run to run. */
export const RECORDING_START = Date.UTC(2026, 0, 15, 8, 0, 0);

/** The recording's lines: every message of the model stepped `stepMs` at a time for `minutes`. */
export function recordPumpStation(minutes: number, stepMs = 2000, seed = 7): string[] {
  const station = new PumpStation({ seed, faultEveryMs: 150_000, firstFaultMs: 30_000 });
  const lines: string[] = [];
  for (let t = RECORDING_START; t < RECORDING_START + minutes * 60_000; t += stepMs) {
    for (const m of station.step(stepMs, t)) lines.push(recordLine({ t, topic: m.topic, payload: m.payload }));
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '8' } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    console.error('--minutes must be a positive number');
    process.exitCode = 2;
  } else {
    process.stdout.write(recordPumpStation(minutes).join('\n') + '\n');
  }
}
