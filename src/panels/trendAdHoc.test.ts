import { describe, expect, it } from 'vitest';
import { MAX_AD_HOC, withTrend, withoutTrend } from './trendAdHoc';

describe('ad-hoc trends', () => {
  it('opens several, each once', () => {
    let list = withTrend([], 'a', 1);
    list = withTrend(list, 'b', 2);
    list = withTrend(list, 'a', 3);
    expect(list).toEqual([
      { key: 1, signal: 'a' },
      { key: 2, signal: 'b' },
    ]);
  });

  it('closes the one asked for', () => {
    expect(
      withoutTrend(
        [
          { key: 1, signal: 'a' },
          { key: 2, signal: 'b' },
        ],
        1,
      ),
    ).toEqual([{ key: 2, signal: 'b' }]);
  });

  it('drops the oldest beyond the cap', () => {
    let list: ReturnType<typeof withTrend> = [];
    for (let i = 0; i <= MAX_AD_HOC; i++) list = withTrend(list, `s${i}`, i);
    expect(list).toHaveLength(MAX_AD_HOC);
    expect(list[0].signal).toBe('s1');
  });
});
