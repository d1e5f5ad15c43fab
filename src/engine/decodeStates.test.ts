import { describe, expect, it } from 'vitest';
import { PayloadReader, compileDecoder, compileTimestamp } from './decode';
import { parseTimestamp } from './timestamps';
import { CONVERSIONS, linearTransform } from './units';
import type { SignalDef } from '../twin/schema';
import { validateTwin } from '../twin/validate';

type Def = Partial<SignalDef> & Pick<SignalDef, 'decoder'>;
const read = (def: Def, payload: string) => compileDecoder(def)(new PayloadReader().reset(payload));
const stamp = (def: Def, payload: string) => compileTimestamp(def)?.(new PayloadReader().reset(payload));

const STATES = { RUNNING: 1, STOPPED: 0, FAULT: -1 };

describe('enumerations mapped to states', () => {
  it('maps a text payload to its state number', () => {
    expect(read({ decoder: 'text', map: STATES }, 'RUNNING')).toBe(1);
    expect(read({ decoder: 'text', map: STATES }, 'STOPPED')).toBe(0);
  });

  it('matches names ignoring case and surrounding spaces', () => {
    expect(read({ decoder: 'text', map: STATES }, '  fault\n')).toBe(-1);
  });

  it('maps a string inside a JSON payload', () => {
    expect(read({ decoder: 'json', path: 'state', map: STATES }, '{"state":"FAULT"}')).toBe(-1);
  });

  it('still reads numbers where a map is given', () => {
    expect(read({ decoder: 'json', path: 'state', map: STATES }, '{"state":1}')).toBe(1);
    expect(read({ decoder: 'text', map: STATES }, '7')).toBe(7);
  });

  it('rejects a state name the twin does not list as wrong-type', () => {
    expect(read({ decoder: 'text', map: STATES }, 'EXPLODED')).toBe('wrong-type');
    expect(read({ decoder: 'json', path: 'state', map: STATES }, '{"state":"EXPLODED"}')).toBe('wrong-type');
  });

  it('without a map, a JSON string is still a wrong type', () => {
    expect(read({ decoder: 'json', path: 'state' }, '{"state":"RUNNING"}')).toBe('wrong-type');
  });

  it('does not treat object prototype names as states', () => {
    expect(read({ decoder: 'text', map: STATES }, 'constructor')).toBe('wrong-type');
    expect(read({ decoder: 'text', map: STATES }, '__proto__')).toBe('wrong-type');
  });
});

describe('unit conversion, scale and offset', () => {
  it('converts °F to °C', () => {
    expect(read({ decoder: 'number', convert: '°F->°C' }, '212')).toBeCloseTo(100, 9);
    expect(read({ decoder: 'json', path: 't', convert: '°F->°C' }, '{"t":32}')).toBeCloseTo(0, 9);
  });

  it('applies scale then offset after the conversion', () => {
    expect(read({ decoder: 'number', scale: 0.1, offset: -5 }, '1000')).toBeCloseTo(95, 9);
    expect(read({ decoder: 'number', convert: 'bar->kPa', scale: 2 }, '1.5')).toBeCloseTo(300, 9);
  });

  it('a conversion that overflows is rejected as not-finite, not passed on', () => {
    expect(read({ decoder: 'number', scale: 1e308 }, '1e308')).toBe('not-finite');
  });

  it('leaves rejects untouched', () => {
    expect(read({ decoder: 'json', path: 'x', scale: 2 }, '{"y":1}')).toBe('missing-path');
    expect(read({ decoder: 'json', scale: 2 }, '{oops')).toBe('bad-json');
  });

  it('every conversion in the table round-trips through its inverse where one exists', () => {
    for (const name of Object.keys(CONVERSIONS) as (keyof typeof CONVERSIONS)[]) {
      const [from, to] = name.split('->');
      const back = `${to}->${from}` as keyof typeof CONVERSIONS;
      if (!(back in CONVERSIONS)) continue;
      const [f1, o1] = linearTransform({ convert: name });
      const [f2, o2] = linearTransform({ convert: back });
      expect((37 * f1 + o1) * f2 + o2).toBeCloseTo(37, 6);
    }
  });
});

describe('payload timestamps', () => {
  it('reads epoch milliseconds and epoch seconds (auto-detected)', () => {
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":1732540000123}')).toBe(1732540000123);
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":1732540000.5}')).toBe(1732540000500);
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":"1732540000"}')).toBe(1732540000000);
  });

  it('reads ISO 8601 text with a zone', () => {
    expect(stamp({ decoder: 'json', timestamp: 'meta.time' }, '{"meta":{"time":"2024-11-25T13:46:40.250Z"}}')).toBe(
      Date.UTC(2024, 10, 25, 13, 46, 40, 250),
    );
    expect(parseTimestamp('2024-11-25T14:46:40+01:00')).toBe(Date.UTC(2024, 10, 25, 13, 46, 40));
  });

  it('honours a declared format', () => {
    expect(parseTimestamp(1000, 's')).toBe(1_000_000);
    expect(parseTimestamp(1732540000, 'ms')).toBe(1732540000);
    expect(parseTimestamp(1732540000, 'iso')).toBeNaN();
    expect(parseTimestamp('2024-11-25T13:46:40Z', 's')).toBeNaN();
  });

  it('gives NaN (arrival time is used) for a missing or malformed timestamp', () => {
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"v":1}')).toBeNaN();
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":"yesterday"}')).toBeNaN();
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":-5}')).toBeNaN();
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, '{"ts":true}')).toBeNaN();
    expect(stamp({ decoder: 'json', timestamp: 'ts' }, 'not json')).toBeNaN();
    expect(parseTimestamp('Tue, 25 Nov 2024 13:46:40 GMT')).toBeNaN();
  });

  it('is absent for signals without a timestamp path (arrival time)', () => {
    expect(compileTimestamp({ decoder: 'json' })).toBeNull();
    expect(compileTimestamp({ decoder: 'number', timestamp: 'ts' })).toBeNull();
  });
});

describe('twin validation of the decoder fields', () => {
  const problems = (signal: Record<string, unknown>) => {
    const result = validateTwin({
      id: 'x',
      title: 'x',
      connection: { url: 'ws://127.0.0.1:9001', subscribe: ['#'] },
      signals: [{ id: 'a', topic: 'a/b', ...signal }],
    });
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('accepts states, conversions and timestamps', () => {
    expect(problems({ decoder: 'text', map: { ON: 1 }, convert: '°F->°C', scale: 2, offset: 1 })).toEqual([]);
    expect(problems({ path: 'v', timestamp: 'ts', timestampFormat: 'iso' })).toEqual([]);
    expect(problems({ decoder: 'sparkplug', metric: 'Temp' })).toEqual([]);
  });

  it('points at the field of a wrong combination', () => {
    expect(problems({ decoder: 'sparkplug' })).toEqual([
      '$.signals[0].metric: the sparkplug decoder needs a metric name',
    ]);
    expect(problems({ decoder: 'number', timestamp: 'ts' })).toEqual([
      '$.signals[0].timestamp: a timestamp path needs the json decoder',
    ]);
    expect(problems({ convert: 'furlongs->m' })[0]).toMatch(/^\$\.signals\[0\]\.convert/);
    expect(problems({ map: { ON: 'yes' } })[0]).toMatch(/^\$\.signals\[0\]\.map/);
  });
});
