import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../engine/protocol';
import {
  alarmEvents,
  embedSettings,
  parseEmbedMessage,
  readyEvent,
  timeChangedEvent,
  type EmbedContext,
} from './embedApi';
import type { Twin } from '../twin/schema';

const ctx: EmbedContext = { viewIds: ['west', 'east'], hostMayAcknowledge: true, readOnly: false };

describe('parseEmbedMessage', () => {
  it('accepts a selection of a part, or null to clear it', () => {
    expect(parseEmbedMessage({ type: 'twinview:select', path: 'lab/Pump' }, ctx)).toEqual({
      kind: 'command',
      command: { type: 'twinview:select', path: 'lab/Pump' },
    });
    expect(parseEmbedMessage({ type: 'twinview:select', path: null, version: 1 }, ctx).kind).toBe('command');
  });

  it('refuses a view the twin does not have, a wrong version and unexpected fields', () => {
    expect(parseEmbedMessage({ type: 'twinview:set-view', view: 'north' }, ctx)).toMatchObject({
      reason: 'no such view',
    });
    expect(parseEmbedMessage({ type: 'twinview:set-view', view: 'west', version: 2 }, ctx).kind).toBe('invalid');
    expect(parseEmbedMessage({ type: 'twinview:select', path: 'a', extra: 1 }, ctx).kind).toBe('invalid');
    expect(parseEmbedMessage({ type: 'twinview:select', path: 'x'.repeat(501) }, ctx).kind).toBe('invalid');
    expect(parseEmbedMessage({ type: 'twinview:select', path: 42 }, ctx).kind).toBe('invalid');
  });

  it('accepts only the known themes', () => {
    expect(parseEmbedMessage({ type: 'twinview:set-theme', theme: 'dark' }, ctx).kind).toBe('command');
    expect(parseEmbedMessage({ type: 'twinview:set-theme', theme: '<b>x</b>' }, ctx).kind).toBe('invalid');
  });

  it('lets the host acknowledge only when the twin allows it and the embed is not read-only', () => {
    const ack = { type: 'twinview:acknowledge', alarmId: 'pump.hot', comment: 'seen' };
    expect(parseEmbedMessage(ack, ctx)).toEqual({
      kind: 'command',
      command: { type: 'twinview:acknowledge', alarmId: 'pump.hot', comment: 'seen' },
    });
    expect(parseEmbedMessage(ack, { ...ctx, hostMayAcknowledge: false })).toMatchObject({
      kind: 'invalid',
      reason: 'this twin does not let the host acknowledge alarms',
    });
    expect(parseEmbedMessage(ack, { ...ctx, readOnly: true }).kind).toBe('invalid');
  });

  it('leaves other messages (not objects, other protocols, the credentials) alone and names unknown types', () => {
    for (const data of [null, 'twinview:select', [1], { type: 'other' }, { type: 'twinview:credentials' }])
      expect(parseEmbedMessage(data, ctx)).toEqual({ kind: 'other' });
    expect(parseEmbedMessage({ type: 'twinview:explode' }, ctx)).toMatchObject({ reason: 'unknown message type' });
  });
});

const alarm = (state: AlarmSnapshot['state'], raisedAt = 1): AlarmSnapshot => ({
  id: 'pump.hot',
  message: 'Pump bearing hot',
  priority: 'high',
  asset: 'lab/Pump',
  signal: 'pump.temp',
  state,
  value: 80,
  raisedAt,
});

describe('alarmEvents', () => {
  const types = (prev: AlarmSnapshot[], next: AlarmSnapshot[]) => alarmEvents(prev, next).map((e) => e.type);

  it('reports a raise, an acknowledgement and a clear once each', () => {
    expect(types([], [alarm('active')])).toEqual(['twinview:alarm-raised']);
    expect(types([alarm('active')], [alarm('active')])).toEqual([]);
    expect(types([alarm('active')], [alarm('acknowledged')])).toEqual(['twinview:alarm-acknowledged']);
    expect(types([alarm('acknowledged')], [])).toEqual(['twinview:alarm-cleared']);
    expect(types([alarm('active')], [alarm('cleared-unacknowledged')])).toEqual(['twinview:alarm-cleared']);
    // Cleared, then acknowledged: it returns to normal and leaves the list.
    expect(types([alarm('cleared-unacknowledged')], [])).toEqual(['twinview:alarm-acknowledged']);
  });

  it('reports a new raising of the same rule, and says nothing about shelving', () => {
    expect(types([alarm('acknowledged', 1)], [alarm('active', 2)])).toEqual(['twinview:alarm-raised']);
    expect(types([alarm('active')], [alarm('shelved')])).toEqual([]);
  });
});

