import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { sameOriginUrls, serviceWorkerUrl, shouldRegister, urlsAroundWorker } from './serviceWorker';

describe('registering the kiosk service worker', () => {
  const kiosk = { search: '?twin=a&mode=kiosk', secure: true, supported: true, production: true };

  it('registers only for a kiosk of the built app in a secure context', () => {
    expect(shouldRegister(kiosk)).toBe(true);
    expect(shouldRegister({ ...kiosk, search: '?twin=a' })).toBe(false);
    expect(shouldRegister({ ...kiosk, search: '?twin=a&mode=embed' })).toBe(false);
    expect(shouldRegister({ ...kiosk, secure: false })).toBe(false);
    expect(shouldRegister({ ...kiosk, production: false })).toBe(false);
    expect(shouldRegister({ ...kiosk, supported: false })).toBe(false);
  });

  it("names the worker after the build's entry chunk, so a new build installs a new worker", () => {
    expect(serviceWorkerUrl('/', 'http://127.0.0.1:8080/assets/index-BXk_xR1I.js')).toBe('/sw.js?v=index-BXk_xR1I');
    expect(serviceWorkerUrl('/twinview/', 'https://x.example/twinview/assets/index-a1.js?x#y')).toBe(
      '/twinview/sw.js?v=index-a1',
    );
  });

  it("hands the worker only the page's own origin's URLs, once each", () => {
    expect(
      sameOriginUrls(
        [
          'http://h:1/a.js',
          'http://h:1/a.js',
          'http://other:1/b.js',
          'blob:http://h:1/x',
          'not a url',
          'http://h:1/m.glb',
        ],
        'http://h:1',
      ),
    ).toEqual(['http://h:1/a.js', 'http://h:1/m.glb']);
  });

  it('hands the worker what went around it: fetched before it took control, or never seen by it', () => {
    // As Chromium reported them: the engine worker's script fetched around a worker already in
    // control has a startTime after control and no workerStart.
    const entries = [
      { name: 'http://h:1/assets/index-a1.js', startTime: 120, workerStart: 0 },
      { name: 'http://h:1/twins/t/twin.json', startTime: 1150, workerStart: 0 },
      { name: 'http://h:1/assets/engine.worker-b2.js', startTime: 1936, workerStart: 0 },
      { name: 'http://h:1/assets/charts-c3.js', startTime: 2600, workerStart: 2598 },
      { name: 'http://h:1/api/history', startTime: 3000, workerStart: 2999 },
    ];
    expect(urlsAroundWorker(entries, 1904)).toEqual([
      'http://h:1/assets/index-a1.js',
      'http://h:1/twins/t/twin.json',
      'http://h:1/assets/engine.worker-b2.js',
    ]);
  });
});

// public/sw.js itself, run in a sandbox with an in-memory Cache Storage and a fake network.
const SOURCE = readFileSync('public/sw.js', 'utf8');
const ORIGIN = 'http://127.0.0.1:8080';

type Handler = (event: unknown) => void;
interface FakeRequest {
  url: string;
  method: string;
  mode: string;
}

/** A same-origin answer as a service worker sees it (Node's Response says 'default'), clones too. */
function basic(body: string, status = 200): Response {
  return asBasic(new Response(body, { status }));
}

function asBasic(r: Response): Response {
  const clone = r.clone.bind(r);
  Object.defineProperty(r, 'type', { value: 'basic' });
  Object.defineProperty(r, 'clone', { value: () => asBasic(clone()) });
  return r;
}

