import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import {
  canvasColours,
  connectPublisher,
  frames,
  nodeLooksRed,
  openTwin,
  publishJson,
  pumpTelemetry,
  value,
} from './helpers';

// The canvas' WebGL context lost (a GPU process crash or reset) and restored: the scene says so while
// it is blank, draws the whole picture of the latest values when it is back, and a kiosk whose context
// never comes back reloads itself. WEBGL_lose_context does to the page what a GPU process crash does.

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

type ContextWin = Window & { __lose?: WEBGL_lose_context };

/** Loses the scene canvas' context, as a GPU process crash would; resolves once the page was told. */
const loseContext = (page: Page) =>
  page.evaluate(async () => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas')!;
    // The context three.js made: getContext hands back the canvas' existing one.
    const gl = canvas.getContext('webgl2')!;
    const ext = gl.getExtension('WEBGL_lose_context')!;
    (window as ContextWin).__lose = ext;
    const told = new Promise((r) => canvas.addEventListener('webglcontextlost', r, { once: true }));
    ext.loseContext();
    await told;
  });

const restoreContext = (page: Page) => page.evaluate(() => (window as ContextWin).__lose!.restoreContext());

/** Resolves after two more animation frames of the page: any frame a change asked for has run by then. */
const twoAnimationFrames = (page: Page) =>
  page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

test('a scene whose graphics context is lost says so, and draws the latest values whole when it is back', async ({
  page,
}) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(97, 0));
  await expect.poll(() => nodeLooksRed(page, 'station/Pump1_Motor')).toBe(true);
  const notice = page.getByTestId('scene-context-lost');
  await expect(notice).toBeHidden();

  await loseContext(page);
  await expect(notice).toBeVisible();
  await expect(notice).toHaveText(/lost its graphics/);
  // Nothing can be drawn: no frame counts (the kiosk's watchdog reads this counter), values carry on.
  const drawn = await frames(page);
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(60, 0));
  await expect.poll(() => value(page, 'pump1.temp')).toBe(60);
  await twoAnimationFrames(page);
  expect(await frames(page)).toBe(drawn);

  await restoreContext(page);
  await expect(notice).toBeHidden();
  // The whole picture, not a rectangle around what changed on a blank canvas; the motor as it is now.
  await expect.poll(() => canvasColours(page), { message: 'colours on the canvas' }).toBeGreaterThan(50);
  expect(await nodeLooksRed(page, 'station/Pump1_Motor')).toBe(false);
  // And it keeps drawing changes.
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(97, 0));
  await expect.poll(() => nodeLooksRed(page, 'station/Pump1_Motor')).toBe(true);
  expect(
    await page.evaluate(
      () => (window as unknown as { twinview: { stats(): { contextLosses: number } } }).twinview.stats().contextLosses,
    ),
  ).toBe(1);
});

test('a kiosk whose graphics context never comes back reloads itself, and its log says the scene stopped drawing', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/?twin=pump-station&mode=kiosk&log=1&watchdog=10s');
  await page.waitForFunction(
    () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
    null,
    { timeout: 30_000 },
  );
  const log = page.getByTestId('watchdog-log');
  await expect(log).toContainText('The page has not reloaded itself.');
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await loseContext(page);
  await expect(page.getByTestId('scene-context-lost')).toBeVisible();
  await reloaded;

  const entry = log.locator('li[data-kind="reload"][data-stall="render"]');
  await expect(entry).toHaveCount(1, { timeout: 20_000 });
  await expect(entry).toContainText(/Reloaded: the scene drew no frame for \d+ s/);
  // The reloaded kiosk has a context of its own again and draws the twin.
  await expect(page.getByTestId('scene-context-lost')).toBeHidden();
  await expect
    .poll(() => canvasColours(page), { message: 'colours on the canvas', timeout: 30_000 })
    .toBeGreaterThan(50);
});
