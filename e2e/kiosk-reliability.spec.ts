import { spawn } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { canvasColours, connectPublisher, frames, publishJson, pumpTelemetry } from './helpers';
import { E2E } from './ports';

// A kiosk wall left alone for weeks (docs/kiosk.md): it comes back from its service worker after a
// reload while the web server is down, and its watchdog reloads it when the engine worker hangs.

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

/** `npm run serve` over the build the run tests, on a port of this spec's own, so the test can stop it. */
async function startWebServer(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/serve.ts',
      '--port',
      String(port),
      '--dist',
      process.env.TWINVIEW_DIST ?? 'dist',
      '--twins',
      `models:e2e/twins:${E2E.fixturesDir}`,
      '--broker',
      E2E.brokerWsUrl,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await new Promise<void>((ok, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('Twinview serving')) ok();
    });
    child.once('exit', (code) => fail(new Error(`npm run serve exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL'); // an outage, not a goodbye
      await exited;
    },
  };
}

/** The kiosk's service worker cache: the paths it holds. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith('twinview-kiosk-'));
    const paths: string[] = [];
    for (const name of names) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** Publishes pump 2's telemetry until the kiosk's store holds the value (the kiosk shows no values panel). */
async function expectValueArrives(page: Page, rpm: number): Promise<void> {
  await expect
    .poll(
      async () => {
        await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, rpm));
        return page.evaluate(() =>
          (window as unknown as { twinview?: { value(id: string): number } }).twinview?.value('pump2.rpm'),
        );
      },
      { timeout: 20_000 },
    )
    .toBe(rpm);
}

async function expectSceneDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
    null,
    {
      timeout: 30_000,
    },
  );
  // Not a blank canvas: many colours.
  await expect.poll(() => canvasColours(page)).toBeGreaterThan(50);
}

test('a kiosk reloaded while its web server is down comes back from its service worker, draws the twin and gets values', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const server = await startWebServer(E2E.webPort + 41);
  try {
    await page.goto(`${server.url}/?twin=pump-station&mode=kiosk`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await expectSceneDrawn(page);
    await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
    // What the first load fetched, before the worker took control, is in its cache, the engine
    // worker's script too (Chromium may fetch it around a worker already in control).
    const engineWorker = (paths: string[]) => paths.filter((p) => /^\/assets\/engine\.worker-.*\.js$/.test(p));
    await expect
      .poll(
        async () => {
          const paths = await cachedPaths(page);
          return [...paths.filter((p) => !p.startsWith('/assets/')), ...engineWorker(paths).map(() => 'engine worker')];
        },
        { timeout: 30_000 },
      )
      .toEqual(
        expect.arrayContaining([
          '/',
          '/config.json',
          '/twins/pump-station/twin.json',
          '/twins/pump-station/station.glb',
          '/twins/pump-station/cooling-fan.glb',
          'engine worker',
        ]),
      );
    expect((await cachedPaths(page)).some((p) => p.startsWith('/api/'))).toBe(false);
  } finally {
    await server.stop();
  }
  // The web server is gone: nothing answers there any more.
  await expect(fetch(`${server.url}/`)).rejects.toThrow();

  await page.reload();
  await expect(page.getByTestId('kiosk')).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expectSceneDrawn(page);
  await expectValueArrives(page, 1377);
});

test('a kiosk whose engine worker hangs reloads itself, and its log on the wall says why', async ({ page }) => {
  test.setTimeout(120_000);
  // A 10 s grace instead of a minute; testHooks lets the test hang the worker (and each restarted one).
  await page.goto('/?twin=pump-station&mode=kiosk&log=1&testHooks=1&watchdog=10s');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expectSceneDrawn(page);
  const log = page.getByTestId('watchdog-log');
  await expect(log).toContainText('The page has not reloaded itself.');

  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await page.evaluate(() =>
    (window as unknown as { twinviewTest: { freezeEngine(): void } }).twinviewTest.freezeEngine(),
  );
  await reloaded;

  const entry = log.locator('li[data-kind="reload"][data-stall="engine"]');
  await expect(entry).toHaveCount(1, { timeout: 20_000 });
  await expect(entry).toContainText(/Reloaded: the engine did not answer for \d+ s/);
  // The reloaded kiosk runs again: a new engine, values arriving.
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expectValueArrives(page, 1411);
});

test('a kiosk where nothing changes draws the frames its watchdog asks for, and does not reload itself', async ({
  page,
}) => {
  test.setTimeout(90_000);
  // No data and nothing that spins: the scene draws nothing of its own. The watchdog (10 s grace,
  // a check every 2 s) asks for a frame whenever the counter stood still; each must be drawn, or an
  // idle wall would count as stalled and reload itself.
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto('/?twin=alarm-lab&mode=kiosk&log=1&watchdog=10s');
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
  await expect(page.getByTestId('watchdog-log')).toContainText('The page has not reloaded itself.');
  const first = await frames(page);
  // Past the grace period: a frame drawn at about every second check.
  await expect.poll(() => frames(page), { timeout: 40_000, intervals: [1000] }).toBeGreaterThanOrEqual(first + 4);
  expect(loads, 'page loads (a reload would be the second)').toBe(1);
  await expect(page.getByTestId('watchdog-log')).toContainText('The page has not reloaded itself.');
});
