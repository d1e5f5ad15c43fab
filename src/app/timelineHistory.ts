/**
 * The time cursor's client of the history API (docs/history.md): alarm transitions for the timeline
 * and the replayed alarm list, the snapshot of every signal at a moment, and the export recording.
 * Every answer is checked before use. "No historian here" (404, 502, 503, 504, a network error, a page
 * instead of JSON) is `unavailable`: the dashboard then replays from the tab's own history and says so.
 */
import type { AlarmAuditEntry, AlarmEvent, AlarmState } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import type { SnapshotValue } from '../store/telemetry';

import { historyGet, historyUrl, type FetchLike, type HistoryAnswer } from '../lib/historyApi';

export { fetchExport, historyUrl, HISTORY_API, type FetchLike, type HistoryAnswer } from '../lib/historyApi';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const bad = (message: string): HistoryAnswer<never> => ({ ok: false, kind: 'error', message });

const EVENTS: ReadonlySet<string> = new Set<AlarmEvent>([
  'raise',
  'clear',
  'acknowledge',
  'reset',
  'shelve',
  'unshelve',
  'shelve-expired',
  'suppress',
  'unsuppress',
  'out-of-service',
  'return-to-service',
  'comment',
]);
const STATES: ReadonlySet<string> = new Set<AlarmState | 'normal'>([
  'normal',
  'active',
  'acknowledged',
  'cleared-unacknowledged',
  'shelved',
  'suppressed',
  'out-of-service',
]);
const PRIORITIES: ReadonlySet<string> = new Set<Priority>(['low', 'medium', 'high', 'urgent']);

/** One audit entry from outside (the API, a file), or null when it is not one. */
export function auditEntryOf(e: unknown): AlarmAuditEntry | null {
  if (!isObject(e) || typeof e.t !== 'number' || !Number.isFinite(e.t) || typeof e.alarmId !== 'string') return null;
  if (typeof e.event !== 'string' || !EVENTS.has(e.event)) return null;
  if (typeof e.state !== 'string' || !STATES.has(e.state)) return null;
  const entry: AlarmAuditEntry = {
    t: e.t,
    alarmId: e.alarmId,
    event: e.event as AlarmEvent,
    state: e.state as AlarmState | 'normal',
    priority: (typeof e.priority === 'string' && PRIORITIES.has(e.priority) ? e.priority : 'medium') as Priority,
  };
  if (typeof e.operator === 'string') entry.operator = e.operator;
  if (typeof e.comment === 'string') entry.comment = e.comment;
  if (typeof e.value === 'number') entry.value = e.value;
  return entry;
}

/** `{ transitions: [...] }`: entries that are not audit entries are dropped; the rest sorted by time. */
export function parseTransitions(body: unknown): HistoryAnswer<AlarmAuditEntry[]> {
  if (!isObject(body) || !Array.isArray(body.transitions)) return bad('history answer without "transitions"');
  const out: AlarmAuditEntry[] = [];
  for (const e of body.transitions as unknown[]) {
    const entry = auditEntryOf(e);
    if (entry) out.push(entry);
  }
  return { ok: true, value: out.sort((a, b) => a.t - b.t) };
}

/** `{ values: [{ signal, t, v, text?, quality }] }`. */
export function parseSnapshot(body: unknown): HistoryAnswer<SnapshotValue[]> {
  if (!isObject(body) || !Array.isArray(body.values)) return bad('history answer without "values"');
  const out: SnapshotValue[] = [];
  for (const x of body.values as unknown[]) {
    if (!isObject(x) || typeof x.signal !== 'string' || typeof x.t !== 'number' || !Number.isFinite(x.t))
      return bad('snapshot value without "signal" and "t"');
    if (x.v !== null && (typeof x.v !== 'number' || !Number.isFinite(x.v))) return bad('snapshot value not a number');
    const v: SnapshotValue = {
      signal: x.signal,
      t: x.t,
      v: x.v,
      quality: typeof x.quality === 'number' ? x.quality : 0,
    };
    if (typeof x.text === 'string') v.text = x.text;
    out.push(v);
  }
  return { ok: true, value: out };
}

export async function fetchTransitions(
  fetchImpl: FetchLike,
  q: { twin: string; from: number; to: number },
  signal?: AbortSignal,
): Promise<HistoryAnswer<AlarmAuditEntry[]>> {
  const url = historyUrl('alarms', { twin: q.twin, from: Math.floor(q.from), to: Math.ceil(q.to) });
  const res = await historyGet(fetchImpl, url, true, signal);
  return res.ok ? parseTransitions(res.value) : res;
}

export async function fetchSnapshot(
  fetchImpl: FetchLike,
  q: { twin: string; at: number },
  signal?: AbortSignal,
): Promise<HistoryAnswer<SnapshotValue[]>> {
  const res = await historyGet(fetchImpl, historyUrl('snapshot', { twin: q.twin, at: Math.floor(q.at) }), true, signal);
  return res.ok ? parseSnapshot(res.value) : res;
}
