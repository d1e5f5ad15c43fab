import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { cspSource, frameAncestorsFlag, parseServeArgs, securityHeaders, startServer, twinEndpoints } from './serve';

const csp = (h: Record<string, string>) => h['Content-Security-Policy'];

describe('securityHeaders', () => {
  const h = securityHeaders({ connect: ['wss://plant.example/mqtt'], frameAncestors: ["'self'"] });

  it('allows no JS eval and no inline script, only WebAssembly compilation', () => {
    expect(csp(h)).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp(h)).not.toContain("'unsafe-eval'");
    expect(csp(h)).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it('blocks plugins and lets workers come only from the app and its blob: decoders', () => {
    expect(csp(h)).toContain("object-src 'none'");
    expect(csp(h)).toContain("worker-src 'self' blob:");
  });

  it('lets the page connect to its own origin and the configured brokers only', () => {
    expect(csp(h)).toMatch(/connect-src 'self' blob: data: wss:\/\/plant\.example\/mqtt;/);
  });

  it('sends the usual headers, X-Frame-Options matching frame-ancestors', () => {
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBe('no-referrer');
    expect(h['X-Frame-Options']).toBe('SAMEORIGIN');
    const none = securityHeaders({ connect: [], frameAncestors: ["'none'"] });
    expect(none['X-Frame-Options']).toBe('DENY');
    const portal = securityHeaders({ connect: [], frameAncestors: ['https://portal.example'] });
    expect(csp(portal)).toContain('frame-ancestors https://portal.example;');
    // An origin list cannot be said in X-Frame-Options; frame-ancestors alone decides.
    expect(portal['X-Frame-Options']).toBeUndefined();
  });

  it('adds unsafe-eval only when asked to for the Basis transcoder', () => {
    expect(csp(securityHeaders({ connect: [], frameAncestors: ["'self'"], ktx2Eval: true }))).toContain(
      "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval';",
    );
  });

  it('drops a broker entry that would inject a directive', () => {
    const bad = securityHeaders({
      connect: ["wss://x.example; script-src 'unsafe-inline'"],
      frameAncestors: ["'self'"],
    });
    expect(csp(bad)).toContain("connect-src 'self' blob: data:;");
    expect(csp(bad).match(/script-src/g)).toHaveLength(1);
  });
});

describe('cspSource', () => {
  it('keeps wildcards CSP understands and drops the query', () => {
    expect(cspSource('ws://127.0.0.1:*')).toBe('ws://127.0.0.1:*');
    expect(cspSource('wss://*.sites.example/mqtt?x=1')).toBe('wss://*.sites.example/mqtt');
    expect(cspSource('javascript:alert(1)')).toBeNull();
  });
});

describe('frameAncestorsFlag', () => {
  it('accepts keywords with or without quotes and origins', () => {
    expect(frameAncestorsFlag('self https://portal.example')).toEqual(["'self'", 'https://portal.example']);
    expect(frameAncestorsFlag("'none'")).toEqual(["'none'"]);
  });
  it('refuses anything else, and none combined with more', () => {
    expect(() => frameAncestorsFlag('*')).toThrow(/not 'none', 'self' or an origin/);
    expect(() => frameAncestorsFlag("https://a.example; script-src 'unsafe-inline'")).toThrow();
    expect(() => frameAncestorsFlag('none self')).toThrow(/cannot be combined/);
  });
});

describe('parseServeArgs', () => {
  it('takes settings from flags before the environment', () => {
    const o = parseServeArgs(['--port', '9000', '--broker', 'wss://a.example/mqtt'], {
      TWINVIEW_BROKER_URL: 'ws://ignored:1',
      TWINVIEW_BROKERS: 'wss://b.example/mqtt, ws://127.0.0.1:*',
      TWINVIEW_FRAME_ANCESTORS: 'https://portal.example',
    });
    expect(o).toMatchObject({
      port: 9000,
      brokerUrl: 'wss://a.example/mqtt',
      brokers: ['wss://b.example/mqtt', 'ws://127.0.0.1:*'],
      frameAncestors: ['https://portal.example'],
      ktx2Eval: false,
    });
  });
  it('refuses a broker list entry that is not ws/wss', () => {
    expect(() => parseServeArgs(['--brokers', 'http://x.example'], {})).toThrow(/not a ws:\/\/ or wss:\/\/ URL/);
  });
});

describe('twinEndpoints', () => {
  it('collects each twin’s broker and HTTP sources, skipping unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify({ connection: { url: 'wss://a.example/mqtt' }, sources: [{ url: 'https://api.example/x' }] }),
    );
    writeFileSync(join(dir, 'b.json'), '{ not json');
    expect(twinEndpoints([join(dir, 'a.json'), join(dir, 'b.json'), join(dir, 'none.json')])).toEqual([
      'wss://a.example/mqtt',
      'https://api.example/x',
    ]);
  });
});

describe('startServer', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'serve-dist-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dist, 'assets', 'a-123.js'), 'export {}');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    const twins = join(root, 'twins');
    mkdirSync(join(twins, 'demo'), { recursive: true });
    writeFileSync(join(twins, 'demo', 'twin.json'), JSON.stringify({ connection: { url: 'wss://twin.example/mqtt' } }));
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dist,
      dirs: [twins],
      brokerUrl: 'wss://plant.example/mqtt',
      brokers: ['wss://other.example/mqtt'],
      frameAncestors: ["'none'"],
    });
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('serves index.html with the CSP naming the configured and the twins’ brokers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const policy = res.headers.get('content-security-policy') ?? '';
    for (const b of ['wss://plant.example/mqtt', 'wss://other.example/mqtt', 'wss://twin.example/mqtt'])
      expect(policy).toContain(` ${b}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers /config.json with the override and the brokers list', async () => {
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({
      brokerUrl: 'wss://plant.example/mqtt',
      brokers: ['wss://other.example/mqtt'],
    });
  });

  it('serves a twin’s files and the hashed assets as immutable', async () => {
    expect((await fetch(`${base}/twins/demo/twin.json`)).status).toBe(200);
    const asset = await fetch(`${base}/assets/a-123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('serves nothing outside dist, and refuses other methods', async () => {
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});
