import { describe, expect, it } from 'vitest';
import { trendCsv, trendCsvFilename } from './trendCsv';

const T0 = Date.UTC(2026, 10, 30, 14, 5, 0);

describe('trendCsv', () => {
  it('heads columns with signal ids and units and lists chart points, then raw samples, with ISO times', () => {
    const csv = trendCsv([
      {
        signal: 'pump1.temp',
        unit: '°C',
        shown: [{ t: T0, v: 64.5 }],
        raw: [
          { t: T0, v: 64.5 },
          { t: T0 + 500, v: 65 },
        ],
      },
      { signal: 'pump1.flow', unit: '', shown: [{ t: T0, v: 12 }], raw: [] },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time,source,pump1.temp (°C),pump1.flow',
      '2026-11-30T14:05:00.000Z,chart,64.5,12',
      '2026-11-30T14:05:00.000Z,tab,64.5,',
      '2026-11-30T14:05:00.500Z,tab,65,',
      '',
    ]);
  });

  it('leaves a gap empty and writes numbers plainly (no locale, no rounding)', () => {
    const csv = trendCsv([
      {
        signal: 'a',
        unit: '',
        shown: [
          { t: T0, v: null },
          { t: T0 + 1, v: -0.000123 },
        ],
        raw: [],
      },
    ]);
    expect(csv).toContain('chart,\r\n');
    expect(csv).toContain('chart,-0.000123\r\n');
  });

  it('quotes and defuses hostile ids and units', () => {
    const csv = trendCsv([{ signal: '=cmd|x', unit: 'a,"b"', shown: [], raw: [] }]);
    expect(csv.split('\r\n')[0]).toBe(`time,source,"'=cmd|x (a,""b"")"`);
  });
});

describe('trendCsvFilename', () => {
  it('names the twin and the range', () => {
    expect(trendCsvFilename('pump-station', T0, T0 + 15 * 60_000)).toBe(
      'trend-pump-station-20261130T140500Z-20261130T142000Z.csv',
    );
  });
  it('keeps the name a plain file name whatever the twin id', () => {
    expect(trendCsvFilename('../x/y z', T0, T0)).toBe('trend-__x_y_z-20261130T140500Z-20261130T140500Z.csv');
  });
});
