import { describe, expect, it } from 'vitest';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { jsonLeafPaths, leafNumber, loadSparkplugCodec, sparkplugPaths, textPayloadPaths } from './payloadPaths';
import { parseValuePath, readValuePath } from '../lib/valuePath';

/** Every leaf's path, read back with the engine's own path reader, gives the leaf's value. */
function expectRoundTrip(doc: unknown) {
  for (const leaf of jsonLeafPaths(doc).leaves) {
    const parsed = parseValuePath(leaf.path);
    expect(parsed.ok, leaf.path).toBe(true);
    if (parsed.ok) expect(readValuePath(doc, parsed.steps)).toEqual(leaf.value);
  }
}

describe('JSON payload paths', () => {
  it('lists nested fields with dots and array elements with [index]', () => {
    const doc = { bearing: { temp: 61.5, ok: true }, readings: [{ value: 3 }, { value: 4 }], state: 'RUN' };
    expect(jsonLeafPaths(doc).leaves).toEqual([
      { path: 'bearing.temp', kind: 'number', value: 61.5 },
      { path: 'bearing.ok', kind: 'boolean', value: true },
      { path: 'readings[0].value', kind: 'number', value: 3 },
      { path: 'readings[1].value', kind: 'number', value: 4 },
      { path: 'state', kind: 'string', value: 'RUN' },
    ]);
    expectRoundTrip(doc);
  });

  it('writes nested arrays and a payload that is an array as consecutive indices', () => {
    const doc = [
      [1, 2],
      [3, { x: [5] }],
    ];
    expect(jsonLeafPaths(doc).leaves.map((l) => l.path)).toEqual(['[0][0]', '[0][1]', '[1][0]', '[1][1].x[0]']);
    expectRoundTrip(doc);
  });

  it('a bare JSON number is the whole payload (an empty path)', () => {
    expect(jsonLeafPaths(42).leaves).toEqual([{ path: '', kind: 'number', value: 42 }]);
  });

  it('counts keys a path cannot name instead of writing paths that read something else', () => {
    const doc = JSON.parse('{"a.b": 1, "c[0]": 2, "": 3, "ok": 4}');
    const out = jsonLeafPaths(doc);
    expect(out.leaves.map((l) => l.path)).toEqual(['ok']);
    expect(out.skipped).toBe(3);
  });

  it('reads "__proto__" and "constructor" as plain own fields, never the prototype', () => {
    const doc = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": 2}}');
    const out = jsonLeafPaths(doc);
    expect(out.leaves.map((l) => l.path)).toEqual(['__proto__.polluted', 'constructor.prototype']);
    expectRoundTrip(doc);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps hostile text as data, cut to the text limit', () => {
    const out = jsonLeafPaths({ note: '<img src=x onerror=alert(1)>'.repeat(20) });
    expect(out.leaves[0].kind).toBe('string');
    expect(String(out.leaves[0].value)).toHaveLength(200);
  });

  it('is bounded: depth, leaves and array elements beyond the limits are counted as skipped', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(jsonLeafPaths(deep)).toMatchObject({ leaves: [], skipped: 1 });
    const wide = jsonLeafPaths({ a: Array.from({ length: 1000 }, (_, i) => i) });
    expect(wide.leaves).toHaveLength(32);
    expect(wide.skipped).toBe(968);
    const many = jsonLeafPaths(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])));
    expect(many.leaves).toHaveLength(200);
    expect(many.skipped).toBe(100);
  });

  it('ignores null and non-finite values', () => {
    expect(jsonLeafPaths({ a: null, b: 1 }).leaves.map((l) => l.path)).toEqual(['b']);
  });
});

describe('text payloads', () => {
  it('picks the decoder a signal needs: json, number, boolean or text', () => {
    expect(textPayloadPaths('{"t": 1}').decoder).toBe('json');
    expect(textPayloadPaths(' 42.5 ')).toMatchObject({ decoder: 'number', leaves: [{ path: '', value: 42.5 }] });
    expect(textPayloadPaths('ON')).toMatchObject({ decoder: 'boolean', leaves: [{ value: true }] });
    expect(textPayloadPaths('RUNNING')).toMatchObject({ decoder: 'text', leaves: [{ kind: 'string' }] });
    expect(textPayloadPaths('{broken')).toMatchObject({ decoder: 'text' });
  });

  it('gives numbers for booleans where a signal reads one', () => {
    expect(leafNumber({ path: '', kind: 'boolean', value: true })).toBe(1);
    expect(leafNumber({ path: '', kind: 'string', value: 'x' })).toBeNaN();
  });
});

describe('Sparkplug payloads', () => {
  it('names metrics through the engine decoder, loaded on demand', async () => {
    const codec = await loadSparkplugCodec();
    const tracker = new codec.SparkplugTracker();
    const topic = codec.parseSparkplugTopic('spBv1.0/plant/DBIRTH/edge1/pump1')!;
    const bytes = encodePayload({
      timestamp: 1,
      seq: 0,
      metrics: [
        { name: 'Bearing/Temp', type: 'Double', value: 61.5 },
        { name: 'Running', type: 'Boolean', value: true },
        { name: 'State', type: 'String', value: 'RUN' },
      ],
    });
    const outcome = tracker.handle(topic, bytes);
    expect(outcome.kind).toBe('birth');
    if (outcome.kind !== 'birth') return;
    expect(sparkplugPaths(outcome.metrics)).toEqual({
      decoder: 'sparkplug',
      skipped: 0,
      leaves: [
        { path: 'Bearing/Temp', kind: 'number', value: 61.5 },
        { path: 'Running', kind: 'boolean', value: true },
        { path: 'State', kind: 'string', value: 'RUN' },
      ],
    });
  });
});
