import { describe, expect, it } from 'vitest';
import { validateTwin } from './validate';

const twin = (kiosk: unknown) => ({
  id: 'wall',
  title: 'Wall',
  connection: { url: 'ws://127.0.0.1:9001', subscribe: ['site/#'] },
  views: [
    { id: 'overview', camera: { position: [5, 5, 5], target: [0, 0, 0] } },
    { id: 'pumps', camera: { position: [2, 2, 2], target: [0, 0, 0] } },
  ],
  kiosk,
});

const problems = (kiosk: unknown) => {
  const result = validateTwin(twin(kiosk));
  return result.ok ? [] : result.problems;
};

describe('twin kiosk field', () => {
  it('accepts a playlist of existing views with a cycle time, and fills the defaults', () => {
    const result = validateTwin(twin({ playlist: ['overview', 'pumps'], cycle: '20s' }));
    expect(result.ok && result.twin.kiosk).toEqual({ playlist: ['overview', 'pumps'], cycle: '20s', takeover: '30s' });
  });

  it('names a playlist entry that is not a view of the twin', () => {
    expect(problems({ playlist: ['overview', 'pumsp'] })).toEqual([
      { path: '$.kiosk.playlist[1]', message: 'unknown view "pumsp"' },
    ]);
  });

  it('refuses an empty playlist, a bad duration, a cycle under a second and unknown fields', () => {
    expect(problems({ playlist: [] }).map((p) => p.path)).toEqual(['$.kiosk.playlist']);
    expect(problems({ cycle: 'often' }).map((p) => p.path)).toEqual(['$.kiosk.cycle']);
    expect(problems({ cycle: '200ms' })).toEqual([{ path: '$.kiosk.cycle', message: 'cycle must be at least 1s' }]);
    expect(problems({ cursor: true })).toEqual([{ path: '$.kiosk.cursor', message: 'unknown field "cursor"' }]);
  });
});
