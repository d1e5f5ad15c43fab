/**
 * `npx tsx tools/effect-pictures.ts`: refreshes the pictures of each binding effect in
 * docs/images/effects/ (used by docs/twin-format.md). Builds the app, runs a private Mosquitto, opens the
 * demo twins in headless Chromium, publishes the values each picture needs and photographs the part.
 * Names given (`npx tsx tools/effect-pictures.ts selection stale`) refresh only the pictures whose file
 * names start with them; the run is the same.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import mqtt, { type MqttClient } from 'mqtt';
import { build, preview } from 'vite';
import { startMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'images', 'effects');
const dist = join(root, '.tmp', 'effect-pictures');

type Probe = { ready(): boolean; screenPosition(path: string): { x: number; y: number } | null };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pump = (temp: number, rpm = 1450) =>
  JSON.stringify({ ts: Date.now(), running: rpm > 0, rpm, flow: 50, bearing: { temp }, motor: { current: 40 } });

await build({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: dist, emptyOutDir: true },
});
const tcpPort = await freePort();
const wsPort = await freePort();
const broker = await startMosquitto({ tcpPort, wsPort });
process.env.TWINVIEW_TWINS_DIRS = 'models';
// The pictures' own broker, which the page is sent to with ?broker= (only allowed brokers are followed).
process.env.TWINVIEW_BROKERS = `ws://127.0.0.1:${wsPort}`;
const webPort = await freePort();
const server = await preview({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: dist },
  preview: { port: webPort, strictPort: true, host: '127.0.0.1' },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const client: MqttClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion: 4 });
mkdirSync(outDir, { recursive: true });

async function open(twin: string, view?: string, settleMs = 2500): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`http://127.0.0.1:${webPort}/?twin=${twin}&broker=ws://127.0.0.1:${wsPort}&render=full`);
  await page.locator('[data-testid="connection"][data-state="online"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: Probe }).twinview?.ready() === true);
  if (view) {
    await page.getByRole('navigation', { name: 'Camera views' }).getByRole('button', { name: view }).click();
    await sleep(settleMs); // the camera flies there; software WebGL takes its time
  }
  return page;
}

/** Photographs a 480 x 300 piece of the scene around a node. */
const only = process.argv.slice(2);

async function shoot(page: Page, node: string, file: string, dy = 0, settleMs = 1200): Promise<void> {
  await sleep(settleMs);
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) return;
  const at = await page.evaluate((p) => (window as unknown as { twinview: Probe }).twinview.screenPosition(p), node);
  const box = await page.getByTestId('scene').boundingBox();
  if (!at || !box) throw new Error(`${node} is not on screen`);
  const w = 480;
  const h = 300;
  const x = Math.max(box.x, Math.min(box.x + box.width - w, box.x + at.x - w / 2));
  const y = Math.max(box.y, Math.min(box.y + box.height - h, box.y + at.y - h / 2 + dy));
  await page.screenshot({ path: join(outDir, file), clip: { x, y, width: w, height: h } });
  console.log(`wrote docs/images/effects/${file}`);
}

const all = async (temps: [number, number, number], extra: Record<string, unknown> = {}) => {
  for (let i = 0; i < 3; i++) await client.publishAsync(`plant/north/pumps/pump${i + 1}/telemetry`, pump(temps[i]));
  for (const [topic, body] of Object.entries(extra)) await client.publishAsync(topic, JSON.stringify(body));
};

