import { describe, expect, it } from 'vitest';
import { whatIf, whatIfRecording, type SignalHistory } from './whatIf';
import { makeTwin } from './testTwins';

const history = (id: string, points: [number, number][]): SignalHistory => ({
  id,
  length: points.length,
  timeAt: (i) => points[i][0],
  valueAt: (i) => points[i][1],
});

const twin = makeTwin({
  signals: [{ id: '{dev}.temp', topic: 'p/+dev/t', decoder: 'number' }],
  rules: [{ id: 'hot', when: 'p1.temp > 90', message: 'Pump hot', priority: 'high' }],
});
const temps = history('p1.temp', [
  [0, 80],
  [1000, 92],
  [2000, 85],
  [3000, 96],
  [4000, 80],
]);

describe('whatIf', () => {
  it('shows the alarms the rule raised over the history as it is, and as edited', () => {
    const result = whatIf(twin, 'hot', 'p1.temp > 95', [temps]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.current.map((e) => [e.event, e.t])).toEqual([
      ['raise', 1000],
      ['clear', 2000],
      ['raise', 3000],
      ['clear', 4000],
    ]);
    expect(result.edited.map((e) => [e.event, e.t, e.value])).toEqual([
      ['raise', 3000, 96],
      ['clear', 4000, undefined],
    ]);
    expect([result.from, result.to]).toEqual([0, 4000]);
  });

  it('gives the parse error and its position for a bad edit', () => {
    expect(whatIf(twin, 'hot', 'p1.temp >> 95', [temps])).toEqual({
      ok: false,
      error: 'expected a value, found ">"',
      position: 9,
    });
  });

  it('says which signal has no recorded values', () => {
    expect(whatIf(twin, 'hot', 'p1.temp > 95 && p2.temp > 1', [temps])).toMatchObject({
      ok: false,
      error: 'no recorded values of "p2.temp"',
      position: 16,
    });
  });
});

describe('whatIfRecording', () => {
  it('replays a loaded recording through the rule as it is and as edited', () => {
    const messages = [80, 92, 85, 96, 80].map((v, i) => ({ t: i * 1000, topic: 'p/p1/t', payload: String(v) }));
    const result = whatIfRecording(twin, 'hot', 'p1.temp > 95', messages);
    expect(result.ok && [result.current.length, result.edited.map((e) => e.event)]).toEqual([4, ['raise', 'clear']]);
  });
});
