import { describe, expect, it } from 'vitest';
import { captureNames, filterCovers, parseTopicPattern, toMqttFilter } from './topicPattern';

describe('parseTopicPattern', () => {
  it('splits a pattern into literal, "+", "+name" and "#" levels', () => {
    expect(parseTopicPattern('plant/+site/+/#')).toEqual({
      ok: true,
      levels: [
        { kind: 'literal', text: 'plant' },
        { kind: 'one', name: 'site' },
        { kind: 'one', name: null },
        { kind: 'rest' },
      ],
    });
  });

  it('rejects an empty pattern', () => {
    expect(parseTopicPattern('')).toEqual({ ok: false, error: 'topic pattern is empty' });
  });

  it('rejects "#" anywhere but the last level', () => {
    expect(parseTopicPattern('plant/#/x')).toEqual({ ok: false, error: '"#" must be the last level' });
  });

  it('rejects wildcards that do not fill a whole level', () => {
    expect(parseTopicPattern('plant/pump#')).toMatchObject({
      ok: false,
      error: expect.stringContaining('whole level'),
    });
    expect(parseTopicPattern('plant/a+b')).toMatchObject({ ok: false, error: expect.stringContaining('whole level') });
  });

  it('rejects capture names that are not identifiers', () => {
    expect(parseTopicPattern('plant/+1pump')).toMatchObject({
      ok: false,
      error: expect.stringContaining('capture name'),
    });
    expect(parseTopicPattern('plant/+pump-id')).toMatchObject({ ok: false });
  });

  it('rejects the same capture name twice', () => {
    expect(parseTopicPattern('+dev/x/+dev')).toEqual({
      ok: false,
      error: '"+dev" is captured twice; give each capture its own name',
    });
  });
});

describe('captureNames', () => {
  it('lists named captures in order, skipping plain "+"', () => {
    const parsed = parseTopicPattern('+site/+/+pump/#');
    expect(parsed.ok && captureNames(parsed.levels)).toEqual(['site', 'pump']);
  });
});

describe('toMqttFilter', () => {
  it('drops capture names so the broker sees plain wildcards', () => {
    expect(toMqttFilter('plant/+site/+pump/telemetry')).toBe('plant/+/+/telemetry');
    expect(toMqttFilter('plant/#')).toBe('plant/#');
  });
});

describe('filterCovers', () => {
  it('"#" covers everything below it, including its parent level', () => {
    expect(filterCovers('plant/north/#', 'plant/north/+pump/telemetry')).toBe(true);
    expect(filterCovers('plant/#', 'plant')).toBe(true);
    expect(filterCovers('#', 'a/b/#')).toBe(true);
  });

  it('"+" covers exactly one level, named or not', () => {
    expect(filterCovers('plant/+/telemetry', 'plant/+pump/telemetry')).toBe(true);
    expect(filterCovers('plant/+/telemetry', 'plant/pump1/telemetry')).toBe(true);
    expect(filterCovers('plant/+', 'plant/a/b')).toBe(false);
  });

  it('a literal level does not cover a wildcard or another literal', () => {
    expect(filterCovers('plant/pump1/telemetry', 'plant/+pump/telemetry')).toBe(false);
    expect(filterCovers('plant/north/#', 'plant/south/tank1')).toBe(false);
  });

  it('"+" does not cover "#", and a shorter filter does not cover a longer pattern', () => {
    expect(filterCovers('plant/+', 'plant/#')).toBe(false);
    expect(filterCovers('plant', 'plant/x')).toBe(false);
    expect(filterCovers('plant/x/y', 'plant/x')).toBe(false);
  });
});
