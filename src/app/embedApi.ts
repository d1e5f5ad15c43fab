/**
 * The embed postMessage API (`?mode=embed`), version 1: the messages a host page may send the
 * dashboard, the ones the dashboard sends back, and their validation. Pure (no DOM): the wiring is in
 * embedBridge.ts; the contract is documented in docs/embedding.md.
 */
import type { AlarmSnapshot, ConnectionStatus } from '../engine/protocol';
import type { Twin } from '../twin/schema';
import { THEMES, type Theme } from '../scene/theme';

export const EMBED_API_VERSION = 1;
/** Every API message's type starts with this; other messages (such as the credentials) are not ours. */
export const EMBED_PREFIX = 'twinview:';

/** Panels an embedding page may ask for with `?panels=` (comma-separated). */
export const EMBED_PANELS = ['alarms', 'inspector', 'values', 'trends'] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

// ---- host → dashboard -------------------------------------------------------------------------

export type EmbedCommand =
  | { type: 'twinview:select'; path: string | null }
  | { type: 'twinview:set-view'; view: string }
  | { type: 'twinview:set-theme'; theme: Theme }
  | { type: 'twinview:acknowledge'; alarmId: string; comment?: string }
  /** Shows a past time range: the data views span it and the page replays moment `at` (default `to`). */
  | { type: 'twinview:set-time-range'; from: number; to: number; at?: number }
  /** Back to live data. */
  | { type: 'twinview:live' };

// ---- dashboard → host -------------------------------------------------------------------------

export interface EmbedAlarm {
  id: string;
  message: string;
  priority: string;
  state: string;
  asset: string | null;
}

export type EmbedEvent =
  | {
      type: 'twinview:ready';
      version: number;
      twin: { id: string; title: string };
      views: { id: string; label: string }[];
      assets: { id: string; label: string }[];
      hostMayAcknowledge: boolean;
      readOnly: boolean;
    }
  | { type: 'twinview:selection-changed'; path: string | null }
  | { type: 'twinview:alarm-raised' | 'twinview:alarm-acknowledged' | 'twinview:alarm-cleared'; alarm: EmbedAlarm }
  | { type: 'twinview:connection-changed'; state: ConnectionStatus['state'] | 'none' }
  /**
   * The time cursor moved: live or replay, the moment shown (ms since the epoch), the range set (or
   * null) and whether it plays. Sent on every change of mode, range or playing, and of the moment
   * while replaying (at most once a second during playback); not for the clock ticking while live.
   */
  | {
      type: 'twinview:time-changed';
      mode: 'live' | 'replay';
      at: number;
      range: { from: number; to: number } | null;
      playing: boolean;
    }
  /** The answer to a command from an allowed origin that was refused; `command` echoes its type. */
  | { type: 'twinview:error'; command: string; reason: string };

/** What the embedded page knows when it checks a command. */
export interface EmbedContext {
  viewIds: readonly string[];
  hostMayAcknowledge: boolean;
  readOnly: boolean;
}

export type ParsedMessage =
  | { kind: 'command'; command: EmbedCommand }
  | { kind: 'invalid'; command: string; reason: string }
  /** Not an API message (another protocol, such as the credentials): left to its own listener. */
  | { kind: 'other' };

/** The longest time range a host may set (the historian keeps about this much by default). */
export const MAX_TIME_RANGE_MS = 31 * 24 * 3_600_000;

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Longest string field accepted; a path or id is short, anything longer is a mistake or an attack. */
const MAX_STRING = 500;

function shortString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_STRING;
}

/**
 * Checks a message from an allowed origin. Every field is checked; unknown fields are refused so a
 * host's typo does not pass unnoticed. `version`, when given, must be this API's.
 */
