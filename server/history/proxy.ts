/**
 * /api/history/ on the dashboard's own origin: forwarded to the history API (a loopback URL such as
 * http://127.0.0.1:8095, from TWINVIEW_HISTORY_API or --history-api). Without one, or when it does not
 * answer, the page gets a 503/502 JSON error and keeps working on the tab's own history.
 * A Connect-style middleware: used by the Vite plugin (vite preview, npm start) and by `npm run serve`.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';

export const HISTORY_PATH = '/api/history/';

function unavailable(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ error: { code: 'unavailable', message } }));
}

/** Checks a history API URL: http:// only (it is on loopback or a private network beside the server). */
export function historyApiUrl(value: string | undefined): URL | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`"${value}" is not a URL such as http://127.0.0.1:8095`);
  }
  if (url.protocol !== 'http:') throw new Error(`the history API URL must be http://, not "${value}"`);
  return url;
}

export function historyProxy(
  target: URL | undefined,
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    const path = req.url ?? '/';
    if (!path.startsWith(HISTORY_PATH)) return next();
    if (!target)
      return unavailable(
        res,
        503,
        'no historian is configured for this server; the dashboard shows what the tab holds',
      );
    const upstream = request(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path,
        headers: { accept: req.headers.accept ?? 'application/json' },
        timeout: 30_000,
      },
      (answer) => {
        const headers: Record<string, string> = {};
        for (const h of ['content-type', 'content-disposition', 'cache-control']) {
          const v = answer.headers[h];
          if (typeof v === 'string') headers[h] = v;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', () => {
      if (res.headersSent) return res.destroy();
      unavailable(res, 502, 'the historian does not answer; the dashboard shows what the tab holds');
    });
    req.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  };
}
