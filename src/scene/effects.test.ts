import { describe, expect, it } from 'vitest';
import { blinkOn, mapRange, scaleFraction, spinRadians, staleRgb, nextBlinkFlip } from './effects';
import { resolveColor } from './palette';

describe('scaleFraction', () => {
  it('maps the range to 0..1 and never returns zero', () => {
    expect(scaleFraction([0, 100], 50)).toBe(0.5);
    expect(scaleFraction([0, 100], -10)).toBe(0.001);
    expect(scaleFraction([0, 100], 150)).toBe(1);
  });
});

describe('spinRadians', () => {
  it('turns one revolution per second at 60 rpm', () => expect(spinRadians(60, 1, 120, 1)).toBeCloseTo(2 * Math.PI));
  it('caps the drawn speed so fast rotors stay readable', () =>
    expect(spinRadians(1e6, 1, 90, 1)).toBeCloseTo(3 * Math.PI));
});

describe('resolveColor', () => {
  it('keeps the model colour for normal and maps states to hex', () => {
    expect(resolveColor('normal')).toBeNull();
    expect(resolveColor('alarm')).toBe('#d62828');
    expect(resolveColor('#123456')).toBe('#123456');
  });
});

describe('mapRange', () => {
  it('maps linearly and clamps to the output ends', () => {
    expect(mapRange([0, 100], [0, 90], 50)).toBe(45);
    expect(mapRange([0, 100], [0, 90], -20)).toBe(0);
    expect(mapRange([0, 100], [10, -10], 200)).toBe(-10);
  });
});

describe('blinkOn', () => {
  it('is lit for the first half of each second and dark for the second', () => {
    expect(blinkOn(10.2)).toBe(true);
    expect(blinkOn(10.7)).toBe(false);
    expect(nextBlinkFlip(10_200)).toBe(10_500);
    expect(nextBlinkFlip(10_500)).toBe(11_000);
    expect(blinkOn(nextBlinkFlip(10_200) / 1000)).toBe(false);
  });
});

describe('staleRgb', () => {
  it('turns a saturated alarm red into a pale grey', () => {
    const out = { r: 0, g: 0, b: 0 };
    staleRgb(0.8, 0.02, 0.02, out);
    expect(out.r - out.g).toBeLessThan(0.2);
    expect(out.g).toBeGreaterThan(0.45);
  });
});