try {
  let page = await open('pump-station', 'Pumps');
  await all([97, 85, 60]);
  await shoot(page, 'station/Pump2_Motor', 'color-thresholds.png');
  await shoot(page, 'station/Pump2_Motor', 'label.png', -60);
  // Selection: the rim around the selected equipment (the tree selects as a click on the part does).
  await page.getByTestId('asset-tree').locator('[data-path="station/Pump2"]').click();
  await shoot(page, 'station/Pump2_Motor', 'selection.png');
  await page.close();

  page = await open('pump-station', 'Tank');
  await all([60, 60, 60], {
    'plant/north/tank1/telemetry': { level: 40 },
    'plant/north/valve1/telemetry': { position: 80 },
  });
  await shoot(page, 'station/Tank1_Shell', 'scale.png');
  await page.close();

  page = await open('pump-station', 'Overview');
  await all([60, 60, 60], { 'plant/north/valve1/telemetry': { position: 100 } });
  await shoot(page, 'station/Valve1_Handwheel', 'rotate-translate.png');
  await client.publishAsync('plant/north/fan1/telemetry', JSON.stringify({ rpm: 900 }));
  await shoot(page, 'fan/CoolingFan_Blades', 'spin.png');
  await page.close();

  // Alarm: over 95 for 3 s raises pump1.hot and pump1.overheat on station/Pump1; its parts blink.
  page = await open('pump-station', 'Pumps');
  await all([99, 60, 60]);
  await sleep(4500);
  // Blink is lit in the first half of each wall-clock second: shoot early in it.
  const lit = () => page.evaluate(() => new Date().getMilliseconds());
  await all([99, 60, 60]); // fresh values: the picture is about the alarm, not staleness
  await sleep(600);
  for (let ms = await lit(); ms < 80 || ms > 200; ms = await lit()) await sleep(20);
  await shoot(page, 'station/Pump1_Motor', 'alarm-unacknowledged.png', 0, 0);
  for (const id of ['pump1.overheat', 'pump1.hot']) {
    await page
      .locator(`[data-alarm-id="${id}"]`)
      .first()
      .getByRole('button', { name: /Acknowledge/ })
      .click();
  }
  await all([99, 60, 60]);
  await shoot(page, 'station/Pump1_Motor', 'alarm-acknowledged.png', 0, 800);
  await page.close();

  page = await open('solar-farm', 'Corner', 10_000);
  for (let row = 0; row < 6; row++) {
    const p = Array.from({ length: 100 }, (_, c) => (row === 0 && c === 1 ? 0 : 40 + ((row * 37 + c * 53) % 360)));
    await client.publishAsync(`solar/field/${row}/power`, JSON.stringify({ ts: Date.now(), p }));
  }
  await shoot(page, 'field/r0c1', 'color-ramp-instances.png');
  await page.close();

  // An alarm on one instance (rule panel-r4c73-dead, 3 s on-delay): that panel blinks among its rows.
  page = await open('solar-farm', 'Corner', 4000);
  const rows = () => {
    for (let row = 2; row < 7; row++) {
      const p = Array.from({ length: 100 }, (_, c) => (row === 4 && c === 73 ? 0 : 40 + ((row * 37 + c * 53) % 360)));
      void client.publishAsync(`solar/field/${row}/power`, JSON.stringify({ ts: Date.now(), p }));
    }
  };
  rows();
  const fresh = setInterval(rows, 500); // period 1 s: keep the rows live, not washed out as stale
  try {
    await sleep(4500);
    await page.getByRole('button', { name: 'Panel r4c73 produces no power', exact: true }).click();
    await sleep(5000); // the camera flight, at a few frames a second for 10,000 panels
    // Step back from the panel (mouse wheel over the scene) so its neighbours show.
    const canvas = await page.getByTestId('scene').boundingBox();
    if (canvas) await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 3);
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, 300);
      await sleep(500);
    }
    await page.mouse.move(2, 2);
    await sleep(3000);
    for (let ms = await lit(); ms < 80 || ms > 200; ms = await lit()) await sleep(20);
    await shoot(page, 'field/r4c73', 'alarm-instance.png', 0, 0);
  } finally {
    clearInterval(fresh);
  }
  await page.close();

  // Stale: a live warning colour, then the broker goes away.
  page = await open('pump-station', 'Pumps');
  await all([90, 90, 90]);
  await sleep(1500);
  await client.endAsync();
  await broker.stop();
  await sleep(3000);
  await shoot(page, 'station/Pump2_Motor', 'stale.png', -40);
  await page.close();
} finally {
  await browser.close();
  await new Promise<void>((r) => server.httpServer.close(() => r()));
  await broker.stop();
}
