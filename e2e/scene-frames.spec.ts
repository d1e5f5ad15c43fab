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

interface Checked {
  pixels: number;
  differing: number;
  share: number;
  culled: number;
}
type CheckWin = Window & {
  twinview: { checkNextPartialFrame(timeoutMs?: number): Promise<Checked | null> };
  __check?: Promise<Checked | null>;
};
/** Starts watching for the next partial frame (before the change that asks for it is published). */
const watchNextPartialFrame = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as CheckWin;
    w.__check = w.twinview.checkNextPartialFrame(10_000);
  });
const partialFrameChecked = (page: Page) => page.evaluate(() => (window as unknown as CheckWin).__check!);
const checkNextPartialFrame = async (page: Page) => {
  await watchNextPartialFrame(page);
  return partialFrameChecked(page);
};

test('a frame that changes a few parts redraws only around them, and leaves the picture a whole frame would draw', async ({
  page,
}) => {
  await openTwin(page, 'pump-station');
  // Two pumps spin; the frames of the spin alone redraw around the impellers and motors, and leave
  // out the parts that cannot reach there (the tank, the valve, the third pump: the same pixels).
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(60));
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(50));
  await expect.poll(() => value(page, 'pump2.temp')).toBe(50);
  for (let i = 0; i < 3; i++) {
    const checked = await checkNextPartialFrame(page);
    expect(checked).not.toBeNull();
    // Every pixel as a whole frame of the same moment draws it: no trail of the turning parts.
    expect(checked!.differing).toBe(0);
    expect(checked!.share).toBeGreaterThan(0);
    expect(checked!.share).toBeLessThan(0.6);
    expect(checked!.culled).toBeGreaterThan(0);
  }
  // A new colour while they spin; the tank's level falls and rises (its part shrinks and grows: the
  // place it was drawn must be redrawn too); then the pumps stop: the frame that shows where they
  // stopped is partial too, and so is the next colour, which the stopped pumps leave alone.
  const published = async (publish: () => Promise<void>) => {
    await watchNextPartialFrame(page);
    await publish();
    const checked = await partialFrameChecked(page);
    expect(checked).not.toBeNull();
    expect(checked!.differing).toBe(0);
  };
  for (const [temp, rpm, level] of [
    [60, 1450, 80],
    [97, 1450, 20],
    [60, 0, 70],
    [97, 0, 30],
  ]) {
    await published(() => publishJson(publisher, 'plant/north/tank1/telemetry', { ts: Date.now(), level }));
    await published(async () => {
      await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(temp, rpm));
      await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(50, rpm));
    });
  }
  // The alarm raised at 97 °C blinks the pump: those frames too redraw only around it.
  await expect.poll(() => value(page, 'pump1.rpm')).toBe(0);
  const blink = await checkNextPartialFrame(page);
  expect(blink).not.toBeNull();
  expect(blink!.differing).toBe(0);
});
