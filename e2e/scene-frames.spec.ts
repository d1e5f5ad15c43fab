import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, frames, nodeLooksRed, openTwin, publishJson, pumpTelemetry, value } from './helpers';

// Which frames the scene draws (src/scene/framePolicy.ts): only those whose picture changed, a new
// colour at once even while parts spin under the software-WebGL cap on spin-only frames.

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

interface Probe {
  beforeRender(cb: () => void): () => void;
  afterRender(cb: () => void): () => void;
  frames(): number;
  value(id: string): number;
}
type Win = Window & { twinview: Probe; __carried?: { drawn: boolean } };

/** Resolves after two more animation frames of the page: any frame a batch asked for has run by then. */
const twoAnimationFrames = (page: Page) =>
  page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

test('new values that draw the same picture draw no frame', async ({ page }) => {
  await openTwin(page, 'pump-station');
  // Pump 2 stopped (nothing spins) at temperatures under its first threshold (80 °C): one colour.
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(50, 0));
  await expect.poll(() => value(page, 'pump2.temp')).toBe(50);
  await twoAnimationFrames(page);
  const before = await frames(page);
  for (const temp of [51, 52, 53]) {
    await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(temp, 0));
    await expect.poll(() => value(page, 'pump2.temp')).toBe(temp);
    await twoAnimationFrames(page);
  }
  expect(await frames(page)).toBe(before);
  // Labels are HTML: the value shows without a WebGL frame.
  await expect(page.getByTestId('label-station/Pump2_Motor')).toContainText('Pump 2: 53.0 °C');
});

test('while parts spin, a new colour is drawn in the very frame that carries its value', async ({ page }) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(60));
  await expect.poll(() => value(page, 'pump1.temp')).toBe(60);
  // The first loop iteration that sees 97 in the store: did it draw?
  await page.evaluate(() => {
    const w = window as unknown as Win;
    let before = 0;
    w.twinview.beforeRender(() => {
      before = w.twinview.frames();
    });
    w.twinview.afterRender(() => {
      if (w.__carried === undefined && w.twinview.value('pump1.temp') === 97)
        w.__carried = { drawn: w.twinview.frames() > before };
    });
  });
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(97));
  await expect.poll(() => page.evaluate(() => (window as unknown as Win).__carried)).toEqual({ drawn: true });
  expect(await nodeLooksRed(page, 'station/Pump1_Motor')).toBe(true);
});
