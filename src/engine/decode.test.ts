import { afterEach, describe, expect, it, vi } from 'vitest';
import { PayloadReader, compileDecoder, utf8Length, DEFAULT_MAX_PAYLOAD_BYTES, TEXT_VALUE } from './decode';
import { KIND_BOOLEAN, KIND_INTEGER, KIND_NUMBER, KIND_TEXT } from './protocol';

const bytes = (text: string) => new TextEncoder().encode(text);
const json = (path?: string) => compileDecoder({ decoder: 'json', path });
const read = (decoder: ReturnType<typeof compileDecoder>, payload: string | Uint8Array, maxBytes?: number) =>
  decoder(new PayloadReader(maxBytes).reset(payload));

const PUMP =
  '{"ts":1732540000000,"running":true,"rpm":1480,"flow":52.3,"bearing":{"temp":61.2},"motor":{"current":41}}';

afterEach(() => vi.restoreAllMocks());

describe('json decoder', () => {
  it('reads top-level and nested paths from bytes', () => {
    expect(read(json('rpm'), bytes(PUMP))).toBe(1480);
    expect(read(json('bearing.temp'), bytes(PUMP))).toBe(61.2);
    expect(read(json('motor.current'), PUMP)).toBe(41);
  });

  it('reads array indices', () => {
    const payload = '{"readings":[{"value":1.5},{"value":-2}],"m":[[1,2],[3,4]]}';
    expect(read(json('readings[0].value'), payload)).toBe(1.5);
    expect(read(json('readings[1].value'), payload)).toBe(-2);
    expect(read(json('m[1][0]'), payload)).toBe(3);
    expect(read(json('[1]'), '[7, 8]')).toBe(8);
  });

  it('reads the whole payload when there is no path', () => {
    expect(read(json(), '42.5')).toBe(42.5);
    expect(read(json(), 'true')).toBe(1);
  });

  it('turns JSON booleans into 1 and 0', () => {
    expect(read(json('running'), PUMP)).toBe(1);
    expect(read(json('running'), '{"running":false}')).toBe(0);
  });

  it('rejects bad JSON', () => {
    expect(read(json('rpm'), '{"rpm": 14')).toBe('bad-json');
    expect(read(json('rpm'), '')).toBe('bad-json');
    expect(read(json('rpm'), new Uint8Array([0xff, 0xfe]))).toBe('bad-json');
  });

  it('rejects a missing path', () => {
    expect(read(json('bearing.temp'), '{"rpm":1}')).toBe('missing-path');
    expect(read(json('bearing.temp'), '{"bearing":5}')).toBe('missing-path');
    expect(read(json('readings[2].value'), '{"readings":[{"value":1}]}')).toBe('missing-path');
    expect(read(json('readings.length'), '{"readings":[]}')).toBe('missing-path');
  });

  it('rejects objects, arrays, strings and null where a number is needed', () => {
    expect(read(json('bearing'), PUMP)).toBe('wrong-type');
    expect(read(json('a'), '{"a":[1]}')).toBe('wrong-type');
    expect(read(json('a'), '{"a":"61.2"}')).toBe('wrong-type');
    expect(read(json('a'), '{"a":null}')).toBe('wrong-type');
  });

  it('rejects numbers that are not finite', () => {
    expect(read(json('a'), '{"a":1e999}')).toBe('not-finite');
    expect(read(json('a'), '{"a":-1e999}')).toBe('not-finite');
  });

  it('rejects payloads over the size limit before decoding them', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const big = new Uint8Array(DEFAULT_MAX_PAYLOAD_BYTES + 1).fill(0x20);
    expect(read(json('a'), big)).toBe('too-large');
    expect(decode).not.toHaveBeenCalled();
    expect(read(json(), '12345', 4)).toBe('too-large');
    expect(read(json(), '1234', 4)).toBe(1234);
  });

  it('parses a payload once however many signals read it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const reader = new PayloadReader().reset(bytes(PUMP));
    const values = ['bearing.temp', 'rpm', 'flow', 'running', 'missing'].map((p) => json(p)(reader));
    expect(values).toEqual([61.2, 1480, 52.3, 1, 'missing-path']);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(decode).toHaveBeenCalledTimes(1);
    reader.reset(bytes('{"rpm":1}'));
    expect(json('rpm')(reader)).toBe(1);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('tries bad JSON once per message, not once per signal', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const reader = new PayloadReader().reset('{oops');
    expect(json('a')(reader)).toBe('bad-json');
    expect(json('b')(reader)).toBe('bad-json');
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('refuses a malformed path when compiled', () => {
    expect(() => json('a..b')).toThrow(/path "a..b"/);
  });
});

describe('number decoder', () => {
  const number = compileDecoder({ decoder: 'number' });
  it('reads plain text numbers', () => {
    expect(read(number, bytes('42'))).toBe(42);
    expect(read(number, ' -1.5e3\n')).toBe(-1500);
    expect(read(number, '.5')).toBe(0.5);
    expect(read(number, '+7')).toBe(7);
  });
  it('rejects text that is not a number', () => {
    for (const text of ['', ' ', 'abc', '0x10', '1,5', '12abc', '{"a":1}'])
      expect(read(number, text), text).toBe('wrong-type');
  });
  it('rejects NaN and infinities', () => {
    for (const text of ['NaN', 'Infinity', '-inf', '1e999']) expect(read(number, text), text).toBe('not-finite');
  });
  it('rejects payloads over the size limit', () => {
    expect(read(number, '123456', 5)).toBe('too-large');
  });
});

describe('boolean decoder', () => {
  const boolean = compileDecoder({ decoder: 'boolean' });
  it('maps true/false/1/0/on/off in any case to 1/0', () => {
    for (const text of ['true', 'TRUE', '1', 'on', ' On ']) expect(read(boolean, bytes(text)), text).toBe(1);
    for (const text of ['false', 'False', '0', 'off', 'OFF\n']) expect(read(boolean, text), text).toBe(0);
  });
  it('rejects anything else', () => {
    for (const text of ['yes', '2', '', 'constructor', '__proto__'])
      expect(read(boolean, text), text).toBe('wrong-type');
  });
});

describe('text decoder', () => {
  const text = compileDecoder({ decoder: 'text' });
  it('reads numeric text as a number', () => {
    expect(read(text, '61.2')).toBe(61.2);
  });
  it('rejects other text for now', () => {
    expect(read(text, 'RUNNING')).toBe('wrong-type');
    expect(read(text, 'NaN')).toBe('not-finite');
  });
});

describe('PayloadReader', () => {
  it('measures string payloads in UTF-8 bytes', () => {
    expect(utf8Length('a°€😀')).toBe(1 + 2 + 3 + 4);
    expect(new PayloadReader().reset('°C').byteLength).toBe(3);
  });
  it('samples only the start of a payload', () => {
    const reader = new PayloadReader().reset(bytes('x'.repeat(10_000)));
    expect(reader.sample(200)).toHaveLength(200);
  });
});

describe('value kinds', () => {
  const reader = (text: string) => new PayloadReader().reset(text);

  it('says a boolean is a boolean, from the boolean decoder and from JSON true/false', () => {
    const r = reader('on');
    expect(compileDecoder({ decoder: 'boolean' })(r)).toBe(1);
    expect(r.valueKind).toBe(KIND_BOOLEAN);
    const j = reader('{"running": false, "rpm": 1450}');
    expect(compileDecoder({ decoder: 'json', path: 'running' })(j)).toBe(0);
    expect(j.valueKind).toBe(KIND_BOOLEAN);
    expect(compileDecoder({ decoder: 'json', path: 'rpm' })(j)).toBe(1450);
    expect(j.valueKind).toBe(KIND_NUMBER);
  });

  it('a scaled integer is a measurement', () => {
    const r = new PayloadReader().reset('');
    r.sparkplug = new Map([['Raw', { value: 1234, kind: KIND_INTEGER, timestamp: NaN }]]);
    expect(compileDecoder({ decoder: 'sparkplug', metric: 'Raw' })(r)).toBe(1234);
    expect(r.valueKind).toBe(KIND_INTEGER);
    expect(compileDecoder({ decoder: 'sparkplug', metric: 'Raw', scale: 0.1 })(r)).toBeCloseTo(123.4);
    expect(r.valueKind).toBe(KIND_NUMBER);
  });

  it('Sparkplug text is text, unless a map names its states', () => {
    const r = new PayloadReader().reset('');
    r.sparkplug = new Map([['Mode', { value: 'AUTO', kind: KIND_TEXT, timestamp: NaN }]]);
    expect(compileDecoder({ decoder: 'sparkplug', metric: 'Mode' })(r)).toBe(TEXT_VALUE);
    expect(r.valueText).toBe('AUTO');
    expect(compileDecoder({ decoder: 'sparkplug', metric: 'Mode', map: { AUTO: 2 } })(r)).toBe(2);
    expect(r.valueKind).toBe(KIND_NUMBER);
  });
});
