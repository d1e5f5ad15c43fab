import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startBroker, type RunningBroker } from '../broker';
import { freePort } from '../test/ports';
import { renderWatch, watch, WatchState } from './watch';
import type { CliIo } from './command';
import type { Twin } from '../../src/twin/schema';
import { validateTwinText } from '../../src/twin/validate';

const twinDoc = (url: string) => ({
  id: 'watch-test',
  title: 'Watch test',
  connection: { url, mqtt: '3.1.1', subscribe: ['site/#'] },
  signals: [
    { id: '{pump}.temp', topic: 'site/+pump/telemetry', path: 'temp', unit: '°C', period: '1s' },
    { id: 'site.state', topic: 'site/state', decoder: 'text', map: { RUNNING: 1, STOPPED: 0 } },
  ],
  rules: [{ id: 'pump1.hot', when: 'pump1.temp > 90', priority: 'high', message: 'Pump 1 hot' }],
});

function parseTwin(doc: unknown): Twin {
  const result = validateTwinText(JSON.stringify(doc));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.twin;
}

describe('renderWatch', () => {
  it('shows each signal with value, age and staleness, the connection and active alarms', () => {
    const state = new WatchState(parseTwin(twinDoc('ws://127.0.0.1:1')));
    state.receive({ type: 'connection', status: { state: 'online', url: 'ws://b', since: 0, resumed: false } });
    state.receive({
      type: 'signals',
      added: [
        { index: 0, id: 'pump1.temp', def: 0, label: 'pump1.temp', unit: '°C' },
        { index: 1, id: 'site.state', def: 1, label: 'site.state', unit: '' },
      ],
    });
    state.receive({ type: 'batch', samples: new Float64Array([0, 95.5, 10_000, 1, 1, 1_000]), count: 2 });
    state.receive({
      type: 'alarms',
      alarms: [
        {
          id: 'pump1.hot',
          message: 'Pump 1 hot',
          priority: 'high',
          signal: 'pump1.temp',
          state: 'active',
          value: 95.5,
          raisedAt: 9_000,
        },
      ],
    });
    const text = renderWatch(state, 11_000).join('\n');
    expect(text).toContain('Watch test — Online');
    expect(text).toMatch(/pump1\.temp\s+95\.5 °C\s+now/);
    expect(text).toMatch(/site\.state\s+1\.00\s+10 s ago/);
    expect(text).toMatch(/high\s+Pump 1 hot\s+active/);
    // Past three periods (1 s), the temperature is stale.
    expect(renderWatch(state, 14_000).join('\n')).toMatch(/pump1\.temp\s+95\.5 °C\s+stale · 4 s ago/);
  });

  it('says when the broker is away and that values are stale', () => {
    const state = new WatchState(parseTwin(twinDoc('ws://127.0.0.1:1')));
    state.receive({
      type: 'connection',
      status: { state: 'reconnecting', url: 'ws://b', attempt: 2, reason: 'connection lost', nextRetryAt: 5_000 },
    });
    state.receive({ type: 'signals', added: [{ index: 0, id: 'pump1.temp', def: 0, label: '', unit: '°C' }] });
    state.receive({ type: 'batch', samples: new Float64Array([0, 50, 1_000]), count: 1 });
    const text = renderWatch(state, 2_000).join('\n');
    expect(text).toContain('Reconnecting (attempt 2) · next try in 3 s · connection lost');
    expect(text).toMatch(/pump1\.temp\s+50\.0 °C\s+stale/);
    expect(text).toContain('No active alarms.');
  });
});

describe('twin watch against a broker', () => {
  let broker: RunningBroker | null = null;
  afterEach(async () => {
    await broker?.close();
    broker = null;
  });

  it('prints plain snapshots with the live values and the alarm raised by the rules', async () => {
    const tcpPort = await freePort();
    broker = await startBroker({ wsPort: 0, tcpPort });
    const dir = mkdtempSync(join(tmpdir(), 'twin-watch-'));
    const file = join(dir, 'twin.json');
    writeFileSync(file, JSON.stringify(twinDoc(broker.url)));
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = watch([file, '--interval', '100'], io, { tty: false, until });

    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
    const deadline = Date.now() + 8000;
    while (!out.join('\n').includes('Pump 1 hot') && Date.now() < deadline) {
      await publisher.publishAsync('site/pump1/telemetry', JSON.stringify({ temp: 97 }));
      await publisher.publishAsync('site/state', 'STOPPED');
      await new Promise((r) => setTimeout(r, 100));
    }
    await publisher.endAsync();
    stop();
    expect(await running).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Watch test — Online');
    expect(text).toMatch(/pump1\.temp\s+97\.0 °C/);
    expect(text).toMatch(/site\.state\s+0\.00/);
    expect(text).toMatch(/high\s+Pump 1 hot/);
    // Plain output: no terminal escapes.
    expect(text).not.toContain('\x1b');
    expect(err).toEqual([]);
  });

  it('refuses an invalid twin with its problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-watch-'));
    const file = join(dir, 'twin.json');
    writeFileSync(file, JSON.stringify({ ...twinDoc('http://nope'), title: '' }));
    const err: string[] = [];
    const code = await watch([file], { out: () => {}, err: (l) => err.push(l) }, { tty: false });
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('$.connection.url');
  });
});
