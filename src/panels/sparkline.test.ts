import { describe, expect, it } from 'vitest';
import { SampleRing } from '../lib/ringBuffer';
import { sparklinePoints } from './sparkline';

describe('sparklinePoints', () => {
  it('is empty without samples in the window', () => {
    const ring = new SampleRing(8);
    ring.push(100, 1);
    expect(sparklinePoints(ring, 200, 10, 10)).toBe('');
  });

  it('spans the width and puts the highest value at the top and the lowest at the bottom', () => {
    const ring = new SampleRing(8);
    ring.push(0, 0);
    ring.push(50, 10);
    ring.push(100, 5);
    expect(sparklinePoints(ring, 0, 11, 12)).toBe('0,11.0 5,1.0 10,6.0');
  });

  it('keeps a spike that falls inside one pixel column', () => {
    const ring = new SampleRing(8);
    ring.push(0, 0);
    ring.push(1, 100);
    ring.push(2, 0);
    ring.push(1000, 0);
    expect(sparklinePoints(ring, 0, 3, 12)).toContain('0,1.0');
  });
});
