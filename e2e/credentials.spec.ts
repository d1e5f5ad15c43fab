/**
 * Credentials against a Mosquitto that refuses anonymous clients: asked for with an accessible form
 * ("prompt"), or handed over by the embedding page from an allowed origin ("host"). They never appear
 * in the URL or in the browser's storage.
 */
import { expect, test, type Page } from '@playwright/test';
import mqtt from 'mqtt';
import { createServer, type Server } from 'node:http';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { E2E } from './ports';

const TCP = E2E.brokerTcpPort + 4;
const WS = E2E.brokerWsPort + 4;
const BROKER = `ws://127.0.0.1:${WS}`;
const PASSWORD = 's3cret-Ä';

let broker: Mosquitto;
test.beforeAll(async () => {
  broker = await startMosquitto({ tcpPort: TCP, wsPort: WS, users: { op: PASSWORD, publisher: 'pub' } });
});
test.afterAll(async () => {
  await broker.stop();
});

async function publishCounter(value: number): Promise<void> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${TCP}`, { username: 'publisher', password: 'pub' });
  await client.publishAsync('lab/counter', String(value), { qos: 1 });
  await client.endAsync();
}

async function storageText(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
}

test('"prompt" asks with a keyboard-usable form, says why a wrong password failed, and connects', async ({ page }) => {
  await page.goto(`/?twin=ingest-auth&broker=${encodeURIComponent(BROKER)}`);
  const form = page.getByRole('form', { name: 'Sign in to Ingest lab (sign in)' });
  await expect(form).toBeVisible();
  // Keyboard only: focus starts in Username, Tab to Password, Enter submits.
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type('op');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type('wrong');
  await page.keyboard.press('Enter');

  await expect(form.getByRole('alert')).toContainText(/user ?name or password|not authori[sz]ed/i, { timeout: 10_000 });
  await page.getByLabel('Username').fill('op');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');

  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 10_000 });
  await publishCounter(42);
  await expect(page.getByTestId('value-lab.counter')).toHaveText('42.0');
  expect(page.url()).not.toContain(PASSWORD);
  expect(await storageText(page)).not.toContain('s3cret');
});

/**
 * A host portal on another origin (another port on loopback, served for real: Chromium's
 * local-network protection stops a page that does not come from a local address from framing one)
 * that embeds the dashboard and answers its request for credentials.
 */
const PORTAL_PORT = E2E.webPort + 6;
const PORTAL = `http://127.0.0.1:${PORTAL_PORT}`;

async function openPortal(page: Page, allowed: string): Promise<void> {
  const app = `http://127.0.0.1:${E2E.webPort}`;
  const src = `${app}/?twin=ingest-host&broker=${encodeURIComponent(BROKER)}&hostOrigin=${encodeURIComponent(allowed)}`;
  const html = `<!doctype html><iframe id="tv" src="${src}" style="width:1200px;height:800px"></iframe>
<script>
addEventListener('message', (e) => {
  if (e.origin !== '${app}' || e.data?.type !== 'twinview:credentials-needed') return;
  document.getElementById('tv').contentWindow.postMessage(
    { type: 'twinview:credentials', username: 'op', password: ${JSON.stringify(PASSWORD)} }, '${app}');
});
</script>`;
  portal = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => portal!.listen(PORTAL_PORT, '127.0.0.1', resolve));
  await page.goto(`${PORTAL}/`);
}

let portal: Server | null = null;
test.afterEach(async () => {
  await new Promise<void>((resolve) => (portal ? portal.close(() => resolve()) : resolve()));
  portal = null;
});

test('"host" takes the credentials posted by an allowed embedding page', async ({ page }) => {
  await openPortal(page, PORTAL);
  const frame = page.frameLocator('#tv');
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await publishCounter(7);
  await expect(frame.getByTestId('value-lab.counter')).toHaveText('7.00');
});

test('"host" ignores a page that is not on the allowlist', async ({ page }) => {
  await openPortal(page, 'https://someone-else.example');
  const frame = page.frameLocator('#tv');
  await expect(frame.getByTestId('waiting-for-host')).toContainText('Waiting for the host page');
  // The page tries anyway: it posts credentials unasked. The dashboard counts the attempt and ignores it.
  await page.evaluate(
    ({ app, password }) =>
      (document.getElementById('tv') as HTMLIFrameElement).contentWindow!.postMessage(
        { type: 'twinview:credentials', username: 'op', password },
        app,
      ),
    { app: `http://127.0.0.1:${E2E.webPort}`, password: PASSWORD },
  );
  await expect(frame.locator('html')).toHaveAttribute('data-host-credentials-ignored', '1');
  await expect(frame.getByTestId('waiting-for-host')).toBeVisible();
  await expect(frame.getByTestId('connection')).toHaveCount(0);
});
