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

  // Values clear of a decimal tie: on a tie such as 1.005 (binary 1.00499...) the fast path rounds
  // the exact binary value like toFixed, as the UI always did, where Intl may round up.
  it('writes what Intl.NumberFormat writes, fast path or not', () => {
    for (const locale of ['en', 'de', 'de-CH', 'en-IN', 'ar-EG', 'fr'])
      for (const v of [0, -0.004, 1.0049, 2.5, -17.25, 999.94, 1234.5, -98765.4321, 1e-7])
        for (const digits of [0, 1, 2]) {
          const intl = new Intl.NumberFormat(locale, {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
            useGrouping: false,
          });
          expect(formatNumber(v, digits, locale), `${locale} ${v} ${digits}`).toBe(intl.format(v));
        }
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
      // The first value in a locale may make its formatter(s); none after that, on either path.
      for (const locale of ['fr-CA', 'ar-EG']) {
        formatNumber(0.5, 3, locale);
        made = 0;
        expect([1, 2, 3].map((n) => formatNumber(n + 0.25, 3, locale))).toHaveLength(3);
        expect(made, locale).toBe(0);
      }
    } finally {
      Intl.NumberFormat = Real;
    }
  });
});
