/**
 * The page's transport to the history API (docs/history.md), shared by the trends and the time cursor.
 * "No historian here" (404, 502, 503, 504, a network error, a page instead of JSON) is `unavailable`:
 * the dashboard then works on the tab's own history and says so; a question the historian refused is
 * `error`, with its reason. Pure apart from the `fetch` passed in.
 */
export const HISTORY_API = '/api/history/v1';

export type HistoryAnswer<T> = { ok: true; value: T } | { ok: false; kind: 'unavailable' | 'error'; message: string };
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Status codes that mean "no historian here" rather than "the historian refused the question". */
const UNAVAILABLE = new Set([404, 502, 503, 504]);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** The API's path with its query, every value encoded. */
export function historyUrl(endpoint: string, params: Record<string, string | number>): string {
  const q = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${HISTORY_API}/${endpoint}?${q}`;
}

/** GETs `url`: its JSON body (`json`), or its text. */
export async function historyGet(
  fetchImpl: FetchLike,
  url: string,
  json: boolean,
  signal?: AbortSignal,
): Promise<HistoryAnswer<unknown>> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, kind: 'unavailable', message: 'history service not reachable' };
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  if (json || !res.ok) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const error = isObject(body) && isObject(body.error) ? body.error : null;
    const message = error && typeof error.message === 'string' ? error.message : `HTTP ${res.status}`;
    return { ok: false, kind: UNAVAILABLE.has(res.status) ? 'unavailable' : 'error', message };
  }
  const type = res.headers.get('content-type') ?? '';
  // A single-page fallback answering 200 with index.html is no historian.
  if (type.includes('text/html')) return { ok: false, kind: 'unavailable', message: 'history service not found' };
  if (!json) return { ok: true, value: text };
  if (body === null) return { ok: false, kind: 'unavailable', message: 'history service answered no JSON' };
  return { ok: true, value: body };
}

/** The historian's JSONL recording of a range, as text. */
export function fetchExport(
  fetchImpl: FetchLike,
  q: { twin: string; from: number; to: number },
  signal?: AbortSignal,
): Promise<HistoryAnswer<string>> {
  const url = historyUrl('export', { twin: q.twin, from: Math.floor(q.from), to: Math.ceil(q.to) });
  return historyGet(fetchImpl, url, false, signal) as Promise<HistoryAnswer<string>>;
}
