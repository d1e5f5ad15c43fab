import { describe, expect, it } from 'vitest';
import { fillTemplate, placeholders, templateCaptures, templateMatcher } from './signalIds';

describe('placeholders', () => {
  it('lists the {name} placeholders in order', () => {
    expect(placeholders('{site}.{pump}.temp')).toEqual(['site', 'pump']);
    expect(placeholders('tank1.level')).toEqual([]);
  });

  it('ignores braces that do not hold a name', () => {
    expect(placeholders('a{}.b{1x}')).toEqual([]);
  });
});

describe('fillTemplate', () => {
  it('fills placeholders from captures', () => {
    expect(fillTemplate('{pump} bearing temperature', { pump: 'pump2' })).toBe('pump2 bearing temperature');
    expect(fillTemplate('{a}-{b}-{a}', { a: '1', b: '2' })).toBe('1-2-1');
  });

  it('leaves placeholders without a capture as written', () => {
    expect(fillTemplate('{pump}.{part}', { pump: 'pump1' })).toBe('pump1.{part}');
  });
});

describe('templateMatcher', () => {
  it('matches concrete ids a template can produce: pump1.temp for {pump}.temp, not pump1.tmp', () => {
    const matches = templateMatcher('{pump}.temp');
    expect(matches('pump1.temp')).toBe(true);
    expect(matches('p.temp')).toBe(true);
    expect(matches('pump1.tmp')).toBe(false);
    expect(matches('.temp')).toBe(false);
    expect(matches('pump1.temp.max')).toBe(false);
  });

  it('treats "." and other regex characters in the template literally', () => {
    const matches = templateMatcher('{pump}.temp');
    expect(matches('pump1xtemp')).toBe(false);
    expect(templateMatcher('a+b')('aab')).toBe(false);
    expect(templateMatcher('a+b')('a+b')).toBe(true);
  });

  it('compares a template without placeholders exactly', () => {
    const matches = templateMatcher('tank1.level');
    expect(matches('tank1.level')).toBe(true);
    expect(matches('tank1.levels')).toBe(false);
  });

  it('handles several placeholders', () => {
    const matches = templateMatcher('{site}.{pump}.temp');
    expect(matches('north.pump1.temp')).toBe(true);
    expect(matches('north.temp')).toBe(false);
  });
});

describe('templateCaptures', () => {
  it('reads the captured names back out of a concrete id', () => {
    expect(templateCaptures('{pump}.temp')('pump2.temp')).toEqual({ pump: 'pump2' });
    expect(templateCaptures('{site}.{pump}.temp')('north.pump1.temp')).toEqual({ site: 'north', pump: 'pump1' });
  });
  it('returns null for an id the template cannot produce, and {} for a plain id', () => {
    expect(templateCaptures('{pump}.temp')('pump2.rpm')).toBeNull();
    expect(templateCaptures('tank1.level')('tank1.level')).toEqual({});
  });
});