export function parseEmbedMessage(data: unknown, ctx: EmbedContext): ParsedMessage {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { kind: 'other' };
  const msg = data as Record<string, unknown>;
  const type = msg.type;
  if (typeof type !== 'string' || !type.startsWith(EMBED_PREFIX)) return { kind: 'other' };
  const invalid = (reason: string): ParsedMessage => ({ kind: 'invalid', command: type.slice(0, 100), reason });
  const allowedKeys = (...keys: string[]) =>
    Object.keys(msg).every((k) => k === 'type' || k === 'version' || keys.includes(k));
  if (msg.version !== undefined && msg.version !== EMBED_API_VERSION)
    return invalid(`unsupported API version (this dashboard speaks version ${EMBED_API_VERSION})`);
  switch (type) {
    case 'twinview:select':
      if (!allowedKeys('path')) return invalid('unexpected field');
      if (msg.path !== null && !shortString(msg.path)) return invalid('path must be a scene node path or null');
      return { kind: 'command', command: { type, path: msg.path } };
    case 'twinview:set-view':
      if (!allowedKeys('view')) return invalid('unexpected field');
      if (!shortString(msg.view) || !ctx.viewIds.includes(msg.view)) return invalid('no such view');
      return { kind: 'command', command: { type, view: msg.view } };
    case 'twinview:set-theme':
      if (!allowedKeys('theme')) return invalid('unexpected field');
      if (typeof msg.theme !== 'string' || !(THEMES as readonly string[]).includes(msg.theme))
        return invalid(`theme must be one of ${THEMES.join(', ')}`);
      return { kind: 'command', command: { type, theme: msg.theme as Theme } };
    case 'twinview:acknowledge': {
      if (!allowedKeys('alarmId', 'comment')) return invalid('unexpected field');
      if (!ctx.hostMayAcknowledge) return invalid('this twin does not let the host acknowledge alarms');
      if (ctx.readOnly) return invalid('the dashboard is embedded read-only');
      if (!shortString(msg.alarmId)) return invalid('alarmId must be an alarm id');
      if (msg.comment !== undefined && (typeof msg.comment !== 'string' || msg.comment.length > MAX_STRING))
        return invalid('comment must be a string');
      const command: EmbedCommand = { type, alarmId: msg.alarmId };
      if (typeof msg.comment === 'string' && msg.comment !== '') command.comment = msg.comment;
      return { kind: 'command', command };
    }
    case 'twinview:set-time-range': {
      if (!allowedKeys('from', 'to', 'at')) return invalid('unexpected field');
      if (!isTime(msg.from) || !isTime(msg.to)) return invalid('from and to must be times in ms since the epoch');
      if (msg.from >= msg.to) return invalid('from must be before to');
      if (msg.to - msg.from > MAX_TIME_RANGE_MS)
        return invalid(`the range is longer than ${MAX_TIME_RANGE_MS / 86_400_000} days`);
      if (msg.at !== undefined && (!isTime(msg.at) || msg.at < msg.from || msg.at > msg.to))
        return invalid('at must be a time within the range');
      const command: EmbedCommand = { type, from: msg.from, to: msg.to };
      if (msg.at !== undefined) command.at = msg.at;
      return { kind: 'command', command };
    }
    case 'twinview:live':
      if (!allowedKeys()) return invalid('unexpected field');
      return { kind: 'command', command: { type } };
    default:
      // The credentials message has its own listener (hostCredentials.ts); it is not an error here.
      return type === 'twinview:credentials' ? { kind: 'other' } : invalid('unknown message type');
  }
}

/** The handshake the dashboard sends once the twin is on screen. */
export function readyEvent(twin: Twin, readOnly: boolean): EmbedEvent {
  return {
    type: 'twinview:ready',
    version: EMBED_API_VERSION,
    twin: { id: twin.id, title: twin.title },
    views: twin.views.map((v) => ({ id: v.id, label: v.label ?? v.id })),
    assets: twin.assets.map((a) => ({ id: a.id, label: a.label ?? a.id })),
    hostMayAcknowledge: twin.embed?.hostMayAcknowledge ?? false,
    readOnly,
  };
}

