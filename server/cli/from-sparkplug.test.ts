import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { startBroker, type RunningBroker } from '../broker';
import { freePort } from '../test/ports';
import { fromSparkplug, twinFromBirths } from './from-sparkplug';
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
        id: 'edge1.pump_1.State',
        topic: 'spBv1.0/plant/+/edge1/pump 1',
        decoder: 'sparkplug',
        metric: 'State',
        label: 'pump 1 State',
        map: {},
      },
    ]);
  });
});

describe('twin from-sparkplug against a broker', () => {
  let broker: RunningBroker | null = null;
  afterEach(async () => {
    await broker?.close();
    broker = null;
  });

  it('writes a twin from the births it sees, and that twin reads the devices data', async () => {
    const tcpPort = await freePort();
    broker = await startBroker({ wsPort: 0, tcpPort });
    const dir = mkdtempSync(join(tmpdir(), 'from-sparkplug-'));
    const out = join(dir, 'twin.json');
    const err: string[] = [];
    const running = fromSparkplug([`mqtt://127.0.0.1:${tcpPort}`, '--seconds', '1.5', '--out', out], {
      out: () => {},
      err: (l) => err.push(l),
    });
    await new Promise((r) => setTimeout(r, 500));
    const edge = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
    const birth = encodePayload({
      timestamp: Date.now(),
      seq: 1,
      metrics: [
        { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
        { name: 'Running', alias: 2, type: 'Boolean', value: true },
      ],
    });
    await edge.publishAsync('spBv1.0/plant/NBIRTH/edge1', Buffer.from(encodePayload({ seq: 0, metrics: [] })));
    await edge.publishAsync('spBv1.0/plant/DBIRTH/edge1/pump1', Buffer.from(birth));
    await edge.endAsync();
    expect(await running).toBe(0);
    expect(err.join('\n')).toMatch(/wrote .*twin\.json: 2 signals from 2 births/);

    const twin = JSON.parse(readFileSync(out, 'utf8'));
    const result = validateTwin(twin);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const engine = new Engine(result.twin);
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', birth);
    expect(engine.value('edge1.pump1.Bearing.Temp')).toBe(61.5);
    expect(engine.value('edge1.pump1.Running')).toBe(1);
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
