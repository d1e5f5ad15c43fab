import { describe, expect, it } from 'vitest';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { TopicBrowser, matchTopic } from './topicBrowser';
import { loadSparkplugCodec } from './payloadPaths';
import { parseTopicPattern } from '../lib/topicPattern';

const T0 = 1_764_000_000_000;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('topic browser: counts, rate and payload', () => {
  it('counts messages per topic and keeps the first and last time seen and the last payload', () => {
    const b = new TopicBrowser();
    b.record('plant/a', bytes('{"t": 1}'), T0);
    b.record('plant/a', bytes('{"t": 2}'), T0 + 500);
    b.record('plant/b', bytes('7'), T0 + 600);
    const a = b.topic('plant/a', T0 + 1000)!;
    expect(a).toMatchObject({ count: 2, firstSeen: T0, lastSeen: T0 + 500, text: '{"t": 2}', cut: false });
    expect(b.rows(T0 + 1000).rows.map((r) => r.topic)).toEqual(['plant/a', 'plant/b']);
  });

  it('rates over the sliding window: 1 message a second reads 1/s, and falls to 0 after the window', () => {
    const b = new TopicBrowser({ windowMs: 10_000 });
    for (let s = 0; s < 30; s++) b.record('x', bytes('1'), T0 + s * 1000);
    expect(b.topic('x', T0 + 29_999)!.rate).toBeCloseTo(1, 0);
    // Five messages a second for the next ten seconds.
    for (let i = 0; i < 50; i++) b.record('x', bytes('1'), T0 + 30_000 + i * 200);
    expect(b.topic('x', T0 + 39_999)!.rate).toBeCloseTo(5, 0);
    expect(b.topic('x', T0 + 60_000)!.rate).toBe(0);
    expect(b.topic('x', T0 + 60_000)!.count).toBe(80);
  });

  it('rates a topic younger than the window over its own age', () => {
    const b = new TopicBrowser({ windowMs: 10_000 });
    b.record('x', bytes('1'), T0);
    b.record('x', bytes('1'), T0 + 1000);
    expect(b.topic('x', T0 + 2000)!.rate).toBeCloseTo(1, 5);
  });

  it('keeps at most maxPayloadBytes of a payload and says it was cut', () => {
    const b = new TopicBrowser({ maxPayloadBytes: 16 });
    b.record('big', bytes('x'.repeat(100)), T0);
    expect(b.topic('big', T0)).toMatchObject({ bytes: 100, text: 'x'.repeat(16), cut: true });
  });

  it('shows a binary payload as binary (null text), not as garbage', () => {
    const b = new TopicBrowser();
    b.record('bin', new Uint8Array([0xff, 0xfe, 0x00]), T0);
    expect(b.topic('bin', T0)!.text).toBeNull();
  });

  it('shows a Sparkplug payload as binary even when its bytes happen to be valid UTF-8', () => {
    // About 1 in 70 Sparkplug payloads is valid UTF-8 by the bytes of its timestamp; this one is.
    const payload = Uint8Array.from(
      encodePayload({ timestamp: 1_764_000_006_210, seq: 2, metrics: [{ alias: 1, type: 'Double', value: 64.5 }] }),
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(payload)).not.toThrow();
    const b = new TopicBrowser();
    b.record('spBv1.0/g/DDATA/edge/pump', payload, T0);
    b.record('plain/text', payload, T0);
    expect(b.topic('spBv1.0/g/DDATA/edge/pump', T0)!.text).toBeNull();
    expect(b.topic('plain/text', T0)!.text).not.toBeNull();
  });

  it('drops the least recently seen topic when full, and counts it', () => {
    const b = new TopicBrowser({ maxTopics: 2 });
    b.record('a', bytes('1'), T0);
    b.record('b', bytes('1'), T0 + 1);
    b.record('a', bytes('1'), T0 + 2000); // a is now newer than b (the order is kept to within a second)
    b.record('c', bytes('1'), T0 + 3000);
    expect(b.rows(T0 + 4000).rows.map((r) => r.topic)).toEqual(['a', 'c']);
    expect(b.droppedTopics).toBe(1);
    expect(b.size).toBe(2);
  });

  it('filters rows by a case-insensitive substring and limits them', () => {
    const b = new TopicBrowser();
    for (const t of ['Plant/A', 'plant/b', 'other']) b.record(t, bytes('1'), T0);
    const out = b.rows(T0, 'PLANT', 1);
    expect(out.matched).toBe(2);
    expect(out.rows.map((r) => r.topic)).toEqual(['Plant/A']);
  });
});

