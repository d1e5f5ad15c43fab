import { describe, expect, it } from 'vitest';
import { validateTwin } from '../twin/validate';
import type { Twin } from '../twin/schema';
import { whatIfHistory } from './trendWhatIf';

function twin(): Twin {
  const res = validateTwin({
    id: 'lab',
    title: 'Lab',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['lab/#'] },
    signals: [{ id: 'lab.temp', topic: 'lab/temp', decoder: 'number', unit: '°C' }],
    rules: [{ id: 'lab.hot', when: 'lab.temp > 50', priority: 'high', message: 'Hot' }],
  });
  if (!res.ok) throw new Error(JSON.stringify(res.problems));
  return res.twin;
}

const T = 1_800_000_000_000;
const line = (t: number, value: number | null) => JSON.stringify({ t, signal: 'lab.temp', value });
const week = [
  line(T, 40),
  line(T + 60_000, 55),
  line(T + 120_000, null),
  line(T + 180_000, 45),
  line(T + 240_000, 62),
].join('\n');

describe('whatIfHistory', () => {
  it("replays the historian's decoded values through the rule as deployed and as edited", () => {
    const res = whatIfHistory(twin(), 'lab.hot', 'lab.temp > 60', week);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.current.filter((e) => e.event === 'raise')).toHaveLength(2);
    expect(res.edited.filter((e) => e.event === 'raise').map((e) => e.t)).toEqual([T + 240_000]);
    expect(res.from).toBe(T);
    expect(res.to).toBe(T + 240_000);
  });

  it('says which line of a bad recording is wrong', () => {
    expect(whatIfHistory(twin(), 'lab.hot', 'lab.temp > 60', `${line(T, 1)}\nnot json`)).toMatchObject({
      ok: false,
      line: 2,
      error: 'not a JSON object',
    });
  });

  it('refuses an edited condition that does not parse, with its position', () => {
    expect(whatIfHistory(twin(), 'lab.hot', 'lab.temp >> 60', week)).toMatchObject({ ok: false, position: 10 });
  });

  it('has no span for an empty recording', () => {
    expect(whatIfHistory(twin(), 'lab.hot', 'lab.temp > 60', '')).toMatchObject({ ok: true, from: null, to: null });
  });
});
