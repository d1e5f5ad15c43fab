import { describe, expect, it } from 'vitest';
import { formatReading, formatValue, statesByNumber } from './format';

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