describe('embedSettings and readyEvent', () => {
  it('reads the view, the panels and read-only from the URL', () => {
    expect(embedSettings(new URLSearchParams(''), ['west'])).toEqual({
      view: null,
      panels: ['alarms'],
      readOnly: true,
    });
    expect(embedSettings(new URLSearchParams('view=west&panels=inspector,bogus,values&readonly=0'), ['west'])).toEqual({
      view: 'west',
      panels: ['inspector', 'values'],
      readOnly: false,
    });
    expect(embedSettings(new URLSearchParams('view=nope&panels=none'), ['west'])).toMatchObject({
      view: null,
      panels: [],
    });
  });

  it('hands the host the API version, views and assets', () => {
    const twin = {
      id: 't',
      title: 'T',
      views: [{ id: 'west', camera: { position: [0, 0, 0], target: [0, 0, 0] } }],
      assets: [{ id: 'lab', label: 'Lab' }],
      embed: { hostMayAcknowledge: true },
    } as unknown as Twin;
    expect(readyEvent(twin, true)).toEqual({
      type: 'twinview:ready',
      version: 1,
      twin: { id: 't', title: 'T' },
      views: [{ id: 'west', label: 'west' }],
      assets: [{ id: 'lab', label: 'Lab' }],
      hostMayAcknowledge: true,
      readOnly: true,
    });
  });
});

describe('set-time-range and live', () => {
  const range = (extra: Record<string, unknown>) =>
    parseEmbedMessage({ type: 'twinview:set-time-range', ...extra }, ctx);

  it('accepts a range in ms, with an optional moment within it', () => {
    expect(range({ from: 1000, to: 2000 })).toEqual({
      kind: 'command',
      command: { type: 'twinview:set-time-range', from: 1000, to: 2000 },
    });
    expect(range({ from: 1000, to: 2000, at: 1500 })).toMatchObject({ command: { at: 1500 } });
    expect(parseEmbedMessage({ type: 'twinview:live' }, ctx)).toEqual({
      kind: 'command',
      command: { type: 'twinview:live' },
    });
  });

  it('refuses what is not a usable range, saying why', () => {
    expect(range({ from: '1000', to: 2000 })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/ms since the epoch/),
    });
    expect(range({ from: Number.NaN, to: 2000 }).kind).toBe('invalid');
    expect(range({ from: 2000, to: 2000 })).toMatchObject({ reason: 'from must be before to' });
    expect(range({ from: 0, to: 32 * 86_400_000 })).toMatchObject({
      reason: expect.stringMatching(/longer than 31 days/),
    });
    expect(range({ from: 1000, to: 2000, at: 3000 })).toMatchObject({ reason: 'at must be a time within the range' });
    expect(range({ from: 1000, to: 2000, zoom: 2 })).toMatchObject({ reason: 'unexpected field' });
    expect(parseEmbedMessage({ type: 'twinview:live', now: true }, ctx).kind).toBe('invalid');
  });
});

describe('time-changed events', () => {
  const live = { mode: 'live' as const, at: 1000, range: null, playing: false };
  it('tells the host when the cursor leaves live, moves, plays or returns; not for the live clock', () => {
    expect(timeChangedEvent(live, { ...live, at: 2000 }, 5000)).toBeNull();
    const replay = { mode: 'replay' as const, at: 500, range: { from: 100, to: 900 }, playing: false };
    expect(timeChangedEvent(live, replay, 0)).toEqual({ type: 'twinview:time-changed', ...replay });
    expect(timeChangedEvent(replay, { ...replay, at: 600 }, 0)).toMatchObject({ at: 600 });
    expect(timeChangedEvent(replay, live, 0)).toMatchObject({ mode: 'live', range: null });
  });

  it('reports playback at most once a second', () => {
    const playing = { mode: 'replay' as const, at: 500, range: null, playing: true };
    expect(timeChangedEvent(playing, { ...playing, at: 750 }, 250)).toBeNull();
    expect(timeChangedEvent(playing, { ...playing, at: 1500 }, 1000)).toMatchObject({ at: 1500 });
    expect(timeChangedEvent(playing, { ...playing, playing: false }, 10)).toMatchObject({ playing: false });
  });
});