/** What the host hears of the time cursor. */
export interface CursorView {
  mode: 'live' | 'replay';
  at: number;
  range: { from: number; to: number } | null;
  playing: boolean;
}

/** While playing, the moment is reported at most this often. */
export const TIME_EVENT_EVERY_MS = 1000;

/**
 * The time-changed event for a cursor change, or null when the host need not hear it: the clock
 * ticking while live, or playback moving on within TIME_EVENT_EVERY_MS of the last report.
 */
export function timeChangedEvent(prev: CursorView, next: CursorView, msSinceLastEvent: number): EmbedEvent | null {
  const structural =
    prev.mode !== next.mode ||
    prev.playing !== next.playing ||
    prev.range?.from !== next.range?.from ||
    prev.range?.to !== next.range?.to;
  const moved =
    next.mode === 'replay' && prev.at !== next.at && (!next.playing || msSinceLastEvent >= TIME_EVENT_EVERY_MS);
  if (!structural && !moved) return null;
  return {
    type: 'twinview:time-changed',
    mode: next.mode,
    at: next.at,
    range: next.range ? { from: next.range.from, to: next.range.to } : null,
    playing: next.playing,
  };
}

function embedAlarm(a: AlarmSnapshot): EmbedAlarm {
  return { id: a.id, message: a.message, priority: a.priority, state: a.state, asset: a.asset ?? null };
}

const ANNUNCIATED = new Set<string>(['active', 'acknowledged', 'cleared-unacknowledged']);

/**
 * What happened between two alarm lists, as host events. Raised: an alarm appears (annunciated), is
 * raised again, or becomes active again. Acknowledged: it turns acknowledged, or it was cleared and
 * unacknowledged and is gone (an acknowledgement returns it to normal). Cleared: its condition goes
 * (cleared-unacknowledged), or it leaves the list otherwise. Shelving and similar are not reported.
 */
export function alarmEvents(prev: readonly AlarmSnapshot[], next: readonly AlarmSnapshot[]): EmbedEvent[] {
  const before = new Map(prev.map((a) => [a.id, a]));
  const out: EmbedEvent[] = [];
  const emit = (type: 'raised' | 'acknowledged' | 'cleared', a: AlarmSnapshot) =>
    out.push({ type: `twinview:alarm-${type}`, alarm: embedAlarm(a) });
  for (const a of next) {
    const was = before.get(a.id);
    before.delete(a.id);
    if (!was || was.raisedAt !== a.raisedAt) {
      if (ANNUNCIATED.has(a.state)) emit('raised', a);
    } else if (was.state !== a.state) {
      if (a.state === 'active') emit('raised', a);
      else if (a.state === 'acknowledged') emit('acknowledged', a);
      else if (a.state === 'cleared-unacknowledged') emit('cleared', a);
    }
  }
  for (const a of before.values()) emit(a.state === 'cleared-unacknowledged' ? 'acknowledged' : 'cleared', a);
  return out;
}

/** The embed layout's settings from the URL: initial view, panels shown, read-only. */
export interface EmbedSettings {
  view: string | null;
  panels: EmbedPanel[];
  readOnly: boolean;
}

/**
 * `?view=<id>` (an unknown view is ignored), `?panels=alarms,inspector` (default: alarms; `none` for the
 * scene alone), `?readonly=0` to let the embedded operator act (read-only is the default).
 */
export function embedSettings(params: URLSearchParams, viewIds: readonly string[]): EmbedSettings {
  const view = params.get('view');
  const asked = params.get('panels');
  const panels =
    asked === null
      ? (['alarms'] as EmbedPanel[])
      : asked
          .split(',')
          .map((p) => p.trim())
          .filter((p): p is EmbedPanel => (EMBED_PANELS as readonly string[]).includes(p));
  const ro = params.get('readonly');
  return {
    view: view !== null && viewIds.includes(view) ? view : null,
    panels: [...new Set(panels)],
    readOnly: !(ro === '0' || ro === 'false'),
  };
}
