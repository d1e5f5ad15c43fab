/**
 * The trend's client of the history API (docs/history.md): series, alarm transitions, forecast
 * errors and the export recording. Every answer is checked before use; no historian (404, 502, 503,
 * a network error) is `unavailable`, which the panel shows as "history not available" while it keeps
 * drawing the tab's own data. Pure apart from the `fetch` passed in.
 */
import type { ChartPoint } from './trendData';
import type { AlarmTransition } from './trendAlarms';

export const HISTORY_BASE = '/api/history/v1';

export type HistoryResult<T> = { ok: true; value: T } | { ok: false; kind: 'unavailable' | 'error'; message: string };

export type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

function query(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** Status codes that mean "no historian here" rather than "the historian refused the question". */
const UNAVAILABLE = new Set([404, 502, 503, 504]);

async function getJson(fetchImpl: Fetch, url: string, signal?: AbortSignal): Promise<HistoryResult<unknown>> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, kind: 'unavailable', message: 'history service not reachable' };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const message = errorMessage(body) ?? `HTTP ${res.status}`;
    return { ok: false, kind: UNAVAILABLE.has(res.status) ? 'unavailable' : 'error', message };
  }
  // A page served instead of the API (an SPA fallback answering 200 with HTML) is no historian either.
  if (body === null) return { ok: false, kind: 'unavailable', message: 'history service answered no JSON' };
  return { ok: true, value: body };
}

function errorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const m = (error as { message?: unknown }).message;
  return typeof m === 'string' ? m : null;
}

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
  const url = `${HISTORY_BASE}/series?${query({
    twin: q.twin,
    signals: q.signals.join(','),
    from: Math.floor(q.from),
    to: Math.ceil(q.to),
    points: Math.max(1, Math.round(q.points)),
  })}`;
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
  const url = `${HISTORY_BASE}/alarms?${query({ twin: q.twin, from: Math.floor(q.from), to: Math.ceil(q.to) })}`;
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
  const url = `${HISTORY_BASE}/forecasts?${query({
    twin: q.twin,
    signals: q.signals.join(','),
    from: Math.floor(q.from),
    to: Math.ceil(q.to),
  })}`;
  const res = await getJson(fetchImpl, url, signal);
  return res.ok ? parseForecasts(res.value) : res;
}

/** The export endpoint's JSONL recording of a range, as text (the what-if parses it). */
export async function fetchExport(
  fetchImpl: Fetch,
  q: { twin: string; from: number; to: number },
  signal?: AbortSignal,
): Promise<HistoryResult<string>> {
  const url = `${HISTORY_BASE}/export?${query({ twin: q.twin, from: Math.floor(q.from), to: Math.ceil(q.to) })}`;
  let res: Response;
  try {
    res = await fetchImpl(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, kind: 'unavailable', message: 'history service not reachable' };
  }
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return {
      ok: false,
      kind: UNAVAILABLE.has(res.status) ? 'unavailable' : 'error',
      message: errorMessage(body) ?? `HTTP ${res.status}`,
    };
  }
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html'))
    return { ok: false, kind: 'unavailable', message: 'history service answered no recording' };
  return { ok: true, value: await res.text() };
}
