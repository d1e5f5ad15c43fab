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
import { KIND_INTEGER, KIND_TEXT, QUALITY_DEAD, QUALITY_SUSPECT } from '../../src/engine/protocol';

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
    expect(text).toMatch(/site\.state\s+RUNNING\s+10 s ago/); // a named state, by name
    expect(text).toMatch(/high\s+Pump 1 hot\s+active/);
    // Past three periods (1 s), the temperature is stale.
    expect(renderWatch(state, 14_000).join('\n')).toMatch(
      /pump1\.temp\s+95\.5 °C\s+stale · 4 s ago \(no update for 4 s, expected every 1 s\)/,
    );
  });

  it('says dead or suspect with why, shows text and integers as they are, and "no value yet"', () => {
    const state = new WatchState(parseTwin(twinDoc('ws://127.0.0.1:1')));
    state.receive({ type: 'connection', status: { state: 'online', url: 'ws://b', since: 0, resumed: false } });
    state.receive({
      type: 'signals',
      added: [
        { index: 0, id: 'pump1.temp', def: 0, label: '', unit: '°C' },
        { index: 1, id: 'pump2.temp', def: 0, label: '', unit: '°C' },
        { index: 2, id: 'pump3.temp', def: 0, label: '', unit: '°C' },
      ],
    });
    state.receive({
      type: 'batch',
      samples: new Float64Array([0, 200, 10_000, 1, NaN, 10_000]),
      count: 2,
      kinds: [
        { index: 0, kind: KIND_INTEGER },
        { index: 1, kind: KIND_TEXT },
      ],
      texts: [{ index: 1, text: 'line one\nline two' }],
    });
    state.receive({ type: 'quality', changes: [{ index: 0, bits: QUALITY_DEAD, on: true }] });
    const text = renderWatch(state, 10_500).join('\n');
    expect(text).toMatch(/pump1\.temp\s+200 °C\s+dead · now \(death certificate from its edge node or device\)/);
    expect(text).toMatch(/pump2\.temp\s+line one line two\s+now/);
    expect(text).toMatch(/pump3\.temp\s+—\s+no value yet/);
    state.receive({ type: 'quality', changes: [{ index: 1, bits: QUALITY_SUSPECT, on: true }] });
    expect(renderWatch(state, 10_500).join('\n')).toMatch(
      /pump2\.temp\s+line one line two\s+suspect · now \(sequence gap/,
    );
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
    // Resolves when the watch prints the alarm: the thing this test waits for.
    let alarmShown!: () => void;
    const shown = new Promise<void>((resolve) => (alarmShown = resolve));
    const io: CliIo = {
      out: (l) => {
        out.push(l);
        if (l.includes('Pump 1 hot')) alarmShown();
      },
      err: (l) => err.push(l),
    };
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = watch([file, '--interval', '100'], io, { tty: false, until });

    // Retained, so the watch gets them whenever its subscription is in place; cleared afterwards.
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
    await publisher.publishAsync('site/pump1/telemetry', JSON.stringify({ temp: 97 }), { retain: true, qos: 1 });
    await publisher.publishAsync('site/state', 'STOPPED', { retain: true, qos: 1 });
    await shown;
    await publisher.publishAsync('site/pump1/telemetry', '', { retain: true, qos: 1 });
    await publisher.publishAsync('site/state', '', { retain: true, qos: 1 });
    await publisher.endAsync();
    stop();
    expect(await running).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Watch test — Online');
    expect(text).toMatch(/pump1\.temp\s+97\.0 °C/);
    expect(text).toMatch(/site\.state\s+STOPPED/);
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
