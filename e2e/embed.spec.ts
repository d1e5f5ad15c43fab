/**
 * The embed API end to end: the example host page (public/embed-example.html, served by the test on
 * another loopback origin, as a portal would be) drives the embedded dashboard and hears its events;
 * a page that is not on the allowlist frames it and is ignored and counted.
 */
import { expect, test, type Frame, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { connectPublisher, publishJson } from './helpers';
import { E2E } from './ports';
import { seriousViolations } from './axe';

// fixture-embed-lab (e2e/fixtures/embed-lab.fixture.ts): views "west" and "east", parts lab/West,
// lab/East, lab/Pump; rule pump.hot ("pump.temp > 50", high) that the host may acknowledge.
const APP = `http://127.0.0.1:${E2E.webPort}`;
const PORTAL_PORT = E2E.webPort + 7;
const PORTAL = `http://127.0.0.1:${PORTAL_PORT}`;
const FOREIGN_PORT = E2E.webPort + 8;
const TOPIC = 'fixtures/embed-lab/temp';

const EXAMPLE = ['embed-example.html', 'embed-example.js', 'embed-example.css'];
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

/** A loopback server for one page: the example host's files, or a single page of HTML. */
async function serve(port: number, files: Record<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    const body = files[name];
    if (body === undefined) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': `${TYPES[name.split('.').pop() ?? ''] ?? 'text/plain'}; charset=utf-8` })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

let publisher: MqttClient;
const servers: Server[] = [];
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function openExampleHost(page: Page, query: string): Promise<Frame> {
  // The page as `npm start` serves it: from the build's output (public/ is copied there).
  const dist = process.env.TWINVIEW_DIST ?? 'dist';
  servers.push(
    await serve(PORTAL_PORT, Object.fromEntries(EXAMPLE.map((f) => [f, readFileSync(join(dist, f), 'utf8')]))),
  );
  await page.goto(`${PORTAL}/embed-example.html?dashboard=${encodeURIComponent(APP)}&${query}`);
  await expect(page.getByTestId('host-version')).toHaveText('1', { timeout: 20_000 });
  const frame = page.frame({ url: /mode=embed/ });
  if (!frame) throw new Error('no embedded dashboard');
  await frame.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
  return frame;
}

/** How far a part's centre is from the canvas' centre (0 centre, 1 edge), or null when off screen. */
async function offCentre(frame: Frame, path: string): Promise<number | null> {
  const b = await frame.evaluate(
    (p) =>
      (
        window as unknown as {
          twinview: {
            screenBounds(
              p: string,
            ): { left: number; top: number; right: number; bottom: number; width: number; height: number } | null;
          };
        }
      ).twinview.screenBounds(p),
    path,
  );
  if (!b) return null;
  const x = (b.left + b.right) / 2;
  const y = (b.top + b.bottom) / 2;
  if (x < 0 || y < 0 || x > b.width || y > b.height) return null;
  return Math.max(Math.abs(x / b.width - 0.5), Math.abs(y / b.height - 0.5)) * 2;
}

test('the example host page drives the embedded dashboard and receives its events', async ({ page }) => {
  await publishJson(publisher, TOPIC, { temp: 20 });
  const frame = await openExampleHost(page, 'twin=fixture-embed-lab&panels=alarms,inspector&readonly=0');
  const log = page.getByTestId('host-log');
  const embed = frame.getByTestId('embed');

  // Minimal chrome: no header, views or twin list inside the frame; the host has the controls.
  await expect(embed).toBeVisible();
  await expect(frame.getByRole('navigation', { name: 'Camera views' })).toHaveCount(0);
  // The panels asked for are shown, even in an iframe narrower than the operator's drawer breakpoint.
  await expect(frame.getByTestId('inspector')).toBeVisible();
  await expect(log).toContainText('ready: Fixture: embed lab, 2 views, 1 assets');
  await expect(page.getByTestId('host-connection')).toHaveText('online', { timeout: 20_000 });

  // Views: the host's buttons come from the handshake; each moves the embedded camera.
  await page.getByRole('button', { name: 'East station' }).click();
  await expect.poll(() => offCentre(frame, 'lab/East'), { timeout: 10_000 }).toBeLessThan(0.2);
  await page.getByRole('button', { name: 'West station' }).click();
  await expect.poll(() => offCentre(frame, 'lab/West'), { timeout: 10_000 }).toBeLessThan(0.2);

  // Select: the dashboard outlines and inspects the part, and tells the host.
  await page.getByLabel('Part').fill('lab/Pump');
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await expect(frame.getByTestId('inspector')).toHaveAttribute('data-selected', 'lab/Pump');
  await expect(page.getByTestId('host-selected')).toHaveText('lab/Pump');

  // Theme: set by the host, applied to the embedded page.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');

  // An alarm: raised, reported to the host; the host acknowledges it (this twin allows it).
  await publishJson(publisher, TOPIC, { temp: 80 });
  await expect(log).toContainText('alarm-raised: pump.hot (high) Pump bearing hot', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(log).toContainText('alarm-acknowledged: pump.hot', { timeout: 10_000 });
  const listed = frame.locator('li.alarm[data-alarm-id="pump.hot"]');
  await expect(listed).toBeVisible();
  await expect(listed).toHaveAttribute('data-state', 'acknowledged');
  await expect(embed).toHaveAttribute('data-embed-refused', '0');

  // A command the API refuses is answered with an error, never applied.
  await page.getByLabel('Part').fill('x'.repeat(600));
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await expect(log).toContainText('error: twinview:select: path must be a scene node path or null');
  await expect(embed).toHaveAttribute('data-embed-refused', '1');
  await expect(page.getByTestId('host-selected')).toHaveText('lab/Pump');

  // The condition goes: the acknowledged alarm returns to normal and the host hears it cleared.
  await publishJson(publisher, TOPIC, { temp: 20 });
  await expect(log).toContainText('alarm-cleared: pump.hot', { timeout: 10_000 });
  await expect(listed).toHaveCount(0);
});

test('the host sets a time range: the embedded dashboard replays it and says when; live returns', async ({ page }) => {
  await publishJson(publisher, TOPIC, { temp: 20 });
  const frame = await openExampleHost(page, 'twin=fixture-embed-lab&panels=alarms');
  const log = page.getByTestId('host-log');
  const banner = frame.getByTestId('replay-banner');
  await expect(page.getByTestId('host-connection')).toHaveText('online', { timeout: 20_000 });

  await page.getByLabel('From (minutes ago)').fill('10');
  await page.getByLabel('To (minutes ago)').fill('5');
  const asked = Date.now();
  await page.getByRole('button', { name: 'Show time range' }).click();
  // The embedded page shows that moment, marked as replay with its time; the host hears where it is.
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Replay');
  const at = Number(await banner.getAttribute('data-at'));
  expect(Math.abs(at - (asked - 5 * 60_000))).toBeLessThan(60_000);
  await expect(page.getByTestId('host-time')).toHaveText(`replay ${new Date(at).toISOString()}`);

  await page.getByRole('button', { name: 'Live', exact: true }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('host-time')).toHaveText('live');
  await expect(log).toContainText('time-changed: live');

  // A range the API refuses is answered with the reason; the dashboard stays live.
  await page.getByLabel('From (minutes ago)').fill('1');
  await page.getByLabel('To (minutes ago)').fill('5');
  await page.getByRole('button', { name: 'Show time range' }).click();
  await expect(log).toContainText('error: twinview:set-time-range: from must be before to');
  await expect(banner).toHaveCount(0);
});

test('a page that is not on the allowlist changes nothing, hears nothing, and is counted', async ({ page }) => {
  // The foreign page frames the dashboard naming another origin as its host, and sends it commands.
  const src = `${APP}/?twin=fixture-embed-lab&mode=embed&panels=inspector&hostOrigin=${encodeURIComponent(PORTAL)}`;
  const html = `<!doctype html><iframe id="tv" src="${src}" style="width:900px;height:600px"></iframe>
<p>heard: <output id="heard">0</output></p>
<button id="attack" type="button">attack</button>
<script>
let heard = 0;
addEventListener('message', () => { document.getElementById('heard').textContent = String(++heard); });
document.getElementById('attack').addEventListener('click', () => {
  const tv = document.getElementById('tv').contentWindow;
  tv.postMessage({ type: 'twinview:select', path: 'lab/Pump' }, '*');
  tv.postMessage({ type: 'twinview:set-view', view: 'east' }, '*');
  tv.postMessage({ type: 'twinview:set-theme', theme: 'dark' }, '*');
});
</script>`;
  servers.push(await serve(FOREIGN_PORT, { 'index.html': html }));
  await page.goto(`http://127.0.0.1:${FOREIGN_PORT}/`);
  const frame = page.frameLocator('#tv');
  const embed = frame.getByTestId('embed');
  await expect(embed).toHaveAttribute('data-embed-ignored', '0', { timeout: 20_000 });
  const theme = await frame.locator('html').getAttribute('data-theme');

  await page.getByRole('button', { name: 'attack' }).click();
  // Each message is handled as it arrives; once all three are counted, none of them did anything.
  await expect(embed).toHaveAttribute('data-embed-ignored', '3');
  await expect(frame.getByTestId('inspector')).not.toHaveAttribute('data-selected', /./);
  await expect(frame.locator('html')).toHaveAttribute('data-theme', theme ?? 'isa101');
  // The events (ready, connection) went to the allowed origin only, which this page is not.
  await expect(page.locator('#heard')).toHaveText('0');
});

test('the embed screen has no serious or critical accessibility violations', async ({ page }) => {
  // Read-only, with an alarm up in its list and the inspector shown; in both themes.
  for (const theme of ['isa101', 'dark']) {
    await page.goto(`/?twin=fixture-embed-lab&mode=embed&panels=alarms,inspector&theme=${theme}`);
    await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
    await publishJson(publisher, TOPIC, { temp: 80 });
    await expect(page.getByTestId('embed-alarms').locator('[data-alarm-id="pump.hot"]')).toBeVisible({
      timeout: 10_000,
    });
    expect((await seriousViolations(page)).map((line) => `${theme}: ${line}`)).toEqual([]);
  }
  await publishJson(publisher, TOPIC, { temp: 20 });
});
