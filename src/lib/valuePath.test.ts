import { describe, expect, it } from 'vitest';
import { parseValuePath, readValuePath, MISSING } from './valuePath';

describe('parseValuePath', () => {
  it('parses names, nested names and indices', () => {
    expect(parseValuePath('rpm')).toEqual({ ok: true, steps: ['rpm'] });
    expect(parseValuePath('bearing.temp')).toEqual({ ok: true, steps: ['bearing', 'temp'] });
    expect(parseValuePath('readings[0].value')).toEqual({ ok: true, steps: ['readings', 0, 'value'] });
    expect(parseValuePath('m[1][2]')).toEqual({ ok: true, steps: ['m', 1, 2] });
    expect(parseValuePath('[3].v')).toEqual({ ok: true, steps: [3, 'v'] });
    expect(parseValuePath('')).toEqual({ ok: true, steps: [] });
  });

  it('rejects malformed paths with a position', () => {
    for (const [path, position] of [
      ['a..b', 2],
      ['a.', 2],
      ['.a', 0],
      ['a[x]', 1],
      ['a[1', 1],
      ['a]', 1],
      ['a.[0]', 2],
    ] as const) {
      const parsed = parseValuePath(path);
      expect(parsed.ok, path).toBe(false);
      if (!parsed.ok) expect(parsed.position, path).toBe(position);
    }
  });
});

describe('readValuePath', () => {
  it('follows own fields and array indices only', () => {
    const doc = JSON.parse('{"a":{"b":[10,{"c":5}]},"__proto__":{"x":1}}') as unknown;
    expect(readValuePath(doc, ['a', 'b', 1, 'c'])).toBe(5);
    expect(readValuePath(doc, ['a', 'b', 2])).toBe(MISSING);
    expect(readValuePath(doc, ['a', 'b', 'length'])).toBe(MISSING);
    expect(readValuePath(doc, ['a', 'toString'])).toBe(MISSING);
    expect(readValuePath(doc, ['__proto__', 'x'])).toBe(1);
    expect(readValuePath(doc, ['a', 0])).toBe(MISSING);
    expect(readValuePath(5, ['a'])).toBe(MISSING);
  });
});
