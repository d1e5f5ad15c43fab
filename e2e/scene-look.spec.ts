/**
 * How parts look with models the demo never had: textured parts (black, white, grey) show binding
 * colours and alarm glows, and a skinned robot arm is drawn where it is placed, turns its elbow from
 * a signal, and is picked and outlined where its bones put it. Fixtures: e2e/fixtures/dark-texture
 * and skinned-arm (built in code).
 */
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import {
  connectPublisher,
  isSelectionBlue,
  look,
  nodePixel,
  openTwin,
  publishJson,
  scenePixelsNear,
  screenPosition,
  value,
} from './helpers';

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

const PARTS = ['parts/Black', 'parts/White', 'parts/Grey'] as const;
const temps = (t: number) => ({ black: t, white: t, grey: t });
const brightness = ([r, g, b]: [number, number, number]) => Math.max(r, g, b);

/** Samples a part's pixel until both phases of its blink have been seen: lit (red) and its own look. */
async function seesBlink(page: Page, path: string, own: (px: [number, number, number]) => boolean) {
  let lit = false;
  let dark = false;
  await expect
    .poll(
      async () => {
        const px = await nodePixel(page, path);
        const [r, g, b] = px;
        if (r > 120 && r > g * 1.8 && r > b * 1.8) lit = true;
        else if (own(px)) dark = true;
        return lit && dark;
      },
      { intervals: [130], timeout: 15_000, message: `${path} blinks between red and its own look` },
    )
    .toBe(true);
}

/**
 * Polls until the part is seen clearly red in the dark half of the blink (600-950 ms into a second of
 * the page's clock, when the blink's own frame has long been drawn): red from the binding colour, not
 * from the alarm glow.
 */
async function redWhileBlinkIsOff(page: Page, path: string) {
  await expect
    .poll(
      async () => {
        const [px, ms] = await page.evaluate((p) => {
          const api = (window as unknown as { twinview: { pixelAt(p: string): [number, number, number] | null } })
            .twinview;
          return [api.pixelAt(p), Date.now() % 1000] as const;
        }, path);
        if (!px || ms < 600 || ms > 950) return false;
        const [r, g, b] = px;
        return r > 120 && r > g * 1.8 && r > b * 1.8;
      },
      { intervals: [110], timeout: 15_000, message: `${path} is red while its blink is off` },
    )
    .toBe(true);
}

test('textured parts, black, white and grey alike, show their binding colour and their alarm glow', async ({
  page,
}) => {
  await openTwin(page, 'fixture-dark-texture');
  await publishJson(publisher, 'fixtures/parts', temps(20));
  await expect.poll(() => value(page, 'black.temp')).toBe(20);
  // Below every stop and rule: each part shows its own texture.
  await expect.poll(async () => brightness(await nodePixel(page, 'parts/Black'))).toBeLessThan(60);
  expect(Math.min(...(await nodePixel(page, 'parts/White')))).toBeGreaterThan(150);
  for (const part of PARTS) expect(await look(page, part)).toMatchObject({ alarm: 0 });

  // 40: over each part's rule (an urgent alarm), under its colour stops: the glow alone.
  await publishJson(publisher, 'fixtures/parts', temps(40));
  for (const part of PARTS) await expect.poll(() => look(page, part)).toMatchObject({ alarm: 2 });
  await seesBlink(page, 'parts/Black', (px) => brightness(px) < 60);
  await seesBlink(page, 'parts/White', (px) => Math.min(...px) > 150);
  await seesBlink(page, 'parts/Grey', ([r, g, b]) => Math.max(r, g, b) - Math.min(r, g, b) < 20);

  // 85: the alarm stop. Clearly red on every part, whatever its texture, between flashes of the glow too.
  await publishJson(publisher, 'fixtures/parts', temps(85));
  for (const part of PARTS) await redWhileBlinkIsOff(page, part);

  // Acknowledged, back under the colour stops: a steady glow, still plainly red on the black part.
  const list = page.getByTestId('alarm-list');
  for (const id of ['black.hot', 'white.hot', 'grey.hot']) {
    await list
      .locator(`[data-alarm-id="${id}"]`)
      .getByRole('button', { name: /Acknowledge/ })
      .click();
  }
  await publishJson(publisher, 'fixtures/parts', temps(40));
  await expect.poll(() => look(page, 'parts/Black')).toMatchObject({ alarm: 1 });
  await expect.poll(() => value(page, 'black.temp')).toBe(40);
  await expect
    .poll(async () => {
      const [r, g, b] = await nodePixel(page, 'parts/Black');
      return r > 70 && r > g * 1.8 && r > b * 1.8;
    })
    .toBe(true);
  await publishJson(publisher, 'fixtures/parts', temps(20));
});