describe('topic browser: values seen', () => {
  it('samples the values at every path at most every sampleEveryMs after a burst, with min and max', () => {
    const b = new TopicBrowser({ sampleEveryMs: 100, sampleBurst: 1 });
    b.record('p/1', bytes('{"temp": 60, "ok": true}'), T0);
    b.record('p/1', bytes('{"temp": 99, "ok": true}'), T0 + 50); // within 100 ms: counted, not sampled
    b.record('p/1', bytes('{"temp": 40, "ok": false}'), T0 + 200);
    expect(b.topic('p/1', T0 + 200)!.count).toBe(3);
    const [temp] = b.seriesMatching('p/1', 'temp');
    expect(temp.series).toMatchObject({ min: 40, max: 60, count: 2 });
    expect(temp.series.ring.valueAt(1)).toBe(40);
    expect(b.seriesMatching('p/1', 'ok')[0].series.ring.valueAt(1)).toBe(0);
    expect(b.leaves('p/1')!.leaves.map((l) => l.path)).toEqual(['temp', 'ok']);
  });

  it('keeps every value of a short burst, then about one per sampleEveryMs', () => {
    const b = new TopicBrowser({ sampleEveryMs: 100, sampleBurst: 5 });
    for (let i = 0; i < 5; i++) b.record('q', bytes(String(i)), T0 + i);
    expect(b.seriesMatching('q', '')[0].series.count).toBe(5);
    // A flood of 1000 messages a second for a second: about ten more samples, not a thousand.
    for (let i = 0; i < 1000; i++) b.record('q', bytes('1'), T0 + 10 + i);
    const count = b.seriesMatching('q', '')[0].series.count;
    expect(count).toBeGreaterThanOrEqual(14);
    expect(count).toBeLessThanOrEqual(16);
  });

  it('spends at most maxSamplesPerSecond decodes over all topics, and counts the ones skipped', () => {
    const b = new TopicBrowser({ maxSamplesPerSecond: 100 });
    // 1,000 topics, one message each within a second: each topic would take it, the page budget does not.
    for (let i = 0; i < 1000; i++) b.record(`t/${i}`, bytes(String(i)), T0 + i);
    // A burst of 100, then 100 a second over the 999 ms: 199 decoded.
    expect(b.skippedSamples).toBe(1000 - 199);
    expect(b.size).toBe(1000);
  });

  it('finds the series of every topic a wildcard pattern matches, with its captures', () => {
    const b = new TopicBrowser();
    b.record('plant/pump1/t', bytes('{"v": 1}'), T0);
    b.record('plant/pump2/t', bytes('{"v": 2}'), T0);
    b.record('plant/tank1/level', bytes('{"v": 3}'), T0);
    const found = b.seriesMatching('plant/+pump/t', 'v');
    expect(found.map((f) => [f.topic, { ...f.captures }])).toEqual([
      ['plant/pump1/t', { pump: 'pump1' }],
      ['plant/pump2/t', { pump: 'pump2' }],
    ]);
    expect(b.topicsMatching('plant/#')).toHaveLength(3);
    expect(b.topicNames().sort()).toEqual(['plant/pump1/t', 'plant/pump2/t', 'plant/tank1/level']);
  });

  it('keeps at most maxSeries series and counts the ones refused', () => {
    const b = new TopicBrowser({ maxSeries: 2 });
    b.record('a', bytes('{"x": 1, "y": 2, "z": 3}'), T0);
    expect(b.refusedSeries).toBe(1);
    expect(b.seriesMatching('a', 'z')).toEqual([]);
  });

  it('holds Sparkplug messages until the decoder is set, then names their metrics', async () => {
    const codec = await loadSparkplugCodec();
    const tracker = new codec.SparkplugTracker();
    const b = new TopicBrowser();
    const birth = encodePayload({
      timestamp: T0,
      seq: 0,
      metrics: [{ name: 'Temp', alias: 1, type: 'Double', value: 50 }],
    });
    const data = encodePayload({ timestamp: T0, seq: 1, metrics: [{ alias: 1, type: 'Double', value: 70 }] });
    b.record('spBv1.0/g/DBIRTH/n/d', birth, T0);
    b.record('spBv1.0/g/DDATA/n/d', data, T0 + 1000);
    expect(b.wantsSparkplug).toBe(true);
    b.setSparkplug((topic, payload) => {
      const parsed = codec.parseSparkplugTopic(topic);
      const out = parsed && tracker.handle(parsed, payload);
      return out && (out.kind === 'birth' || out.kind === 'data') ? { key: out.key, metrics: out.metrics } : null;
    });
    expect(b.wantsSparkplug).toBe(false);
    // The data message names its metric by alias only: the birth before it defined the name.
    expect(b.leaves('spBv1.0/g/DDATA/n/d')).toMatchObject({
      decoder: 'sparkplug',
      leaves: [{ path: 'Temp', value: 70 }],
    });
    expect(b.seriesMatching('spBv1.0/g/+/n/d', 'Temp').map((s) => s.series.max)).toEqual([50, 70]);
  });
});

describe('matching a topic against a pattern', () => {
  const m = (pattern: string, topic: string) => {
    const p = parseTopicPattern(pattern);
    if (!p.ok) throw new Error(p.error);
    const out = matchTopic(p.levels, topic);
    return out && { ...out };
  };
  it('matches + and # as MQTT does, with captures', () => {
    expect(m('a/+x/c', 'a/b/c')).toEqual({ x: 'b' });
    expect(m('a/#', 'a')).toEqual({});
    expect(m('a/#', 'a/b/c')).toEqual({});
    expect(m('a/+', 'a/b/c')).toBeNull();
    expect(m('#', '$SYS/x')).toBeNull();
    expect(m('+/x', '$SYS/x')).toBeNull();
  });
  it('keeps a capture named __proto__ as a plain key', () => {
    const p = parseTopicPattern('+__proto__');
    const out = p.ok ? matchTopic(p.levels, 'v') : null;
    expect(Object.keys(out!)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('v');
    expect(({} as Record<string, unknown>).v).toBeUndefined();
  });
});
