import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './twin';
import type { CliIo } from './command';
import { openHistory } from '../history/open';
import { startHistoryApi } from '../history/api';
import { emptyBatch, type HistoryStore } from '../history/store';
import { compareEvents, parseExpected } from '../../src/engine/backtest';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'twin-backtest-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const twinFile = file(
  'twin.json',
  JSON.stringify({
    id: 'bt',
    title: 'Backtest',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['t/#'] },
    signals: [
      { id: 'level', topic: 't/level', decoder: 'number' },
      { id: '{pump}.temp', topic: 't/+pump/temp', decoder: 'number' },
    ],
    rules: [
      { id: 'high', when: 'level > 90', message: 'Level high', priority: 'high' },
      { id: 'hot', when: 'p1.temp > 80', message: 'Pump 1 hot', priority: 'medium' },
    ],
  }),
);
const value = (t: number, signal: string, v: unknown) => JSON.stringify({ t, signal, value: v });

describe('twin backtest on decoded values', () => {
  const recording = file(
    'values.jsonl',
    [
      value(0, 'level', 50),
      JSON.stringify({ t: 1000, topic: 't/level', payload: '95' }),
      value(2000, 'level', 40),
      value(3000, 'p1.temp', 85),
      value(3500, 'nope', 1),
      value(4000, 'level', null),
    ].join('\n'),
  );

  it('feeds value lines to the signals (templated ids too), merged in time with message lines', async () => {
    const { code, out } = await run('backtest', twinFile, recording);
    expect(code).toBe(0);
    expect(out).toContain('Replayed 1 message and 4 values (1970-01-01T00:00:00Z to 1970-01-01T00:00:03.500Z)');
    expect(out).toContain('1970-01-01T00:00:01Z  raise    high   high: Level high (value 95) → active');
    expect(out).toContain('1970-01-01T00:00:02Z  clear');
    expect(out).toContain('1970-01-01T00:00:03Z  raise    medium hot: Pump 1 hot (value 85)');
    expect(out).toContain('Values of signals the twin does not define: nope 1');
  });

  it('with --expect: exits 0 when the alarms are the expected ones, 1 with the difference when not', async () => {
    const json = await run('backtest', twinFile, recording, '--json');
    const same = file('expected.json', json.out);
    const ok = await run('backtest', twinFile, recording, '--expect', same);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain('As expected: 3 alarm transitions.');

    const events = (JSON.parse(json.out) as { events: { alarmId: string }[] }).events.filter(
      (e) => e.alarmId !== 'hot',
    );
    events.push({ t: 9000, alarmId: 'ghost', event: 'raise', state: 'active' } as never);
    const differs = await run(
      'backtest',
      twinFile,
      recording,
      '--expect',
      file('other.json', JSON.stringify({ events })),
    );
    expect(differs.code).toBe(1);
    expect(differs.err.split('\n')).toEqual([
      'The alarms differ from the expected ones:',
      '  - expected, did not fire: 1970-01-01T00:00:09Z  raise ghost → active',
      '  + fired, not expected:   1970-01-01T00:00:03Z  raise hot → active',
    ]);
  });

  it('refuses an expected file that is not a backtest result, naming what is wrong', async () => {
    const bad = await run('backtest', twinFile, recording, '--expect', file('bad.json', '{"events":[{"t":"x"}]}'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/events\[0\] needs "t"/);
  });

  it('parses and compares transitions ignoring message and value', () => {
    expect(parseExpected('[]')).toEqual([]);
    expect(parseExpected('nope')).toMatch(/not JSON/);
    const a = { t: 1, alarmId: 'a', event: 'raise' as const, state: 'active' as const };
    expect(compareEvents([a, a], [a])).toEqual({ missing: [a], unexpected: [] });
  });
});

describe('twin backtest --history', () => {
  let store: HistoryStore;
  let api: Awaited<ReturnType<typeof startHistoryApi>>;
  const db = `duckdb:${join(dir, 'h.duckdb')}`;
  beforeAll(async () => {
    store = await openHistory(db);
    const ids = await store.signalIds('bt', ['level']);
    const b = emptyBatch();
    for (const [t, v] of [
      [Date.UTC(2026, 10, 30, 3, 0, 0), 50],
      [Date.UTC(2026, 10, 30, 3, 0, 5), 96],
      [Date.UTC(2026, 10, 30, 3, 0, 9), 60],
    ]) {
      b.values.sig.push(ids.get('level')!);
      b.values.t.push(t);
      b.values.v.push(v);
      b.values.text.push(null);
      b.values.quality.push(0);
    }
    await store.write(b);
    api = await startHistoryApi({ store, port: 0 });
  }, 30_000);
  afterAll(async () => {
    await api?.close();
    await store?.close();
  });

  it('replays what the history API exports for the range', async () => {
    const { code, out } = await run(
      'backtest',
      twinFile,
      '--history',
      `http://127.0.0.1:${api.port}`,
      '--from',
      '2026-11-30T03:00Z',
      '--to',
      '2026-11-30T04:00:00Z',
    );
    expect(code).toBe(0);
    expect(out).toContain('Replayed 3 values (2026-11-30T03:00:00Z to 2026-11-30T03:00:09Z)');
    expect(out).toContain('2026-11-30T03:00:05Z  raise    high   high: Level high (value 96) → active');
  });

  it('says what the history API answered when it refuses', async () => {
    const other = file(
      'other-twin.json',
      JSON.stringify({ ...JSON.parse(readFileSync(twinFile, 'utf8')), id: 'other' }),
    );
    const res = await run('backtest', other, '--history', `http://127.0.0.1:${api.port}`, '--from', '1', '--to', '2');
    expect(res.code).toBe(2);
    expect(res.err).toContain('the history API answered 404: no history for twin "other"');
  });

  it('refuses --history without a range, and a range without --history', async () => {
    expect((await run('backtest', twinFile, '--history', db, '--from', '2026-11-30T03:00Z')).code).toBe(2);
    expect((await run('backtest', twinFile, file('r.jsonl', value(0, 'level', 1)), '--from', '1')).code).toBe(2);
    expect((await run('backtest', twinFile, '--history', db, '--from', 'yesterday', '--to', '1')).code).toBe(2);
  });
});
