import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './twin';
import type { CliIo } from './command';
import { recordPumpStation, RECORDING_START } from '../sim/record';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'twin-backtest-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const twin = (rules: unknown[]) =>
  file(
    `twin-${Math.random().toString(16).slice(2)}.json`,
    JSON.stringify({
      id: 'bt',
      title: 'Backtest',
      connection: { url: 'ws://127.0.0.1:9001', subscribe: ['t/#'] },
      signals: [{ id: 'level', topic: 't/level', decoder: 'number' }],
      rules,
    }),
  );
const line = (t: number, v: number) => JSON.stringify({ t, topic: 't/level', payload: String(v) });
const recording = file(
  'rec.jsonl',
  [line(0, 50), line(1000, 85), line(2000, 91), '', line(5000, 95), line(9000, 70)].join('\n') + '\n',
);

describe('twin backtest', () => {
  it('prints the alarms the rules would have raised and cleared, with times, and exits 0', async () => {
    const { code, out } = await run(
      'backtest',
      twin([{ id: 'high', when: 'level > 90', message: 'Level high', priority: 'high' }]),
      recording,
    );
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'Replayed 5 messages (1970-01-01T00:00:00Z to 1970-01-01T00:00:09Z) through 1 rule.',
      '1970-01-01T00:00:02Z  raise    high   high: Level high (value 91) → active',
      '1970-01-01T00:00:09Z  clear    high   high: Level high → cleared-unacknowledged',
      '1 alarm raised: high ×1',
    ]);
  });

  it('shows what a changed limit would have done: a higher limit with an on-delay raises later', async () => {
    const { out } = await run(
      'backtest',
      twin([{ id: 'high', when: 'level > 92', for: '3s', message: 'Level high' }]),
      recording,
    );
    // 95 arrives at 5 s; the on-delay runs out at 8 s between messages (the replay ticks every 250 ms).
    expect(out).toContain('1970-01-01T00:00:08Z  raise    medium high: Level high (value 95) → active');
  });

  it('says so when nothing would have fired', async () => {
    const { out } = await run('backtest', twin([{ id: 'x', when: 'level > 999', message: 'never' }]), recording);
    expect(out).toContain('No alarm would have been raised.');
  });

  it('reports a bad recording line with its number, and exits 1', async () => {
    const bad = file('bad.jsonl', `${line(0, 1)}\n{"t": "soon", "topic": "t/level", "payload": "1"}\n`);
    const { code, err } = await run('backtest', twin([]), bad);
    expect(code).toBe(1);
    expect(err).toBe(`${bad}:2: "t" must be a number (ms)`);
  });

  it('exits 2 without two files, and 1 for an invalid twin', async () => {
    expect((await run('backtest', recording)).code).toBe(2);
    const invalid = await run('backtest', twin([{ id: 'r', when: 'level >', message: 'm' }]), recording);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('$.rules[0].when: expected a value, found the end at character 8');
  });

  it('replays the demo recording through the demo twin: the scripted overheat and overflow show up', async () => {
    const sample = file('sample.jsonl', recordPumpStation(8).join('\n'));
    const { code, out } = await run('backtest', 'models/pump-station/twin.json', sample);
    expect(code).toBe(0);
    expect(out).toMatch(/raise +urgent pump1\.overheat/);
    expect(out).toMatch(/raise +high +tank1\.overflow-forecast: Tank 1 overflows in ~\d+ min/);
    expect(RECORDING_START).toBe(Date.UTC(2026, 0, 15, 8));
  });
});
