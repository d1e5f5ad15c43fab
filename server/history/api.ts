/**
 * The history HTTP API (JSON, GET only), on 127.0.0.1 at its own port; the web servers proxy
 * /api/history/ to it (proxy.ts). Endpoints and answers: docs/history.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HistoryStore } from './store';
import {
  ApiError,
  columnsToPoints,
  columnWidth,
  onlyParams,
  pointsParam,
  rangeParams,
  signalsParam,
  timeParam,
  twinParam,
} from './params';

export const API_PREFIX = '/api/history/v1/';
/** Value lines an export writes per slice of time it reads. */
const EXPORT_SLICE_MS = 3_600_000;
const EXPORT_MAX_LINES = 5_000_000;

export interface HistoryApiOptions {
  store: HistoryStore;
  /** Twins served (known even before their first row); the store's own twins count too. */
  twins?: readonly string[];
  log?: (line: string) => void;
}

type Handler = (q: URLSearchParams, res: ServerResponse) => Promise<void>;

export function historyHandler(options: HistoryApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { store } = options;
  const log = options.log ?? ((line) => console.error(line));

  const knownTwin = async (twin: string): Promise<void> => {
    if (options.twins?.includes(twin)) return;
    if ((await store.twins()).includes(twin)) return;
    throw new ApiError(404, 'not-found', `no history for twin "${twin}"`, 'twin');
  };

  const handlers: Record<string, Handler> = {
    async status(q, res) {
      onlyParams(q, []);
      const twins = [...new Set([...(options.twins ?? []), ...(await store.twins())])].sort();
      const span = await store.span();
      json(res, 200, { database: store.kind, twins, oldest: span.oldest, newest: span.newest });
    },
    async series(q, res) {
      onlyParams(q, ['twin', 'signals', 'from', 'to', 'points']);
      const twin = twinParam(q);
      const signals = signalsParam(q);
      const { from, to } = rangeParams(q);
      const points = pointsParam(q);
      await knownTwin(twin);
      const width = columnWidth(from, to, points);
      const series = [];
      for (const signal of signals) {
        const columns = await store.series(twin, signal, from, to, width);
        series.push({ signal, points: columnsToPoints(columns, width) });
      }
      json(res, 200, { twin, from, to, series });
    },
    async snapshot(q, res) {
      onlyParams(q, ['twin', 'at']);
      const twin = twinParam(q);
      const at = timeParam(q, 'at');
      await knownTwin(twin);
      json(res, 200, { twin, at, values: await store.snapshot(twin, at) });
    },
    async alarms(q, res) {
      onlyParams(q, ['twin', 'from', 'to']);
      const twin = twinParam(q);
      const { from, to } = rangeParams(q);
      await knownTwin(twin);
      json(res, 200, { twin, transitions: await store.events(twin, from, to, 'alarm') });
    },
    async forecasts(q, res) {
      onlyParams(q, ['twin', 'signals', 'from', 'to']);
      const twin = twinParam(q);
      const signals = signalsParam(q);
      const { from, to } = rangeParams(q);
      await knownTwin(twin);
      const forecasts = [];
      for (const signal of signals) {
        const predictions = await store.forecasts(twin, signal, from, to);
        if (predictions.length === 0) continue;
        // What happened: the last value of the second each prediction is for.
        const actual = new Map<number, number>();
        for (const c of await store.series(twin, signal, from - 1000, to + 1000, 1000))
          actual.set(Math.floor(c.tLast / 1000) * 1000, c.vLast);
        const byRule = new Map<string, typeof predictions>();
        for (const p of predictions) byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p]);
        for (const [rule, list] of byRule) {
          const points = list.map((p) => ({
            t: p.target,
            predicted: p.predicted,
            actual: actual.get(Math.floor(p.target / 1000) * 1000) ?? null,
          }));
          const compared = points.filter((p) => p.actual !== null);
          const meanAbsError =
            compared.length === 0
              ? null
              : compared.reduce((sum, p) => sum + Math.abs(p.predicted - (p.actual as number)), 0) / compared.length;
          forecasts.push({
            signal,
            rule,
            horizonMs: list[0].target - list[0].t,
            n: compared.length,
            meanAbsError,
            points,
          });
        }
      }
      json(res, 200, { forecasts });
    },
    async export(q, res) {
      onlyParams(q, ['twin', 'from', 'to']);
      const twin = twinParam(q);
      const { from, to } = rangeParams(q);
      await knownTwin(twin);
      res.writeHead(200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="${twin}-${from}-${to}.jsonl"`,
        'Cache-Control': 'no-store',
      });
      let lines = 0;
      for (let start = from; start <= to && lines < EXPORT_MAX_LINES; start += EXPORT_SLICE_MS) {
        const end = Math.min(to, start + EXPORT_SLICE_MS - 1);
        const rows = await store.values(twin, start, end, EXPORT_MAX_LINES - lines);
        let chunk = '';
        for (const r of rows) chunk += JSON.stringify({ t: r.t, signal: r.signal, value: r.v ?? r.text }) + '\n';
        lines += rows.length;
        if (chunk && !res.write(chunk)) await new Promise((done) => res.once('drain', done));
      }
      res.end();
    },
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://history');
    const name = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : null;
    const handler = name !== null && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return json(res, 405, { error: { code: 'bad-parameter', message: 'only GET' } });
    }
    if (!handler)
      return json(res, 404, {
        error: {
          code: 'not-found',
          message: `no such endpoint; try ${API_PREFIX}status, series, snapshot, alarms, forecasts or export`,
        },
      });
    void handler(url.searchParams, res).catch((err: unknown) => {
      if (err instanceof ApiError) return json(res, err.status, err.body());
      // A database problem: the message goes to the log, the client learns only that it failed.
      log(`history API: ${url.pathname}: ${err instanceof Error ? err.message : String(err)}`);
      if (res.headersSent) return res.destroy();
      json(res, 500, {
        error: { code: 'internal', message: 'the history database failed to answer; see the service log' },
      });
    });
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Listens on 127.0.0.1:`port` (0: any free port). */
export async function startHistoryApi(
  options: HistoryApiOptions & { port: number },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(historyHandler(options));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
