import { expect, test, type Page } from '@playwright/test';
import mqtt, { type MqttClient } from 'mqtt';
import sharp from 'sharp';
import {
  connectPublisher,
  frames,
  look,
  looksWashedOut,
  nodeLooksRed,
  nodePixel,
  openTwin,
  publishJson,
  pumpTelemetry,
  screenPosition,
  value,
} from './helpers';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { E2E } from './ports';

/** Pixels in the selection blue (#1f5fa8) within 110 × 80 CSS px of a point of the page. */
async function selectionBluePixels(page: Page, at: { x: number; y: number }): Promise<number> {
  const box = await page.getByTestId('scene').locator('canvas').boundingBox();
  const png = await page.screenshot({
    clip: { x: box!.x + at.x - 110, y: box!.y + at.y - 80, width: 220, height: 160 },
  });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let o = 0; o < data.length; o += info.channels) {
    const [r, g, b] = [data[o], data[o + 1], data[o + 2]];
    if (Math.abs(r - 0x1f) < 30 && Math.abs(g - 0x5f) < 35 && Math.abs(b - 0xa8) < 40 && b > 2 * r) n++;
  }
  return n;
}

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('an idle scene renders no frames, and new data renders again', async ({ page }) => {
  await openTwin(page, 'pump-station');
  // Settled: two reads half a second apart agree (models in, first values drawn).
  let before = -1;
  await expect
    .poll(
      async () => {
        const now = await frames(page);
        const settled = now === before;
        before = now;
        return settled;
      },
      { intervals: [500] },
    )
    .toBe(true);
  // Idle means nothing drawn over a stretch of time: the one wait here is the thing measured.
  await page.waitForTimeout(2_000);
  expect(await frames(page)).toBe(before);
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(50, 0));
  await expect.poll(() => frames(page)).toBeGreaterThan(before);
});

test('a label above a part shows its value and unit as text', async ({ page }) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(63.5, 0));
  const label = page.getByTestId('label-station/Pump2_Motor');
  await expect(label).toHaveText('Pump 2: 63.5 °C');
  await expect(label).toBeVisible();
});

test('an unacknowledged alarm makes its part blink, and acknowledging it makes the glow steady', async ({ page }) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(99));
  // pump1.overheat has a 3 s on-delay; its asset is station/Pump1, the parent of the bound motor.
  await expect.poll(() => look(page, 'station/Pump1_Motor'), { timeout: 8_000 }).toMatchObject({ alarm: 2 });
  // The blink draws frames on its own (twice a second) while no data arrives.
  const before = await frames(page);
  await expect.poll(() => frames(page)).toBeGreaterThan(before);
  // Both alarms of the pump (hot and overheating) must be acknowledged before it stops blinking.
  const list = page.getByTestId('alarm-list');
  await list
    .locator('[data-alarm-id="pump1.overheat"]')
    .getByRole('button', { name: /Acknowledge/ })
    .click();
  await expect.poll(() => look(page, 'station/Pump1_Motor')).toMatchObject({ alarm: 2 });
  await list
    .locator('[data-alarm-id="pump1.hot"]')
    .getByRole('button', { name: /Acknowledge/ })
    .click();
  await expect.poll(() => look(page, 'station/Pump1_Motor')).toMatchObject({ alarm: 1 });
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(60));
});

