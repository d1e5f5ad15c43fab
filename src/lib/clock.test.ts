import { afterEach, describe, expect, it } from 'vitest';
import { clockMinutes, clockTime, dateTime } from './clock';
import { setDisplayLocale } from './locale';

describe('clock', () => {
  const times = [0, 1_700_000_000_000, 1_764_000_000_123, Date.UTC(2026, 10, 25, 23, 59, 59)];

  it('formats like toLocaleTimeString, with a formatter made once', () => {
    for (const t of times) expect(clockTime(t)).toBe(new Date(t).toLocaleTimeString());
  });

  it('formats hours and minutes like toLocaleTimeString with those options', () => {
    for (const t of times) {
      expect(clockMinutes(t)).toBe(new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    }
  });
});

describe('clock in the UI locale', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('writes German dates day first and a 24-hour time', () => {
    setDisplayLocale('de');
    const t = new Date(2026, 10, 30, 15, 4, 5).getTime();
    expect(dateTime(t)).toBe('30.11.2026, 15:04:05');
    expect(clockTime(t)).toBe('15:04:05');
  });

  it('writes English dates month first', () => {
    setDisplayLocale('en-US');
    expect(dateTime(new Date(2026, 10, 30, 15, 4, 5).getTime())).toBe('Nov 30, 2026, 3:04:05 PM');
  });
});
