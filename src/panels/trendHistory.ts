/**
 * The trend's client of the history API (docs/history.md): series, alarm transitions, forecast
 * errors and the export recording. Every answer is checked before use; no historian (404, 502, 503,
 * a network error) is `unavailable`, which the panel shows as "history not available" while it keeps
 * drawing the tab's own data. Pure apart from the `fetch` passed in.
 */
import type { ChartPoint } from './trendData';
import type { AlarmTransition } from './trendAlarms';

import { historyGet, historyUrl, type FetchLike, type HistoryAnswer } from '../lib/historyApi';

export { fetchExport, HISTORY_API as HISTORY_BASE } from '../lib/historyApi';
export type HistoryResult<T> = HistoryAnswer<T>;
export type Fetch = FetchLike;

const getJson = (fetchImpl: Fetch, url: string, signal?: AbortSignal) => historyGet(fetchImpl, url, true, signal);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const bad = (message: string): HistoryResult<never> => ({ ok: false, kind: 'error', message });

/** Checks a series answer: `{ series: [{ signal, points: [{ t, v }] }] }` with v a number or null. */
export function parseSeries(body: unknown): HistoryResult<Map<string, ChartPoint[]>> {
  if (!isObject(body) || !Array.isArray(body.series)) return bad('history answer without "series"');
  const out = new Map<string, ChartPoint[]>();
  for (const s of body.series as unknown[]) {
    if (!isObject(s) || typeof s.signal !== 'string' || !Array.isArray(s.points))
      return bad('history series without "signal" and "points"');
    const points: ChartPoint[] = [];
    for (const p of s.points as unknown[]) {
      if (!isObject(p) || typeof p.t !== 'number' || !Number.isFinite(p.t)) return bad('history point without a time');
      if (p.v !== null && (typeof p.v !== 'number' || !Number.isFinite(p.v)))
        return bad('history point value not a number');
      points.push({ t: p.t, v: p.v });
    }
    points.sort((a, b) => a.t - b.t);
    out.set(s.signal, points);
  }
  return { ok: true, value: out };
}

export async function fetchSeries(
  fetchImpl: Fetch,
  q: { twin: string; signals: readonly string[]; from: number; to: number; points: number },
  signal?: AbortSignal,
): Promise<HistoryResult<Map<string, ChartPoint[]>>> {
  const url = historyUrl('series', {
    twin: q.twin,
    signals: q.signals.join(','),
    from: Math.floor(q.from),
    to: Math.ceil(q.to),
    points: Math.max(1, Math.round(q.points)),
  });
  const res = await getJson(fetchImpl, url, signal);
  return res.ok ? parseSeries(res.value) : res;
}

const EVENTS = new Set(['raise', 'clear', 'acknowledge', 'reset', 'shelve', 'unshelve', 'shelve-expired']);

/** Checks an alarms answer; transitions of kinds a trend does not use are dropped, not refused. */
export function parseAlarms(body: unknown): HistoryResult<AlarmTransition[]> {
  if (!isObject(body) || !Array.isArray(body.transitions)) return bad('history answer without "transitions"');
  const out: AlarmTransition[] = [];
  for (const e of body.transitions as unknown[]) {
    if (!isObject(e) || typeof e.t !== 'number' || typeof e.alarmId !== 'string' || typeof e.event !== 'string')
      continue;
    if (!EVENTS.has(e.event)) continue;
    out.push({
      t: e.t,
      alarmId: e.alarmId,
      event: e.event as AlarmTransition['event'],
      state: (typeof e.state === 'string' ? e.state : 'active') as AlarmTransition['state'],
      priority: (typeof e.priority === 'string' ? e.priority : 'medium') as AlarmTransition['priority'],
    });
  }
  return { ok: true, value: out };
}

export async function fetchAlarms(
  fetchImpl: Fetch,
  q: { twin: string; from: number; to: number },
  signal?: AbortSignal,
): Promise<HistoryResult<AlarmTransition[]>> {
  const url = historyUrl('alarms', { twin: q.twin, from: Math.floor(q.from), to: Math.ceil(q.to) });
  const res = await getJson(fetchImpl, url, signal);
  return res.ok ? parseAlarms(res.value) : res;
}

/** A signal's past forecast accuracy: mean absolute error over n forecasts. */
export interface ForecastError {
  signal: string;
  rule: string;
  n: number;
  meanAbsError: number;
}

export function parseForecasts(body: unknown): HistoryResult<ForecastError[]> {
  if (!isObject(body) || !Array.isArray(body.forecasts)) return bad('history answer without "forecasts"');
  const out: ForecastError[] = [];
  for (const f of body.forecasts as unknown[]) {
    if (!isObject(f) || typeof f.signal !== 'string' || typeof f.rule !== 'string') continue;
    if (typeof f.n !== 'number' || typeof f.meanAbsError !== 'number' || !Number.isFinite(f.meanAbsError)) continue;
    out.push({ signal: f.signal, rule: f.rule, n: f.n, meanAbsError: f.meanAbsError });
  }
  return { ok: true, value: out };
}

export async function fetchForecasts(
  fetchImpl: Fetch,
  q: { twin: string; signals: readonly string[]; from: number; to: number },
  signal?: AbortSignal,
): Promise<HistoryResult<ForecastError[]>> {
  const url = historyUrl('forecasts', {
    twin: q.twin,
    signals: q.signals.join(','),
    from: Math.floor(q.from),
    to: Math.ceil(q.to),
  });
  const res = await getJson(fetchImpl, url, signal);
  return res.ok ? parseForecasts(res.value) : res;
}
