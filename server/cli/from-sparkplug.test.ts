import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { startBroker, type RunningBroker } from '../broker';
import { freePort } from '../test/ports';
import { fromSparkplug, twinFromBirths, twinIdFrom } from './from-sparkplug';
import { validateTwin } from '../../src/twin/validate';
import { Engine } from '../../src/engine/engine';

describe('twinFromBirths', () => {
  it('makes one valid sparkplug signal per metric, skipping bookkeeping metrics', () => {
    const twin = twinFromBirths(
      [
        { group: 'plant', node: 'edge1', device: null, metrics: [{ name: 'bdSeq', type: 'UInt64' }] },
        {
          group: 'plant',
          node: 'edge1',
          device: 'pump 1',
          metrics: [
            { name: 'Bearing/Temp', type: 'Double' },
            { name: 'State', type: 'String' },
            { name: 'Config', type: 'Template' },
          ],
        },
      ],
      'mqtt://10.0.0.5:1883',
    );
    const result = validateTwin(twin);
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(twin.connection.url).toBe('ws://10.0.0.5:1883');
    expect(twin.signals).toEqual([
      {
        id: 'edge1.pump_1.Bearing.Temp',
        topic: 'spBv1.0/plant/+/edge1/pump 1',
        decoder: 'sparkplug',
        metric: 'Bearing/Temp',
        label: 'pump 1 Bearing/Temp',
      },
      {
        // Text stays text (no empty map to fill in): the dashboard shows it as it comes.
        id: 'edge1.pump_1.State',
        topic: 'spBv1.0/plant/+/edge1/pump 1',
        decoder: 'sparkplug',
        metric: 'State',
        label: 'pump 1 State',
      },
    ]);
    expect(twin.panels).toEqual([
      { kind: 'values', title: 'pump 1', signals: ['edge1.pump_1.Bearing.Temp', 'edge1.pump_1.State'] },
    ]);
    expect(twin.id).toBe('sparkplug');
  });

  it('makes twin ids from folder or group names', () => {
    expect(twinIdFrom('north plant')).toBe('north-plant');
    expect(twinIdFrom('..')).toBe('sparkplug');
  });
});

/** Resolves when `lines` gets a line matching `pattern` (the command says what it is doing). */
async function lineMatching(lines: string[], pattern: RegExp): Promise<void> {
  await expect.poll(() => lines.some((l) => pattern.test(l)), { timeout: 10_000 }).toBe(true);
}

describe('twin from-sparkplug against a broker', () => {
  let broker: RunningBroker | null = null;
  afterEach(async () => {
    await broker?.close();
    broker = null;
  });

  it('writes a twin from the births it sees, and that twin reads the devices data', async () => {
    const tcpPort = await freePort();
    broker = await startBroker({ wsPort: 0, tcpPort });
    const dir = join(mkdtempSync(join(tmpdir(), 'from-sparkplug-')), 'north plant');
    mkdirSync(dir);
    const out = join(dir, 'twin.json');
    const err: string[] = [];
    const running = fromSparkplug([`mqtt://127.0.0.1:${tcpPort}`, '--seconds', '1.5', '--out', out], {
      out: () => {},
      err: (l) => err.push(l),
    });
    // Births are only seen once it has subscribed: it says so.
    await lineMatching(err, /^listening for Sparkplug births/);
    const edge = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
    const birth = encodePayload({
      timestamp: Date.now(),
      seq: 1,
      metrics: [
        { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
        { name: 'Running', alias: 2, type: 'Boolean', value: true },
        { name: 'Mode', alias: 3, type: 'String', value: 'AUTO' },
        { name: 'Offset', alias: 4, type: 'Int64', value: -5 },
      ],
    });
    await edge.publishAsync('spBv1.0/plant/NBIRTH/edge1', Buffer.from(encodePayload({ seq: 0, metrics: [] })));
    await edge.publishAsync('spBv1.0/plant/DBIRTH/edge1/pump1', Buffer.from(birth));
    await edge.endAsync();
    expect(await running).toBe(0);
    expect(err.join('\n')).toMatch(/wrote .*twin\.json: 4 signals from 2 births/);

    const twin = JSON.parse(readFileSync(out, 'utf8'));
    expect(twin.id).toBe('north-plant'); // from the folder it was written into
    expect(twin.panels).toEqual([
      {
        kind: 'values',
        title: 'pump1',
        signals: ['edge1.pump1.Bearing.Temp', 'edge1.pump1.Running', 'edge1.pump1.Mode', 'edge1.pump1.Offset'],
      },
    ]);
    const result = validateTwin(twin);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const engine = new Engine(result.twin);
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', birth);
    expect(engine.value('edge1.pump1.Bearing.Temp')).toBe(61.5);
    expect(engine.value('edge1.pump1.Running')).toBe(1);
    expect(engine.text('edge1.pump1.Mode')).toBe('AUTO');
    expect(engine.value('edge1.pump1.Offset')).toBe(-5);
    expect(engine.stats().rejected).toEqual({});
  });

  it('takes the id from --id, and refuses one that is not an id', async () => {
    const tcpPort = await freePort();
    broker = await startBroker({ wsPort: 0, tcpPort });
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const running = fromSparkplug([`mqtt://127.0.0.1:${tcpPort}`, '--seconds', '1', '--id', 'site-7'], io);
    await lineMatching(lines, /^listening for Sparkplug births/);
    const edge = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
    await edge.publishAsync(
      'spBv1.0/plant/NBIRTH/edge1',
      Buffer.from(encodePayload({ seq: 0, metrics: [{ name: 'Temp', type: 'Float', value: 1 }] })),
    );
    await edge.endAsync();
    expect(await running).toBe(0);
    expect(JSON.parse(lines.filter((l) => !l.startsWith('listening')).join('\n')).id).toBe('site-7');
    await expect(fromSparkplug(['mqtt://127.0.0.1:1', '--id', 'north plant'], io)).rejects.toThrow(/--id/);
  });

  it('says so when no birth was seen', async () => {
    const tcpPort = await freePort();
    broker = await startBroker({ wsPort: 0, tcpPort });
    const err: string[] = [];
    const code = await fromSparkplug([`mqtt://127.0.0.1:${tcpPort}`, '--seconds', '0.3'], {
      out: () => {},
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/no Sparkplug births seen/);
  });
});
