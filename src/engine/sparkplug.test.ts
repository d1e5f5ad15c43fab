import { describe, expect, it } from 'vitest';
import Long from 'long';
import { encodePayload, type UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { Engine } from './engine';
import { makeTwin } from './testTwins';
import { parseSparkplugTopic, SparkplugTracker, toNumber } from './sparkplug';
import { QUALITY_DEAD, QUALITY_SUSPECT, SAMPLE_STRIDE, type QualityChange } from './protocol';

const T0 = 1_764_000_000_000;
const payload = (seq: number, metrics: UMetric[], timestamp = T0) => encodePayload({ timestamp, seq, metrics });
const birthMetrics = (temp: number, state = 'RUNNING'): UMetric[] => [
  { name: 'bdSeq', type: 'UInt64', value: 0 },
  { name: 'Bearing/Temp', alias: 1, type: 'Double', value: temp },
  { name: 'Speed', alias: 2, type: 'Int64', value: 1450 },
  { name: 'State', alias: 3, type: 'String', value: state },
];

function sparkplugEngine() {
  let now = T0 + 5000;
  const engine = new Engine(
    makeTwin({
      signals: [
        { id: '{dev}.temp', topic: 'spBv1.0/plant/+/edge1/+dev', decoder: 'sparkplug', metric: 'Bearing/Temp' },
        { id: '{dev}.speed', topic: 'spBv1.0/plant/+/edge1/+dev', decoder: 'sparkplug', metric: 'Speed' },
        {
          id: '{dev}.state',
          topic: 'spBv1.0/plant/+/edge1/+dev',
          decoder: 'sparkplug',
          metric: 'State',
          map: { RUNNING: 1, STOPPED: 0 },
        },
      ],
      rules: [],
    }),
    { now: () => now },
  );
  const quality: QualityChange[] = [];
  const take = () => {
    const out = engine.takeBatch();
    if (out.quality) quality.push(...out.quality);
    const samples: [string, number, number][] = [];
    for (let k = 0; k < (out.batch?.count ?? 0); k++) {
      const s = out.batch!.samples;
      samples.push([engine.signals()[s[k * SAMPLE_STRIDE]].id, s[k * SAMPLE_STRIDE + 1], s[k * SAMPLE_STRIDE + 2]]);
    }
    return samples;
  };
  const qualityOf = (id: string) => {
    let bits = 0;
    const index = engine.signal(id)!.index;
    for (const c of quality) if (c.index === index) bits = c.on ? bits | c.bits : bits & ~c.bits;
    return bits;
  };
  return { engine, take, qualityOf, tick: (ms: number) => (now += ms) };
}

describe('parseSparkplugTopic', () => {
  it('reads node and device topics', () => {
    expect(parseSparkplugTopic('spBv1.0/plant/NDATA/edge1')).toEqual({
      group: 'plant',
      type: 'NDATA',
      node: 'edge1',
      device: null,
    });
    expect(parseSparkplugTopic('spBv1.0/plant/DBIRTH/edge1/pump1')).toMatchObject({ type: 'DBIRTH', device: 'pump1' });
  });

  it('refuses what is not a Sparkplug B topic', () => {
    expect(parseSparkplugTopic('spBv1.0/plant/DDATA/edge1')).toBeNull(); // device type without a device
    expect(parseSparkplugTopic('spBv1.0/plant/NDATA/edge1/pump1')).toBeNull();
    expect(parseSparkplugTopic('spBv1.0/plant/XDATA/edge1')).toBeNull();
    expect(parseSparkplugTopic('spAv1.0/plant/NDATA/edge1')).toBeNull();
    expect(parseSparkplugTopic('plant/north/pump1')).toBeNull();
  });
});

describe('toNumber', () => {
  it('reads Long objects (Node) and plain numbers (some browser builds) alike', () => {
    expect(toNumber(Long.fromNumber(1_764_000_000_123, true))).toBe(1_764_000_000_123);
    expect(toNumber({ low: 5, high: 0, unsigned: false })).toBe(5);
    expect(toNumber(1_764_000_000_123)).toBe(1_764_000_000_123);
    expect(toNumber(true)).toBe(1);
    expect(toNumber('x')).toBeNaN();
  });
});

describe('Sparkplug B through the engine (encode → decode round trip)', () => {
  it('a DBIRTH defines the metrics: values by name, with the payload timestamp', () => {
    const { engine, take } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(61.5)));
    expect(take()).toEqual([
      ['pump1.temp', 61.5, T0],
      ['pump1.speed', 1450, T0],
      ['pump1.state', 1, T0],
    ]);
    expect(engine.stats().rejected).toEqual({});
  });

  it('DDATA by alias only: names come from the birth; metrics not in the message are not rejects', () => {
    const { engine, take } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(61.5)));
    take();
    engine.handleMessage(
      'spBv1.0/plant/DDATA/edge1/pump1',
      payload(2, [{ alias: 1, type: 'Double', value: 63.25, timestamp: T0 + 1000 }]),
    );
    expect(take()).toEqual([['pump1.temp', 63.25, T0 + 1000]]);
    engine.handleMessage(
      'spBv1.0/plant/DDATA/edge1/pump1',
      payload(3, [{ alias: 3, type: 'String', value: 'STOPPED' }]),
    );
    expect(take()).toEqual([['pump1.state', 0, T0]]);
    expect(engine.stats().rejected).toEqual({});
  });

  it('DDEATH marks the device signals dead; NDEATH every signal of the node; a birth revives them', () => {
    const { engine, take, qualityOf } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(60)));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump2', payload(2, birthMetrics(70)));
    take();
    engine.handleMessage('spBv1.0/plant/DDEATH/edge1/pump1', payload(3, []));
    take();
    expect(qualityOf('pump1.temp') & QUALITY_DEAD).toBe(QUALITY_DEAD);
    expect(qualityOf('pump2.temp')).toBe(0);
    // The values themselves are untouched: the store shows the last value, as stale.
    expect(engine.value('pump1.temp')).toBe(60);

    engine.handleMessage('spBv1.0/plant/NDEATH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]));
    take();
    expect(qualityOf('pump2.speed') & QUALITY_DEAD).toBe(QUALITY_DEAD);

    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump2', payload(1, birthMetrics(71)));
    take();
    expect(qualityOf('pump2.speed')).toBe(0);
    expect(qualityOf('pump1.temp') & QUALITY_DEAD).toBe(QUALITY_DEAD);
  });

  it('a seq gap marks the node signals suspect until the next birth', () => {
    const { engine, take, qualityOf } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(60)));
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', payload(2, [{ alias: 1, type: 'Double', value: 61 }]));
    take();
    expect(qualityOf('pump1.temp')).toBe(0);
    // seq 3 and 4 were lost.
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', payload(5, [{ alias: 1, type: 'Double', value: 65 }]));
    expect(take()).toEqual([['pump1.temp', 65, T0]]);
    expect(qualityOf('pump1.temp') & QUALITY_SUSPECT).toBe(QUALITY_SUSPECT);
    expect(qualityOf('pump1.speed') & QUALITY_SUSPECT).toBe(QUALITY_SUSPECT);
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(60)));
    take();
    expect(qualityOf('pump1.temp')).toBe(0);
  });

  it('seq wraps from 255 to 0 without a gap', () => {
    const tracker = new SparkplugTracker();
    const node = parseSparkplugTopic('spBv1.0/g/NBIRTH/n')!;
    const data = parseSparkplugTopic('spBv1.0/g/NDATA/n')!;
    tracker.handle(node, payload(254, []));
    expect(tracker.handle(data, payload(255, []))).toMatchObject({ seqGap: false });
    expect(tracker.handle(data, payload(0, []))).toMatchObject({ seqGap: false });
    expect(tracker.handle(data, payload(2, []))).toMatchObject({ seqGap: true });
  });

  it('a payload that is not Sparkplug protobuf is rejected as bad-payload and changes nothing', () => {
    const { engine, take } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, []));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(60)));
    take();
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]));
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', '{"temp": 99}');
    expect(take()).toEqual([]);
    expect(engine.stats().rejected['bad-payload']).toBe(2);
    expect(engine.value('pump1.temp')).toBe(60);
  });

  it('an alias that no birth defined is ignored, not guessed', () => {
    const { engine, take } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump9', payload(7, [{ alias: 1, type: 'Double', value: 5 }]));
    expect(take()).toEqual([]);
  });
});