function sandbox(version = 'index-b2', clients: Record<string, { type: string; url: string }> = {}) {
  const listeners: Record<string, Handler> = {};
  const stores = new Map<string, Map<string, Response>>();
  const keyOf = (k: string | { url: string }) => (typeof k === 'string' ? k : k.url);
  const caches = {
    open: async (name: string) => {
      if (!stores.has(name)) stores.set(name, new Map());
      const m = stores.get(name)!;
      return {
        match: async (k: string | { url: string }) => m.get(keyOf(k))?.clone(),
        put: async (k: string | { url: string }, r: Response) => void m.set(keyOf(k), r),
      };
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
  let online = true;
  const served = new Map<string, string>();
  const network = vi.fn(async (req: string | { url: string }) => {
    if (!online) throw new TypeError('Failed to fetch');
    const body = served.get(keyOf(req).split('?')[0]);
    return body === undefined ? basic('not found', 404) : basic(body);
  });
  const self = {
    location: { href: `${ORIGIN}/sw.js?v=${version}` },
    registration: { scope: `${ORIGIN}/` },
    addEventListener: (type: string, fn: Handler) => void (listeners[type] = fn),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined, get: async (id: string) => clients[id] },
  };
  runInNewContext(SOURCE, {
    self,
    caches,
    fetch: network,
    URL,
    Request,
    AbortController,
    setTimeout,
    clearTimeout,
  });

  /** Dispatches a fetch event; the promise the worker answered with, or null when it let it pass. */
  const request = (path: string, init: Partial<FakeRequest> & { clientId?: string } = {}) => {
    let answer: Promise<Response> | null = null;
    const req: FakeRequest = {
      url: new URL(path, ORIGIN).href,
      method: init.method ?? 'GET',
      mode: init.mode ?? 'cors',
    };
    listeners.fetch({
      request: req,
      clientId: init.clientId ?? '',
      respondWith: (p: Promise<Response>) => (answer = p),
    });
    return answer as Promise<Response> | null;
  };
  const text = async (path: string, init?: Partial<FakeRequest> & { clientId?: string }) => {
    const answer = request(path, init);
    if (answer === null) throw new Error(`${path} was not answered by the worker`);
    return (await answer).text();
  };
  return {
    listeners,
    stores,
    network,
    served,
    request,
    text,
    setOnline: (v: boolean) => void (online = v),
  };
}

describe('public/sw.js', () => {
  it('brings a kiosk page back from the cached app shell while the web server is down', async () => {
    const sw = sandbox();
    sw.served.set(`${ORIGIN}/`, '<html>app</html>');
    expect(await sw.text('/?twin=pump-station&mode=kiosk', { mode: 'navigate' })).toBe('<html>app</html>');
    sw.setOnline(false);
    expect(await sw.text('/?twin=pump-station&mode=kiosk', { mode: 'navigate' })).toBe('<html>app</html>');
  });

  it('asks the server first for the twin and config.json: a changed twin wins while it is up', async () => {
    const sw = sandbox();
    sw.served.set(`${ORIGIN}/twins/a/twin.json`, '{"v":1}');
    expect(await sw.text('/twins/a/twin.json')).toBe('{"v":1}');
    sw.served.set(`${ORIGIN}/twins/a/twin.json`, '{"v":2}');
    expect(await sw.text('/twins/a/twin.json')).toBe('{"v":2}');
    sw.served.set(`${ORIGIN}/config.json`, '{"brokerUrl":"ws://b"}');
    expect(await sw.text('/config.json')).toBe('{"brokerUrl":"ws://b"}');
    sw.setOnline(false);
    expect(await sw.text('/twins/a/twin.json')).toBe('{"v":2}');
    expect(await sw.text('/config.json')).toBe('{"brokerUrl":"ws://b"}');
  });

  it('takes hashed assets and decoders from the cache without asking the server again', async () => {
    const sw = sandbox();
    sw.served.set(`${ORIGIN}/assets/index-b2.js`, 'code');
    sw.served.set(`${ORIGIN}/draco/draco_decoder.wasm`, 'wasm');
    expect(await sw.text('/assets/index-b2.js')).toBe('code');
    expect(await sw.text('/draco/draco_decoder.wasm')).toBe('wasm');
    const calls = sw.network.mock.calls.length;
    expect(await sw.text('/assets/index-b2.js')).toBe('code');
    expect(await sw.text('/draco/draco_decoder.wasm')).toBe('wasm');
    expect(sw.network.mock.calls.length).toBe(calls);
  });

  it('answers models from the cache at once and refreshes them for the next load', async () => {
    const sw = sandbox();
    sw.served.set(`${ORIGIN}/twins/a/pump.glb`, 'model-1');
    expect(await sw.text('/twins/a/pump.glb')).toBe('model-1');
    sw.served.set(`${ORIGIN}/twins/a/pump.glb`, 'model-2');
    expect(await sw.text('/twins/a/pump.glb')).toBe('model-1');
    await vi.waitFor(async () => expect(await sw.text('/twins/a/pump.glb')).toBe('model-2'));
  });

  it('never answers the history API, other origins, writes, or pages other than the kiosk', () => {
    const sw = sandbox();
    expect(sw.request('/api/history/v1/series?twin=a&signals=x&from=0&to=1')).toBeNull();
    expect(sw.request('/api/history/v1/status')).toBeNull();
    expect(sw.request('http://elsewhere.example/assets/x.js')).toBeNull();
    expect(sw.request('/csp-report', { method: 'POST' })).toBeNull();
    expect(sw.request('/?twin=a', { mode: 'navigate' })).toBeNull();
    expect(sw.request('/?twin=a&mode=embed', { mode: 'navigate' })).toBeNull();
    expect(sw.request('/sw.js?v=1')).toBeNull();
    expect(sw.request('/some/other/path')).toBeNull();
  });

  it("passes an operator page's requests to the network untouched, even for assets", async () => {
    const sw = sandbox('index-b2', { desk: { type: 'window', url: `${ORIGIN}/?twin=a` } });
    sw.served.set(`${ORIGIN}/assets/index-b2.js`, 'code');
    await sw.text('/assets/index-b2.js', { clientId: 'desk' });
    await sw.text('/assets/index-b2.js', { clientId: 'desk' });
    expect(sw.network).toHaveBeenCalledTimes(2);
    expect([...(sw.stores.get('twinview-kiosk-index-b2')?.keys() ?? [])]).toEqual([]);
  });

  it("drops the older builds' caches when a new build's worker activates, and no one else's", async () => {
    const sw = sandbox('index-new');
    for (const name of ['twinview-kiosk-index-old', 'twinview-kiosk-index-new', 'someone-else']) {
      sw.stores.set(name, new Map());
    }
    let done: Promise<unknown> = Promise.resolve();
    sw.listeners.activate({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
    expect([...sw.stores.keys()].sort()).toEqual(['someone-else', 'twinview-kiosk-index-new']);
  });

  it('caches what the page fetched before it took control, skipping what is not its to keep, and says so', async () => {
    const sw = sandbox();
    sw.served.set(`${ORIGIN}/`, '<html>app</html>');
    sw.served.set(`${ORIGIN}/assets/index-b2.js`, 'code');
    sw.served.set(`${ORIGIN}/twins/a/twin.json`, '{}');
    sw.served.set(`${ORIGIN}/api/history/v1/status`, '{}');
    const reply = new Promise<unknown>((ok) => {
      let done: Promise<unknown> = Promise.resolve();
      sw.listeners.message({
        data: {
          type: 'cache-urls',
          urls: [
            `${ORIGIN}/?twin=a&mode=kiosk`,
            `${ORIGIN}/assets/index-b2.js`,
            `${ORIGIN}/twins/a/twin.json`,
            `${ORIGIN}/api/history/v1/status`,
            'http://elsewhere.example/x.js',
          ],
        },
        ports: [{ postMessage: ok }],
        waitUntil: (p: Promise<unknown>) => (done = p),
      });
      void done;
    });
    expect(await reply).toEqual({ type: 'cached', version: 'index-b2', cached: 3 });
    expect([...sw.stores.get('twinview-kiosk-index-b2')!.keys()].sort()).toEqual([
      `${ORIGIN}/`,
      `${ORIGIN}/assets/index-b2.js`,
      `${ORIGIN}/twins/a/twin.json`,
    ]);
  });
});
