import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { nginxHeaders, renderNginxSite } from '../server/nginxConf';
import { connectPublisher, nodePixel, publishJson, pumpTelemetry } from './helpers';
import { E2E } from './ports';

// The built app served by Debian's nginx with deploy/nginx/twinview.conf (docs/deploying.md), on
// loopback ports of this spec's own: the smoke test under its headers with no CSP violation, the
// headers themselves, and the history API proxied to a stand-in historian.

const NGINX = '/usr/sbin/nginx';
const PORT = E2E.webPort + 42;
const HISTORY_PORT = E2E.webPort + 43;
const PREFIX = resolve(`.tmp/nginx-${PORT}`);
const DIST = resolve(process.env.TWINVIEW_DIST ?? 'dist');
const URL_BASE = `http://127.0.0.1:${PORT}`;

let nginx: ChildProcess | null = null;
let nginxLog = '';
let historian: Server | null = null;
let publisher: MqttClient;

/** The nginx main configuration around the site file: everything under PREFIX, in the foreground. */
function mainConf(): string {
  const runningAsRoot = process.getuid?.() === 0;
  return [
    // As root, nginx's workers would otherwise run as nobody, who may not read the build here.
    runningAsRoot ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${PREFIX}/nginx.pid;`,
    `error_log ${PREFIX}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${PREFIX}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${PREFIX}/tmp/${t};`),
    `  include ${PREFIX}/twinview.conf;`,
    '}',
    '',
  ].join('\n');
}

/**
 * The site's root: the build as it is, linked file by file, with its config.json pointing at this
 * run's broker (what an operator edits in a static deployment: docs/deploying.md).
 */
function siteRoot(): string {
  const root = join(PREFIX, 'site');
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(DIST)) if (name !== 'config.json') symlinkSync(join(DIST, name), join(root, name));
  writeFileSync(join(root, 'config.json'), JSON.stringify({ brokerUrl: E2E.brokerWsUrl, brokers: [] }));
  return root;
}

test.beforeAll(async () => {
  if (!existsSync(NGINX))
    throw new Error(`nginx is not installed: run  bash tools/ensure-system-deps.sh  (or: apt-get install -y nginx)`);
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build in ${DIST}: run npm run build first`);
  rmSync(PREFIX, { recursive: true, force: true });
  mkdirSync(join(PREFIX, 'tmp'), { recursive: true });
  writeFileSync(
    join(PREFIX, 'twinview.conf'),
    renderNginxSite({
      listen: `127.0.0.1:${PORT}`,
      dist: siteRoot(),
      brokers: [E2E.brokerWsUrl],
      frameAncestors: "'self'",
      historyApi: `127.0.0.1:${HISTORY_PORT}`,
    }),
  );
  writeFileSync(join(PREFIX, 'nginx.conf'), mainConf());

  // A stand-in for the engine service's history listener: answers the status request.
  historian = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/api/history/v1/status') {
      res.end(JSON.stringify({ database: 'pglite', twins: ['pump-station'], oldest: null, newest: null }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'not-found', message: `no ${req.url}` } }));
    }
  });
  await new Promise<void>((ok) => historian!.listen(HISTORY_PORT, '127.0.0.1', ok));

  nginx = spawn(NGINX, ['-c', join(PREFIX, 'nginx.conf'), '-p', PREFIX, '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nginx.stderr!.setEncoding('utf8').on('data', (chunk: string) => (nginxLog += chunk));
  let exited: string | null = null;
  nginx.once('exit', (code) => (exited = `nginx exited (${code}): ${nginxLog}`));
  // Ready when it answers; an nginx that exits (a bad config) fails with its own words.
  await expect
    .poll(
      async () => {
        if (exited) throw new Error(exited);
        return fetch(`${URL_BASE}/favicon.svg`).then(
          (r) => r.ok,
          () => false,
        );
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  publisher = await connectPublisher();
});

test.afterAll(async () => {
  await publisher?.endAsync();
  if (nginx && nginx.exitCode === null) {
    const done = new Promise((ok) => nginx!.once('exit', ok));
    nginx.kill('SIGQUIT'); // graceful stop
    await done;
  }
  await new Promise((ok) => (historian ? historian.close(ok) : ok(undefined)));
});

test('nginx sends the configuration file’s headers: the same as npm run serve, assets cached, the rest revalidated', async ({
  request,
}) => {
  const expected = nginxHeaders(
    renderNginxSite({
      listen: `127.0.0.1:${PORT}`,
      dist: '/x',
      brokers: [E2E.brokerWsUrl],
      frameAncestors: "'self'",
      historyApi: `127.0.0.1:${HISTORY_PORT}`,
    }),
  );
  const page = await request.get(`${URL_BASE}/`);
  expect(page.status()).toBe(200);
  expect(page.headers()['content-type']).toMatch(/^text\/html/);
  const h = page.headers();
  expect(h['content-security-policy']).toBe(expected['Content-Security-Policy']);
  expect(h['content-security-policy']).toContain(`connect-src 'self' blob: data: ${E2E.brokerWsUrl};`);
  expect(h['content-security-policy']).not.toContain("'unsafe-eval'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['x-frame-options']).toBe('SAMEORIGIN');
  expect(h['permissions-policy']).toBe(expected['Permissions-Policy']);
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cache-control']).toBe('no-cache');

  const html = await page.text();
  const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1];
  const asset = await request.get(`${URL_BASE}${script}`);
  expect(asset.headers()['content-type']).toMatch(/^text\/javascript/);
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-security-policy']).toBe(expected['Content-Security-Policy']);

  const twin = await request.get(`${URL_BASE}/twins/pump-station/twin.json`);
  expect(twin.status()).toBe(200);
  expect(twin.headers()['content-security-policy']).toBe(expected['Content-Security-Policy']);
  const wasm = await request.get(`${URL_BASE}/draco/draco_decoder.wasm`);
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  // A path out of the root is refused (nginx says 400 for it), never served.
  const escape = await request.get(`${URL_BASE}/..%2f..%2fetc/passwd`);
  expect([400, 404]).toContain(escape.status());
  expect(await escape.text()).not.toContain('root:');
  expect((await request.post(`${URL_BASE}/`, { data: 'x' })).status()).toBe(403);
});

test('nginx proxies the history API to the historian, and answers JSON when it is gone', async ({ request }) => {
  const status = await request.get(`${URL_BASE}/api/history/v1/status`);
  expect(status.status()).toBe(200);
  expect(await status.json()).toEqual({ database: 'pglite', twins: ['pump-station'], oldest: null, newest: null });
  expect(status.headers()['cache-control']).toBeUndefined();
  const missing = await request.get(`${URL_BASE}/api/history/v1/nothing`);
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe('not-found');

  await new Promise((ok) => historian!.close(ok));
  historian = null;
  const gone = await request.get(`${URL_BASE}/api/history/v1/status`);
  expect(gone.status()).toBe(502);
  expect((await gone.json()).error.code).toBe('unavailable');
});

test('under nginx the pump station draws, values arrive from Mosquitto and an alarm shows, with no CSP violation', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${URL_BASE}/?twin=pump-station`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready(), null, {
    timeout: 30_000,
  });
  await expect
    .poll(async () => {
      await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, 1388));
      return page.getByTestId('value-pump2.rpm').textContent();
    })
    .toBe('1388 rpm');
  // The scene is drawn: pump 2's casing is not the background colour.
  await expect.poll(() => nodePixel(page, 'station/Pump2_Casing')).not.toEqual([212, 215, 219]);
  // Over its limit for longer than the rule's 3 s delay: the alarm is listed.
  await expect
    .poll(
      async () => {
        await publishJson(publisher, 'plant/north/pumps/pump3/telemetry', pumpTelemetry(99));
        return page.getByTestId('alarm-list').locator('[data-alarm-id="pump3.overheat"]').count();
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  await publishJson(publisher, 'plant/north/pumps/pump3/telemetry', pumpTelemetry(60));
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
