import { afterEach, describe, expect, it } from 'vitest';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { useTimeCursor } from '../store/timeCursor';
import { startEmbedBridge, type EmbedCounters } from './embedBridge';

const HOST = 'https://portal.example';
const twin = {
  id: 't',
  title: 'T',
  views: [{ id: 'west', camera: { position: [0, 0, 0], target: [0, 0, 0] } }],
  assets: [],
} as unknown as Twin;

/** A window in a frame: its parent records what is posted to it, and messages can be delivered. */
function fakeFramedWindow() {
  const posted: { data: unknown; target: string }[] = [];
  const parent = { postMessage: (data: unknown, target: string) => posted.push({ data, target }) };
  let listener: ((e: MessageEvent) => void) | null = null;
  const win = {
    parent,
    addEventListener: (_: string, l: (e: MessageEvent) => void) => (listener = l),
    removeEventListener: () => (listener = null),
  } as unknown as Window;
  const deliver = (origin: string, data: unknown, source: unknown = parent) =>
    listener?.({ origin, data, source } as MessageEvent);
  return { win, posted, deliver };
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  useApp.setState({ selected: null });
});

describe('embed bridge', () => {
  it('sends ready to each allowed origin by name, never "*"', () => {
    const { win, posted } = fakeFramedWindow();
    stop = startEmbedBridge(
      twin,
      { view: null, panels: [], readOnly: true },
      [HOST, 'https://b.example'],
      () => {},
      win,
    );
    expect(posted.filter((p) => (p.data as { type: string }).type === 'twinview:ready').map((p) => p.target)).toEqual([
      HOST,
      'https://b.example',
    ]);
    expect(posted.some((p) => p.target === '*')).toBe(false);
  });

  it('applies a command from the parent on an allowed origin and reports the selection', () => {
    const { win, posted, deliver } = fakeFramedWindow();
    stop = startEmbedBridge(twin, { view: null, panels: [], readOnly: true }, [HOST], () => {}, win);
    deliver(HOST, { type: 'twinview:select', path: 'lab/Pump' });
    expect(useApp.getState().selected).toBe('lab/Pump');
    expect(posted.at(-1)).toEqual({ data: { type: 'twinview:selection-changed', path: 'lab/Pump' }, target: HOST });
  });

  it('ignores and counts another origin, or an allowed origin from another window; answers nothing', () => {
    const { win, posted, deliver } = fakeFramedWindow();
    const counts: EmbedCounters[] = [];
    stop = startEmbedBridge(twin, { view: null, panels: [], readOnly: true }, [HOST], (c) => counts.push(c), win);
    const before = posted.length;
    deliver('https://evil.example', { type: 'twinview:select', path: 'lab/Pump' });
    deliver(HOST, { type: 'twinview:select', path: 'lab/Pump' }, { postMessage() {} });
    expect(useApp.getState().selected).toBeNull();
    expect(counts.at(-1)).toEqual({ ignored: 2, refused: 0 });
    expect(posted.length).toBe(before);
  });

  it('answers a refused command to the asking origin and counts it', () => {
    const { win, posted, deliver } = fakeFramedWindow();
    const counts: EmbedCounters[] = [];
    stop = startEmbedBridge(twin, { view: null, panels: [], readOnly: true }, [HOST], (c) => counts.push(c), win);
    deliver(HOST, { type: 'twinview:acknowledge', alarmId: 'a' });
    expect(posted.at(-1)).toEqual({
      data: {
        type: 'twinview:error',
        command: 'twinview:acknowledge',
        reason: 'this twin does not let the host acknowledge alarms',
      },
      target: HOST,
    });
    expect(counts.at(-1)).toEqual({ ignored: 0, refused: 1 });
  });
});

describe('embed bridge: time', () => {
  it('applies a host’s time range to the cursor and tells it the cursor changed', () => {
    const { win, posted, deliver } = fakeFramedWindow();
    stop = startEmbedBridge(twin, { view: null, panels: [], readOnly: true }, [HOST], () => {}, win);
    const from = Date.now() - 3_600_000;
    deliver(HOST, { type: 'twinview:set-time-range', from, to: from + 600_000, at: from + 60_000 });
    expect(useTimeCursor.getState()).toMatchObject({
      mode: 'replay',
      at: from + 60_000,
      range: { from, to: from + 600_000 },
    });
    const events = posted.map((p) => p.data as { type: string; mode?: string; at?: number });
    expect(events.filter((e) => e.type === 'twinview:time-changed').at(-1)).toMatchObject({
      mode: 'replay',
      at: from + 60_000,
    });
    deliver(HOST, { type: 'twinview:live' });
    expect(useTimeCursor.getState()).toMatchObject({ mode: 'live', range: null });
    expect(posted.at(-1)).toMatchObject({ target: HOST, data: { type: 'twinview:time-changed', mode: 'live' } });
  });

  it('answers a bad range with the reason and leaves the cursor alone', () => {
    const { win, posted, deliver } = fakeFramedWindow();
    stop = startEmbedBridge(twin, { view: null, panels: [], readOnly: true }, [HOST], () => {}, win);
    deliver(HOST, { type: 'twinview:set-time-range', from: 5, to: 1 });
    expect(useTimeCursor.getState().mode).toBe('live');
    expect(posted.at(-1)).toMatchObject({
      target: HOST,
      data: { type: 'twinview:error', command: 'twinview:set-time-range', reason: 'from must be before to' },
    });
  });
});
