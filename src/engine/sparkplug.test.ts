import { describe, expect, it } from 'vitest';
import Long from 'long';
import { encodePayload, type UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { org } from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { Engine } from './engine';
import { makeTwin } from './testTwins';
import { parseSparkplugTopic, SparkplugTracker, toNumber } from './sparkplug';
import {
  KIND_BOOLEAN,
  KIND_INTEGER,
  KIND_TEXT,
  QUALITY_DEAD,
  QUALITY_SUSPECT,
  SAMPLE_STRIDE,
  type QualityChange,
} from './protocol';

const T0 = 1_764_000_000_000;
const payload = (seq: number, metrics: UMetric[], timestamp = T0) => encodePayload({ timestamp, seq, metrics });
/**
 * A payload as a Sparkplug 3.0 edge node sends data: metrics by alias, without a datatype (Tahu's
 * encodePayload always writes one, so this uses the package's protobuf encoder directly).
 */
const Payload = org.eclipse.tahu.protobuf.Payload;
const untypedPayload = (seq: number, metrics: org.eclipse.tahu.protobuf.Payload.IMetric[]) =>
  Payload.encode(Payload.create({ timestamp: T0, seq, metrics })).finish();
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

  it('reads a negative Int64 from the unsigned wire field as a Long, a number or a bigint', () => {
    // -5 as protobuf hands it over: the unsigned field's bits.
    const minusFive = Long.fromNumber(-5).toUnsigned();
    expect(toNumber(minusFive, true)).toBe(-5);
    expect(toNumber({ low: minusFive.low, high: minusFive.high, unsigned: true }, true)).toBe(-5);
    // The same bits read unsigned: 2^64 - 5, whose nearest double is 2^64 (the "1.8e19" of the bug).
    expect(toNumber(minusFive)).toBe(2 ** 64);
    // 2^63 + 2048 is exact as a double: as signed it is -(2^63) + 2048.
    expect(toNumber(9223372036854777856, true)).toBe(-9223372036854773760);
    expect(toNumber(BigInt.asUintN(64, -5n), true)).toBe(-5);
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

  it('an alias that no birth defined is not guessed: it is a counted reject', () => {
    const { engine, take } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump9', payload(7, [{ alias: 1, type: 'Double', value: 5 }]));
    expect(take()).toEqual([]);
    expect(engine.stats().rejected).toEqual({ 'unknown-alias': 1 });
    expect(engine.stats().lastRejects[0]).toMatchObject({
      reason: 'unknown-alias',
      topic: 'spBv1.0/plant/DDATA/edge1/pump9',
    });
  });
});

/** An engine reading every kind of metric of one device, and what it hands the main thread. */
function kindsEngine() {
  const metric = (id: string, name: string, extra = {}) => ({
    id: `{dev}.${id}`,
    topic: 'spBv1.0/plant/+/edge1/+dev',
    decoder: 'sparkplug' as const,
    metric: name,
    ...extra,
  });
  const engine = new Engine(
    makeTwin({
      signals: [
        metric('offset', 'Offset'),
        metric('count', 'Count'),
        metric('big', 'Big'),
        metric('small', 'Small'),
        metric('running', 'Running'),
        metric('note', 'Note'),
        metric('temp', 'Temp'),
      ],
      rules: [],
    }),
    { now: () => T0 },
  );
  const born: UMetric[] = [
    { name: 'Offset', alias: 1, type: 'Int64', value: -5 },
    { name: 'Count', alias: 2, type: 'UInt32', value: 4_000_000_000 },
    { name: 'Big', alias: 3, type: 'UInt64', value: Long.fromString('9007199254740993', true) },
    { name: 'Small', alias: 4, type: 'Int8', value: -3 },
    { name: 'Running', alias: 5, type: 'Boolean', value: true },
    { name: 'Note', alias: 6, type: 'String', value: 'filter <b>clogged</b>' },
    { name: 'Temp', alias: 7, type: 'Double', value: 61.5 },
  ];
  engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 3 }]));
  engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, born));
  return engine;
}

