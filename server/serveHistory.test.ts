import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServeArgs, startServer } from './serve';
import { freePort } from './test/ports';

// npm run serve's /api/history/ (the dashboards' history API, same origin): proxied to --history-api.

const dist = mkdtempSync(join(tmpdir(), 'twinview-serve-history-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html>');

function listen(server: Server, port: number): Promise<void> {
  return new Promise((ok) => server.listen(port, '127.0.0.1', ok));
}
const close = (server: Server) => new Promise<void>((ok) => server.close(() => ok()));

async function serve(historyApi?: URL): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = await startServer({
    port,
    host: '127.0.0.1',
    dist,
    dirs: [],
    brokers: [],
    frameAncestors: ["'self'"],
    historyApi,
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

describe('npm run serve: the history API', () => {
  let historian: Server;
  let historianUrl: URL;
  const asked: string[] = [];

  beforeAll(async () => {
    historian = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ database: 'duckdb', twins: ['a'], oldest: null, newest: null }));
    });
    const port = await freePort();
    await listen(historian, port);
    historianUrl = new URL(`http://127.0.0.1:${port}`);
  });
  afterAll(() => close(historian));

  it('passes /api/history/ requests, path and query as they are, to the historian, with the security headers', async () => {
    const { server, url } = await serve(historianUrl);
    try {
      const res = await fetch(`${url}/api/history/v1/status?twin=a`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ database: 'duckdb', twins: ['a'], oldest: null, newest: null });
      expect(asked).toContain('/api/history/v1/status?twin=a');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      // Other paths are not the historian's.
      expect((await fetch(`${url}/api/historyx`)).status).toBe(404);
    } finally {
      await close(server);
    }
  });

  it('answers 503 as JSON without a historian, and 502 when it does not answer', async () => {
    const none = await serve();
    try {
      const res = await fetch(`${none.url}/api/history/v1/status`);
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('unavailable');
    } finally {
      await close(none.server);
    }
    const gonePort = await freePort();
    const gone = await serve(new URL(`http://127.0.0.1:${gonePort}`));
    try {
      const res = await fetch(`${gone.url}/api/history/v1/status`);
      expect(res.status).toBe(502);
      expect((await res.json()).error.code).toBe('unavailable');
    } finally {
      await close(gone.server);
    }
  });

  it('takes --history-api (or TWINVIEW_HISTORY_API) as an http:// URL and refuses anything else', () => {
    expect(parseServeArgs(['--history-api', 'http://127.0.0.1:8095'], {})).toMatchObject({
      historyApi: new URL('http://127.0.0.1:8095'),
    });
    expect(parseServeArgs([], { TWINVIEW_HISTORY_API: 'http://127.0.0.1:8096' })).toMatchObject({
      historyApi: new URL('http://127.0.0.1:8096'),
    });
    expect(() => parseServeArgs(['--history-api', 'file:///etc/passwd'], {})).toThrow(/--history-api/);
  });
});
