import { afterEach, describe, expect, it } from 'vitest';
import { formatAge, formatNumber, formatReading, formatValue, statesByNumber } from './format';
import { ENGLISH_WORDS, setDisplayLocale } from './locale';

describe('formatReading', () => {
  it('shows integers without decimals and measurements with formatValue', () => {
    expect(formatReading(200, undefined, { kind: 'integer', unit: 'rpm' })).toBe('200 rpm');
    expect(formatReading(-5, undefined, { kind: 'integer' })).toBe('-5');
    expect(formatReading(200, undefined, { unit: 'kPa' })).toBe(formatValue(200, 'kPa'));
    // An integer type scaled to a fraction is shown as the measurement it became.
    expect(formatReading(2.5, undefined, { kind: 'integer' })).toBe('2.50');
  });

  it('shows booleans as words and named states by name', () => {
    expect(formatReading(1, undefined, { kind: 'boolean' })).toBe('true');
    expect(formatReading(0, undefined, { kind: 'boolean' })).toBe('false');
    const states = statesByNumber({ RUNNING: 1, STOPPED: 0, HALTED: 0 });
    expect(formatReading(0, undefined, { states })).toBe('STOPPED'); // the first name for a number wins
    expect(formatReading(7, undefined, { states, unit: 'x' })).toBe('7.00 x'); // not a named state
  });

  it('shows text as it came, and a dash without a value', () => {
    expect(formatReading(NaN, 'Läuft <ok>', { kind: 'text' })).toBe('Läuft <ok>');
    expect(formatReading(NaN, undefined, { kind: 'text' })).toBe('—');
    expect(formatReading(NaN, undefined)).toBe('—');
  });

  it('has no states for an absent or empty map', () => {
    expect(statesByNumber(undefined)).toBeNull();
    expect(statesByNumber({})).toBeNull();
  });
});

describe('formatting for the UI locale', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('writes a German reading with a decimal comma and the unit after a space', () => {
    expect(formatValue(64.34, '°C', 'de')).toBe('64,3 °C');
    expect(formatValue(1.5, 'bar', 'de')).toBe('1,50 bar');
    expect(formatValue(1480.4, '', 'de')).toBe('1480');
    expect(formatValue(64.34, '°C', 'en')).toBe('64.3 °C');
  });

  it('follows the display locale and its words once the UI sets them', () => {
    setDisplayLocale('de', { ...ENGLISH_WORDS, yes: 'wahr', secondsAgo: (n) => `vor ${n} s` });
    expect(formatReading(2.5, undefined, { unit: 'm' })).toBe('2,50 m');
    expect(formatReading(1, undefined, { kind: 'boolean' })).toBe('wahr');
    expect(formatAge(12_000)).toBe('vor 12 s');
    setDisplayLocale(undefined);
    expect(formatAge(12_000)).toBe('12 s ago');
  });

  it('makes one number formatter per locale and digit count, not one per value', () => {
    const Real = Intl.NumberFormat;
    let made = 0;
    Intl.NumberFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        made++;
      }
    } as typeof Intl.NumberFormat;
    try {
      expect([1, 2, 3].map((n) => formatNumber(n, 3, 'de-CH'))).toEqual(['1.000', '2.000', '3.000']);
      expect(made).toBe(1);
    } finally {
      Intl.NumberFormat = Real;
    }
  });
});
