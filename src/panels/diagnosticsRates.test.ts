import { describe, expect, it } from 'vitest';
import { formatBytes, signalRates } from './diagnosticsRates';

describe('signalRates', () => {
  it('is the count difference per second between two snapshots', () => {
    const now = new Float64Array([10, 50, 7, 99]);
    const before = new Float64Array([0, 30]);
    expect(Array.from(signalRates(now, 3, before, 2000))).toEqual([5, 10, 3.5]);
  });

  it('is zero without an earlier snapshot', () => {
    expect(Array.from(signalRates(new Float64Array([5]), 1, null, 1000))).toEqual([0]);
  });
});

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(12_400)).toBe('12.4 kB');
    expect(formatBytes(3_100_000)).toBe('3.1 MB');
    expect(formatBytes(NaN)).toBe('—');
  });
});
