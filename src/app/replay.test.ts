import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTwin, signal } from '../engine/testTwins';
import { telemetry } from '../store/telemetry';
import { useTimeCursor } from '../store/timeCursor';
import { useAlarms } from '../store/alarms';
import { useApp } from '../store/app';
import { startTimeTravel, useReplay } from './replay';
import type { FetchLike } from './timelineHistory';

const twin = makeTwin({
  signals: [signal('a', 't/a'), signal('b', 't/b')],
  rules: [{ id: 'hot', when: 'a > 50', priority: 'high', message: 'A hot', asset: 'site/A' }],
});
const NOW = 10_000_000;
const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

let stop: (() => void) | null = null;
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  telemetry.reset();
  telemetry.addSignals([
    { index: 0, id: 'a', def: 0, label: 'a', unit: '' },
    { index: 1, id: 'b', def: 1, label: 'b', unit: '' },
  ]);
  telemetry.online = true;
  // a: 20 a minute ago, 70 now; b only now (its history does not reach back a minute).
  telemetry.applyBatch({
    type: 'batch',
    samples: new Float64Array([0, 20, NOW - 60_000, 0, 70, NOW, 1, 5, NOW]),
    count: 3,
  });
  useAlarms.setState({
    audit: [{ t: NOW - 1000, alarmId: 'hot', event: 'raise', state: 'active', priority: 'high', value: 70 }],
  });
  useReplay.setState({ alarms: null, historian: 'checking', historianTransitions: [], recording: null, notice: null });
  useTimeCursor.getState().goLive();
});
afterEach(() => {
  stop?.();
  stop = null;
  vi.useRealTimers();
});

describe('time travel', () => {
  it('shows the moment from the tab’s history, fills the rest from the historian’s snapshot, and goes back live', async () => {
    const asked: string[] = [];
    const fetchImpl: FetchLike = (url) => {
      asked.push(url);
      if (url.includes('/snapshot')) return json({ values: [{ signal: 'b', t: NOW - 90_000, v: 3, quality: 0 }] });
      return json({ transitions: [] });
    };
    stop = startTimeTravel(twin, fetchImpl);
    useTimeCursor.getState().seek(NOW - 30_000);
    expect(telemetry.value('a')).toBe(20);
    expect(telemetry.value('b')).toBeNaN();
    expect(useReplay.getState().alarms).toEqual([]);
    await vi.advanceTimersByTimeAsync(200); // the snapshot is asked once the cursor rests
    expect(asked.some((u) => u.includes(`/snapshot?twin=t&at=${NOW - 30_000}`))).toBe(true);
    expect(telemetry.value('b')).toBe(3);

    useTimeCursor.getState().seek(NOW - 500);
    expect(useReplay.getState().alarms?.map((a) => [a.id, a.state])).toEqual([['hot', 'active']]);
    expect(useApp.getState().alarms.map((a) => a.id)).toEqual(['hot']);

    useTimeCursor.getState().goLive();
    expect(telemetry.replayAt).toBeNull();
    expect(telemetry.value('a')).toBe(70);
    expect(useReplay.getState().alarms).toBeNull();
  });

  it('with no historian, says so and replays from the tab alone', async () => {
    const fetchImpl: FetchLike = () => json({ error: { code: 'unavailable', message: 'no' } }, 503);
    stop = startTimeTravel(twin, fetchImpl);
    await vi.advanceTimersByTimeAsync(10);
    expect(useReplay.getState().historian).toBe('absent');
    useTimeCursor.getState().seek(NOW - 30_000);
    expect(telemetry.value('a')).toBe(20);
  });
});
