import { describe, expect, it } from 'vitest';
import { groupAxes } from './trendAxes';

describe('groupAxes', () => {
  it('gives signals of one unit one axis', () => {
    expect(groupAxes(['°C', '°C'])).toEqual({ axes: [{ id: 'y0', unit: '°C', side: 'left' }], axisOf: ['y0', 'y0'] });
  });

  it('gives two units two axes, the second on the right', () => {
    expect(groupAxes(['°C', 'm³/h', '°C'])).toEqual({
      axes: [
        { id: 'y0', unit: '°C', side: 'left' },
        { id: 'y1', unit: 'm³/h', side: 'right' },
      ],
      axisOf: ['y0', 'y1', 'y0'],
    });
  });

  it('treats signals without a unit as one more unit', () => {
    expect(groupAxes(['', 'rpm', '']).axisOf).toEqual(['y0', 'y1', 'y0']);
  });
});