test.describe('with a broker the test can stop', () => {
  const tcpPort = E2E.ownBrokerTcpPort;
  const wsPort = E2E.ownBrokerWsPort;
  let broker: Mosquitto | null = null;
  test.afterEach(async () => {
    await broker?.stop();
    broker = null;
  });

  test('stale data after the broker stops changes the part’s look and its label', async ({ page }) => {
    broker = await startMosquitto({ tcpPort, wsPort });
    const own = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion: 4 });
    await openTwin(page, 'pump-station', `ws://127.0.0.1:${wsPort}`);
    await own.publishAsync('plant/north/pumps/pump1/telemetry', JSON.stringify(pumpTelemetry(90)), { qos: 1 });
    await expect.poll(() => value(page, 'pump1.temp')).toBe(90);
    // 90 °C is over the warning stop: amber, saturated.
    await expect
      .poll(async () => {
        const [r, g, b] = await nodePixel(page, 'station/Pump1_Motor');
        return r > 150 && r > b * 2 && g > b * 1.3;
      })
      .toBe(true);
    expect(await look(page, 'station/Pump1_Motor')).toMatchObject({ stale: false });
    const live = await nodePixel(page, 'station/Pump1_Motor');
    await own.endAsync();
    await broker.stop();
    broker = null;
    await expect.poll(() => look(page, 'station/Pump1_Motor'), { timeout: 15_000 }).toMatchObject({ stale: true });
    await expect.poll(() => looksWashedOut(page, 'station/Pump1_Motor', live)).toBe(true);
    await expect(page.getByTestId('label-station/Pump1_Motor')).toHaveText('Pump 1: 90.0 °C (stale)');
  });

  test('instanced panels wash out when the broker stops, and show live again with its next values', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    broker = await startMosquitto({ tcpPort, wsPort });
    let own = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion: 4 });
    await openTwin(page, 'solar-farm', `ws://127.0.0.1:${wsPort}`);
    await page.getByRole('button', { name: 'Corner' }).click();
    // Panel r0c0 at 0 W: under the 5 W stop, drawn in the alarm red. Sent twice a second (period 1 s).
    const row = () => JSON.stringify({ ts: Date.now(), p: Array.from({ length: 100 }, (_, c) => (c === 0 ? 0 : 380)) });
    let timer = setInterval(() => void own.publishAsync('solar/field/0/power', row()), 500);
    try {
      await expect.poll(() => nodeLooksRed(page, 'field/r0c0'), { timeout: 20_000 }).toBe(true);
      expect(await look(page, 'field/r0c0')).toMatchObject({ stale: false });
      const live = await nodePixel(page, 'field/r0c0');

      clearInterval(timer);
      await own.endAsync();
      await broker.stop();
      await expect.poll(() => look(page, 'field/r0c0'), { timeout: 15_000 }).toMatchObject({ stale: true });
      await expect.poll(() => looksWashedOut(page, 'field/r0c0', live)).toBe(true);

      // The broker is back: the dashboard reconnects, and the panel's next values are drawn live.
      broker = await startMosquitto({ tcpPort, wsPort });
      own = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion: 4 });
      await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 30_000 });
      timer = setInterval(() => void own.publishAsync('solar/field/0/power', row()), 500);
      await expect.poll(() => look(page, 'field/r0c0'), { timeout: 15_000 }).toMatchObject({ stale: false });
      await expect.poll(() => nodeLooksRed(page, 'field/r0c0'), { timeout: 15_000 }).toBe(true);
    } finally {
      clearInterval(timer);
      await own.endAsync();
    }
  });
});

test('clicking a part selects that part: outline, inspector with the live value, and the tree follow', async ({
  page,
}) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(71.5, 0));
  await expect.poll(() => value(page, 'pump2.temp')).toBe(71.5);
  const at = await screenPosition(page, 'station/Pump2_Motor');
  expect(at).not.toBeNull();
  // Hover names the part under the pointer (the motor, not the whole pump) and reads its first bound value.
  await page.getByTestId('scene').locator('canvas').hover({ position: at! });
  await expect(page.getByRole('tooltip')).toHaveText('Pump2_Motor · 71.5 °C');
  expect(await selectionBluePixels(page, at!)).toBeLessThan(20);
  await page.getByTestId('scene').locator('canvas').click({ position: at! });
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-selected', 'station/Pump2_Motor');
  // A rim in the selection blue around the part's silhouette.
  await expect.poll(() => selectionBluePixels(page, at!)).toBeGreaterThan(150);
  await expect(inspector.getByTestId('inspector-value-pump2.temp')).toHaveText('71.5 °C');
  // The tree opens the pump to show its selected motor.
  await expect(page.getByTestId('asset-tree').locator('[data-path="station/Pump2_Motor"]')).toHaveAttribute(
    'aria-current',
    'true',
  );
  // The value follows the broker without another click.
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(74, 0));
  await expect(inspector.getByTestId('inspector-value-pump2.temp')).toHaveText('74.0 °C');
  // Keyboard: the next part of the same pump, then Escape clears the selection.
  await page.getByTestId('scene').press('ArrowRight');
  await expect(inspector).toHaveAttribute('data-selected', 'station/Pump2_Casing');
  await page.getByTestId('scene').press('Escape');
  await expect(inspector).not.toHaveAttribute('data-selected', /./);
  await expect.poll(() => selectionBluePixels(page, at!)).toBeLessThan(20);
  // The tree selects too.
  await page.getByTestId('asset-tree').locator('[data-path="station/Tank1"]').click();
  await expect(inspector).toHaveAttribute('data-selected', 'station/Tank1');
});

