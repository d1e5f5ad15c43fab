import mqtt, { type MqttClient } from 'mqtt';
import type { Page } from '@playwright/test';
import { E2E } from './ports';

/** A publisher for the test itself, over MQTT/TCP to the same broker the dashboard reads. */
export async function connectPublisher(): Promise<MqttClient> {
  return mqtt.connectAsync(E2E.brokerTcpUrl, {
    protocolVersion: 4,
    clientId: `e2e-${Math.random().toString(16).slice(2)}`,
  });
}

export async function publishJson(client: MqttClient, topic: string, payload: unknown, retain = false): Promise<void> {
  await client.publishAsync(topic, JSON.stringify(payload), { qos: 1, retain });
}

export function pumpTelemetry(temp: number, rpm = 1450) {
  return { ts: Date.now(), running: rpm > 0, rpm, flow: 50, bearing: { temp }, motor: { current: 40 } };
}

/**
 * Opens a twin and waits until its models are in the scene and the engine is online; `broker` (a
 * ws:// URL) for a broker of the test's own instead of the run's.
 */
export async function openTwin(page: Page, id: string, broker?: string): Promise<void> {
  await page.goto(`/?twin=${id}${broker ? `&broker=${encodeURIComponent(broker)}` : ''}`);
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
    null,
    {
      timeout: 30_000,
    },
  );
}

/** Whether a part's pixel is now far less saturated than `live`, its colour while its data was live. */
export async function looksWashedOut(page: Page, path: string, live: [number, number, number]): Promise<boolean> {
  const [r, g, b] = await nodePixel(page, path);
  return Math.max(r, g, b) - Math.min(r, g, b) < (Math.max(...live) - Math.min(...live)) / 2;
}

/** The RGB colour of the canvas pixel where a scene node is drawn (its bounding-box centre). */
export async function nodePixel(page: Page, node: string): Promise<[number, number, number]> {
  return page.evaluate((path) => {
    const api = (window as unknown as { twinview: { pixelAt(path: string): [number, number, number] | null } })
      .twinview;
    const px = api.pixelAt(path);
    if (!px) throw new Error(`node ${path} is not on screen`);
    return px;
  }, node);
}

/** Whether the part is drawn in the alarm red (clearly red, not a grey or amber shade). */
export async function nodeLooksRed(page: Page, node: string): Promise<boolean> {
  const [r, g, b] = await nodePixel(page, node);
  return r > 120 && r > g * 1.8 && r > b * 1.8;
}

/** The part of `window.twinview` (src/scene/SceneProbe.tsx) the tests read. */
interface Probe {
  frames(): number;
  value(id: string): number;
  look(path: string): { stale: boolean; alarm: number };
  screenPosition(path: string): { x: number; y: number } | null;
}

/** Frames the scene has rendered since the page loaded. */
export const frames = (page: Page) => page.evaluate(() => (window as unknown as { twinview: Probe }).twinview.frames());

/** The latest value of a signal in the dashboard's store. */
export const value = (page: Page, id: string) =>
  page.evaluate((s) => (window as unknown as { twinview: Probe }).twinview.value(s), id);

/** How a part is drawn: stale, and its alarm look (0 none, 1 acknowledged, 2 blinking). */
export const look = (page: Page, path: string) =>
  page.evaluate((p) => (window as unknown as { twinview: Probe }).twinview.look(p), path);

/** Where a part is on the canvas (CSS pixels from its top left), or null when it is off screen. */
export const screenPosition = (page: Page, path: string) =>
  page.evaluate((p) => (window as unknown as { twinview: Probe }).twinview.screenPosition(p), path);

/**
 * Pixels of the page's screenshot within `half` CSS px (x, y) of a point of the scene canvas that
 * `match` accepts: how much of a colour (a selection rim, a part) is drawn around a place.
 */
export async function scenePixelsNear(
  page: Page,
  at: { x: number; y: number },
  half: { x: number; y: number },
  match: (r: number, g: number, b: number) => boolean,
): Promise<number> {
  const { default: sharp } = await import('sharp');
  const box = await page.getByTestId('scene').locator('canvas').boundingBox();
  if (!box) throw new Error('no scene canvas');
  const png = await page.screenshot({
    clip: { x: box.x + at.x - half.x, y: box.y + at.y - half.y, width: half.x * 2, height: half.y * 2 },
  });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let o = 0; o < data.length; o += info.channels) if (match(data[o], data[o + 1], data[o + 2])) n++;
  return n;
}

/** How many different colours a sample of the scene canvas holds: a blank or mostly blank canvas has a few. */
export const canvasColours = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas')!;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return colours.size;
  });

/** The selection blue (#1f5fa8) of the rim, as the screen shows it. */
export const isSelectionBlue = (r: number, g: number, b: number) =>
  Math.abs(r - 0x1f) < 30 && Math.abs(g - 0x5f) < 35 && Math.abs(b - 0xa8) < 40 && b > 2 * r;

/**
 * The screen rectangle a part's bounding box covers (CSS pixels from the canvas' top left, not clipped)
 * and the canvas' size, or null when the part is not in the scene.
 */
export const screenBounds = (page: Page, path: string) =>
  page.evaluate(
    (p) =>
      (
        window as unknown as {
          twinview: {
            screenBounds(
              path: string,
            ): { left: number; top: number; right: number; bottom: number; width: number; height: number } | null;
          };
        }
      ).twinview.screenBounds(p),
    path,
  );
