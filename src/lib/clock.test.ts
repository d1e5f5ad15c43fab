import { describe, expect, it } from 'vitest';
import { clockMinutes, clockTime } from './clock';

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
