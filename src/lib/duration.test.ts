import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, isDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    [' 3 s ', 3000],
    ['0s', 0],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a plain number as seconds', () => {
    expect(parseDuration(2)).toBe(2000);
    expect(parseDuration(0.25)).toBe(250);
    expect(parseDuration(0)).toBe(0);
  });

  it.each(['5', '5 sec', '5S', '-1s', '1d', '', 's', '1.s', '.5s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
    expect(isDuration(text)).toBe(false);
  });

  it('rejects negative and non-finite numbers', () => {
    expect(parseDuration(-1)).toBeNull();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseDuration(Number.NaN)).toBeNull();
  });
});

describe('DURATION_PATTERN', () => {
  it('accepts exactly the text parseDuration reads (the JSON Schema uses it)', () => {
    for (const text of ['500ms', '5s', ' 2 m', '1h', '5', '5 sec', '-1s', '1.5h', '']) {
      expect(DURATION_PATTERN.test(text)).toBe(parseDuration(text) !== null);
    }
  });
});
