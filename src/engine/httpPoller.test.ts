import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twinSchema } from '../twin/schema';
import { validateTwin } from '../twin/validate';
import { EngineSession } from './workerSession';
import type { FromWorker } from './protocol';
import { SAMPLE_STRIDE } from './protocol';

let server: Server | null = null;
/** Requests the local server has answered (polls the session made). */
let requests = 0;
let session: EngineSession | null = null;
afterEach(async () => {
  await session?.stop();
  session = null;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A tiny local HTTP server; `reply` decides each response. */
async function serve(reply: () => { status: number; body: string }): Promise<string> {
  server = createServer((_req, res) => {
    requests++;
    const r = reply();
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/counters`;
}

function twinFor(url: string) {
  return twinSchema.parse({
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['plant/#'] },
    sources: [{ id: 'maint', kind: 'http', url, every: 1 }],
    signals: [
      { id: 'pump1.hours', topic: '$http/maint', path: 'pumps[0].hours', period: '3s' },
      { id: 'pump1.state', topic: '$http/maint', path: 'pumps[0].state', map: { OK: 0, SERVICE: 1 } },
    ],
  });
}

function start(url: string) {
  const posts: FromWorker[] = [];
  session = new EngineSession(
    { post: (m) => posts.push(m) },
    {
      openConnection: () => ({
        url: 'ws://127.0.0.1:1',
        close: async () => {},
        publish: async () => ({ ok: false, reason: 'not connected' }),
      }),
    },
  );
  session.handle({ type: 'start', twin: twinFor(url) });
  const values = () => {
    const ids = new Map<number, string>();
    const out: Record<string, number> = {};
    for (const m of posts) {
      if (m.type === 'signals') for (const s of m.added) ids.set(s.index, s.id);
      if (m.type === 'batch')
        for (let k = 0; k < m.count; k++)
          out[ids.get(m.samples[k * SAMPLE_STRIDE])!] = m.samples[k * SAMPLE_STRIDE + 1];
    }
    return out;
  };
  return { posts, values };
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('HTTP sources', () => {
  it('polls the endpoint and decodes its body with the signal decoders, again every interval', async () => {
    let hours = 1200;
    const url = await serve(() => ({
      status: 200,
      body: JSON.stringify({ pumps: [{ hours: hours++, state: 'SERVICE' }] }),
    }));
    const s = start(url);
    await waitFor(() => s.values()['pump1.hours'] === 1200);
    expect(s.values()['pump1.state']).toBe(1);
    await waitFor(() => s.values()['pump1.hours'] === 1201, 3000);
  });

  it('a failing endpoint is reported once and changes no value', async () => {
    let ok = true;
    const url = await serve(() =>
      ok ? { status: 200, body: '{"pumps":[{"hours":5,"state":"OK"}]}' } : { status: 503, body: 'down' },
    );
    const s = start(url);
    await waitFor(() => s.values()['pump1.hours'] === 5);
    ok = false;
    await waitFor(() => s.posts.some((m) => m.type === 'error'), 3000);
    const failedPolls = requests;
    await waitFor(() => requests > failedPolls + 1, 4000); // two more failed polls: still one report
    const errors = s.posts.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: expect.stringMatching(/HTTP source "maint" .*HTTP 503/) });
    expect(s.values()['pump1.hours']).toBe(5);
  });

  it('says the problem is over when the endpoint answers again, so the notice can go', async () => {
    let ok = false;
    const url = await serve(() =>
      ok ? { status: 200, body: '{"pumps":[{"hours":7,"state":"OK"}]}' } : { status: 503, body: 'down' },
    );
    const s = start(url);
    await waitFor(() => s.posts.some((m) => m.type === 'error'), 3000);
    expect(s.posts.some((m) => m.type === 'error-resolved')).toBe(false);
    ok = true;
    await waitFor(() => s.values()['pump1.hours'] === 7, 3000);
    const error = s.posts.find((m) => m.type === 'error');
    const resolved = s.posts.find((m) => m.type === 'error-resolved');
    expect(resolved).toEqual({ type: 'error-resolved', message: error && 'message' in error ? error.message : '' });
  });

  it('bad bodies are rejects like bad MQTT payloads', async () => {
    const url = await serve(() => ({ status: 200, body: '<html>oops</html>' }));
    const s = start(url);
    await waitFor(() => s.posts.some((m) => m.type === 'stats' && (m.stats.rejected['bad-json'] ?? 0) > 0), 4000);
    expect(s.values()).toEqual({});
  });
});

describe('HTTP sources in the twin', () => {
  const base = {
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['plant/#'] },
  };
  it('a signal must name a declared source', () => {
    const result = validateTwin({ ...base, signals: [{ id: 'a', topic: '$http/nope', path: 'x' }] });
    expect(result.ok ? [] : result.problems).toEqual([
      { path: '$.signals[0].topic', message: 'no source "nope" in $.sources' },
    ]);
  });
  it('refuses URLs with credentials and non-HTTP schemes', () => {
    const result = validateTwin({
      ...base,
      sources: [
        { id: 'a', kind: 'http', url: 'https://user:pw@host/x' },
        { id: 'b', kind: 'http', url: 'file:///etc/passwd' },
      ],
    });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['$.sources[0].url', '$.sources[1].url']);
  });
});