describe('Sparkplug values as their datatypes say', () => {
  it('signed and unsigned integers of every width keep their sign and size', () => {
    const engine = kindsEngine();
    expect(engine.value('pump1.offset')).toBe(-5);
    expect(engine.value('pump1.count')).toBe(4_000_000_000);
    expect(engine.value('pump1.big')).toBe(9007199254740992); // nearest double of 2^53 + 1
    expect(engine.value('pump1.small')).toBe(-3);
    expect(engine.value('pump1.temp')).toBe(61.5);
  });

  it('tells the main thread each kind once: integers, booleans, text (with the text beside the batch)', () => {
    const engine = kindsEngine();
    const out = engine.takeBatch();
    const kindOf = (id: string) => out.batch!.kinds!.find((k) => k.index === engine.signal(id)!.index)?.kind;
    expect(kindOf('pump1.offset')).toBe(KIND_INTEGER);
    expect(kindOf('pump1.running')).toBe(KIND_BOOLEAN);
    expect(kindOf('pump1.note')).toBe(KIND_TEXT);
    expect(kindOf('pump1.temp')).toBeUndefined(); // a measurement: the default, nothing to say
    expect(out.batch!.texts).toEqual([{ index: engine.signal('pump1.note')!.index, text: 'filter <b>clogged</b>' }]);
    expect(engine.value('pump1.note')).toBeUndefined(); // text has no number
    expect(engine.text('pump1.note')).toBe('filter <b>clogged</b>');
    expect(engine.stats().rejected).toEqual({});
    // The next value of the same kind says nothing more.
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', payload(2, [{ alias: 1, type: 'Int64', value: -7 }]));
    expect(engine.takeBatch().batch!.kinds).toBeUndefined();
  });

  it('alias-only data without a datatype (Sparkplug 3.0) is read with the datatype of the birth', () => {
    const engine = kindsEngine();
    engine.takeBatch();
    engine.handleMessage(
      'spBv1.0/plant/DDATA/edge1/pump1',
      untypedPayload(2, [
        { alias: 1, longValue: Long.fromNumber(-42).toUnsigned() },
        { alias: 5, booleanValue: false },
        { alias: 6, stringValue: 'ok' },
        { alias: 7, doubleValue: 63.25 },
      ]),
    );
    expect(engine.value('pump1.offset')).toBe(-42);
    expect(engine.value('pump1.running')).toBe(0);
    expect(engine.text('pump1.note')).toBe('ok');
    expect(engine.value('pump1.temp')).toBe(63.25);
    expect(engine.stats().rejected).toEqual({});
  });

  it('a named metric without a datatype that no birth defined is a counted reject', () => {
    const engine = kindsEngine();
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', untypedPayload(2, [{ name: 'Mystery', doubleValue: 1 }]));
    expect(engine.stats().rejected).toEqual({ 'no-datatype': 1 });
  });

  it('a DataSet or Template where a signal wants one value is wrong-type, not silence', () => {
    const engine = kindsEngine();
    engine.handleMessage(
      'spBv1.0/plant/DDATA/edge1/pump1',
      untypedPayload(2, [{ name: 'Temp', datatype: 16, datasetValue: { numOfColumns: 0, columns: [], types: [] } }]),
    );
    expect(engine.stats().rejected).toEqual({ 'wrong-type': 1 });
  });
});

describe('NDEATH and bdSeq', () => {
  const setup = () => {
    const { engine, take, qualityOf } = sparkplugEngine();
    engine.handleMessage('spBv1.0/plant/NBIRTH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 4 }]));
    engine.handleMessage('spBv1.0/plant/DBIRTH/edge1/pump1', payload(1, birthMetrics(60)));
    take();
    return { engine, take, qualityOf };
  };

  it("a late NDEATH from an earlier session (another bdSeq) leaves the live node's signals alone", () => {
    const { engine, take, qualityOf } = setup();
    engine.handleMessage('spBv1.0/plant/NDEATH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 3 }]));
    take();
    expect(qualityOf('pump1.temp')).toBe(0);
    // The node's sequence goes on: the next data is no gap.
    engine.handleMessage('spBv1.0/plant/DDATA/edge1/pump1', payload(2, [{ alias: 1, type: 'Double', value: 61 }]));
    take();
    expect(qualityOf('pump1.temp')).toBe(0);
  });

  it("the NDEATH with the current birth's bdSeq marks the node's signals dead", () => {
    const { engine, take, qualityOf } = setup();
    engine.handleMessage('spBv1.0/plant/NDEATH/edge1', payload(0, [{ name: 'bdSeq', type: 'UInt64', value: 4 }]));
    take();
    expect(qualityOf('pump1.temp') & QUALITY_DEAD).toBe(QUALITY_DEAD);
  });
});