test('in full quality (?render=full, physically based materials) a black-textured part turns red too', async ({
  page,
}) => {
  await page.goto('/?twin=fixture-dark-texture&render=full');
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
  await publishJson(publisher, 'fixtures/parts', temps(20));
  await expect.poll(async () => brightness(await nodePixel(page, 'parts/Black'))).toBeLessThan(60);
  await publishJson(publisher, 'fixtures/parts', { black: 85 });
  await redWhileBlinkIsOff(page, 'parts/Black');
  await publishJson(publisher, 'fixtures/parts', temps(20));
});

const isArmGreen = (r: number, g: number, b: number) => g > 40 && g > r * 1.4 && g > b * 1.3;

test('a skinned arm is drawn where it is placed, turns its elbow from a signal, and is picked and outlined as posed', async ({
  page,
}) => {
  await openTwin(page, 'fixture-skinned-arm');
  await publishJson(publisher, 'fixtures/arm', { elbow: 0 });
  await expect.poll(() => value(page, 'arm.elbow')).toBe(0);
  // The skin stands on its pedestal (the asset sits at x = 4), not at the scene's origin.
  const skin = await screenPosition(page, 'arm/ArmSkin');
  const pedestal = await screenPosition(page, 'arm/Pedestal');
  if (!skin || !pedestal) throw new Error(`the arm is not in view (skin ${JSON.stringify(skin)})`);
  expect(Math.abs(skin.x - pedestal.x)).toBeLessThan(15);
  expect(skin.y).toBeLessThan(pedestal.y);
  expect(isArmGreen(...(await nodePixel(page, 'arm/ArmSkin')))).toBe(true);
  // The target plate behind where the forearm will point is uncovered.
  const target = await screenPosition(page, 'arm/Target');
  if (!target) throw new Error('the target plate is not in view');
  expect(isArmGreen(...(await nodePixel(page, 'arm/Target')))).toBe(false);

  // 90°: the elbow bone turns, and the forearm the skin weights to it swings over the target.
  await publishJson(publisher, 'fixtures/arm', { elbow: 90 });
  await expect.poll(async () => isArmGreen(...(await nodePixel(page, 'arm/Target')))).toBe(true);
  // The skin's bounds follow the bones: its centre moved towards the target.
  await expect.poll(async () => (await screenPosition(page, 'arm/ArmSkin'))!.x).toBeLessThan(skin.x - 5);

  // Picking hits the forearm where it is now drawn; the rim is drawn around it there.
  const rimHere = () => scenePixelsNear(page, target, { x: 35, y: 30 }, isSelectionBlue);
  expect(await rimHere()).toBeLessThan(10);
  await page.getByTestId('scene').locator('canvas').click({ position: target });
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'arm/ArmSkin');
  await expect.poll(rimHere).toBeGreaterThan(40);
  await page.getByTestId('scene').press('Escape');
  await expect.poll(rimHere).toBeLessThan(10);
  await publishJson(publisher, 'fixtures/arm', { elbow: 0 });
});