test('a missing and a corrupt model show errors naming the files while the other asset renders', async ({ page }) => {
  await openTwin(page, 'broken-model');
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText('corrupt.glb: could not be loaded');
  await expect(notices).toContainText('missing.glb: could not be loaded');
  // A binding to a node the model lacks names the nodes it has.
  await expect(notices).toContainText('no node "CoolingFan_Rotor"');
  await expect(notices).toContainText('CoolingFan_Blades');
  // Compressed copies of the fan (meshopt, Draco; decoders served by the app) load and draw.
  await expect(notices).not.toContainText('fan-meshopt.glb');
  await expect(notices).not.toContainText('fan-draco.glb');
  // A Basis ETC1S KTX2 texture (KHR_texture_basisu; tools/ktx2-fixture.ts) is transcoded by the Basis
  // transcoder the app serves and applied: the housing takes the texture's blue instead of the model's grey.
  await expect(notices).not.toContainText('fan-ktx2.glb');
  await expect
    .poll(async () => {
      const [r, g, b] = await nodePixel(page, 'fanKtx2/CoolingFan_Housing');
      // Blue, lit or in shade; the model's own grey has r ≈ g ≈ b.
      return b > 40 && b > r * 1.6 && b > g * 1.6;
    })
    .toBe(true);
  for (const node of ['fanMeshopt/CoolingFan_Housing', 'fanDraco/CoolingFan_Housing']) {
    const [r, g, b] = await nodePixel(page, node);
    // The housing is mid grey; the background is a light grey (#d4d7db).
    expect(r + g + b).toBeLessThan(0xd4 + 0xd7 + 0xdb - 60);
  }
  // The fan still draws, and its binding still works.
  await publishJson(publisher, 'plant/north/fan1/telemetry', { rpm: 1100 });
  await expect.poll(() => nodeLooksRed(page, 'fan/CoolingFan_Housing')).toBe(true);
});

test('without the KTX2 code (its chunk could not be fetched) only the model with a KTX2 texture fails, named', async ({
  page,
}) => {
  await page.route(/\/assets\/ktx2-[^/]*\.js$/, (route) => route.abort());
  await openTwin(page, 'broken-model');
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText('fan-ktx2.glb: could not be loaded');
  await expect(notices).toContainText('corrupt.glb: could not be loaded');
  await expect(notices).not.toContainText('fan-meshopt.glb');
  await expect(notices).not.toContainText('fan-draco.glb');
  await publishJson(publisher, 'plant/north/fan1/telemetry', { rpm: 1100 });
  await expect.poll(() => nodeLooksRed(page, 'fan/CoolingFan_Housing')).toBe(true);
});

test('the 10,000-panel instanced twin loads, and a panel shows its own live value', async ({ page }) => {
  await openTwin(page, 'solar-farm');
  await page.getByRole('button', { name: 'Corner' }).click();
  // Row 0: panel 0 dead (0 W: alarm red), panel 1 producing (grey shade).
  const row = Array.from({ length: 100 }, (_, c) => (c === 0 ? 0 : 380));
  // Keep the row fresh (its period is 1 s) so it is drawn live, not stale, while software WebGL catches up.
  const send = () => publishJson(publisher, 'solar/field/0/power', { ts: Date.now(), p: row });
  await send();
  const timer = setInterval(() => void send(), 500);
  try {
    await expect.poll(() => value(page, 'r0c1.power')).toBe(380);
    await expect.poll(() => nodeLooksRed(page, 'field/r0c0'), { timeout: 20_000 }).toBe(true);
    const [r, g, b] = await nodePixel(page, 'field/r0c1');
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(40);
    // Clicking the dead panel inspects that one instance and its own signal.
    const at = await screenPosition(page, 'field/r0c0');
    await page.getByTestId('scene').locator('canvas').hover({ position: at! });
    await expect(page.getByRole('tooltip')).toHaveText('r0c0 · 0.00 W');
    await page.getByTestId('scene').locator('canvas').click({ position: at! });
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'field/r0c0');
    await expect(page.getByTestId('inspector-value-r0c0.power')).toHaveText('0.00 W');
  } finally {
    clearInterval(timer);
  }
});

test('the dark control-room theme: from the URL, by the button, and remembered', async ({ page }) => {
  const background = async () => {
    const [r, g, b] = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="scene"] canvas') as HTMLCanvasElement;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      return [...ctx.getImageData(2, 2, 1, 1).data];
    });
    return r + g + b;
  };
  await openTwin(page, 'pump-station');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'isa101');
  expect(await background()).toBeGreaterThan(500);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).toBeLessThan(150);
  // The panels follow the theme too: dark panel, light text (a light panel with light text was a bug).
  const panel = page.getByTestId('alarm-list');
  const brightness = (css: string) =>
    css
      .match(/\d+/g)!
      .slice(0, 3)
      .reduce((n, c) => n + Number(c), 0);
  expect(brightness(await panel.evaluate((el) => getComputedStyle(el).backgroundColor))).toBeLessThan(200);
  expect(brightness(await panel.evaluate((el) => getComputedStyle(el).color))).toBeGreaterThan(500);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.goto('/?twin=pump-station&theme=light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'isa101');
  await page.goto('/?twin=pump-station&theme=dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
