import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, frames, look, nodePixel, openTwin, publishJson, screenPosition } from './helpers';

/** An alarm on one of 10,000 instanced panels: that panel blinks until acknowledged, then glows steadily. */

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

/**
 * Waits until a camera flight has ended: it takes at least 8 frames (0.8 s, at most 0.1 s a frame),
 * then the part stops moving on screen. 10,000 panels draw a few frames a second in software WebGL, so
 * time alone says little. Resolves with where the part is.
 */
async function flightEnded(page: Page, path: string, startFrame: number): Promise<{ x: number; y: number }> {
  const read = async () => ({ at: await screenPosition(page, path), frame: await frames(page) });
  let last = await read();
  await expect
    .poll(
      async () => {
        const before = last;
        last = await read();
        const moved = !before.at || !last.at || Math.hypot(last.at.x - before.at.x, last.at.y - before.at.y) > 0.5;
        return last.frame >= startFrame + 8 && !moved;
      },
      { intervals: [700], timeout: 30_000 },
    )
    .toBe(true);
  return last.at!;
}

/** The part's red channel in each of the next `n` frames the scene draws (it draws only on change). */
async function redOverFrames(page: Page, path: string, n: number): Promise<number[]> {
  const reds: number[] = [];
  for (let i = 0; i < n; i++) {
    const frame = await frames(page);
    await expect.poll(() => frames(page)).toBeGreaterThan(frame);
    reds.push((await nodePixel(page, path))[0]);
  }
  return reds;
}

test('an alarm on one instanced panel makes that panel blink; acknowledged, it glows steadily', async ({ page }) => {
  test.setTimeout(90_000);
  await openTwin(page, 'solar-farm');
  // Row 4: panel r4c73 dead (0 W), the rest producing. Kept fresh so nothing is drawn stale.
  const row = Array.from({ length: 100 }, (_, c) => (c === 73 ? 0 : 380));
  const send = () => publishJson(publisher, 'solar/field/4/power', { ts: Date.now(), p: row });
  await send();
  const timer = setInterval(() => void send(), 500);
  try {
    // The rule panel-r4c73-dead has a 3 s on-delay.
    const alarm = page.getByTestId('alarm-list').locator('[data-alarm-id="panel-r4c73-dead"]');
    await expect(alarm).toBeVisible({ timeout: 10_000 });
    // The field keeps its larger pixel budget in software WebGL after the alarm changed the
    // dashboard around it (a re-render had put the canvas back to its initial 0.4 scale: a blurred field).
    const canvasPixels = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas')!;
        return (canvas.width * canvas.height) / Math.min(canvas.clientWidth * canvas.clientHeight, 450_000);
      });
    await expect
      .poll(canvasPixels, { message: 'drawing buffer / min(canvas area, heavy budget)' })
      .toBeGreaterThan(0.8);
    await expect.poll(() => look(page, 'field/r4c73')).toMatchObject({ alarm: 2, stale: false });
    expect(await look(page, 'field/r4c72')).toMatchObject({ alarm: 0 });

    // Selecting the alarm selects the panel and flies the camera to it.
    const flightStart = await frames(page);
    await alarm.getByRole('button', { name: 'Panel r4c73 produces no power', exact: true }).click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'field/r4c73');
    await flightEnded(page, 'field/r4c73', flightStart);
    // Blinking: its red channel swings. Sampled until it has (a steady panel never gets there).
    const blinking: number[] = [];
    await expect
      .poll(
        async () => {
          blinking.push((await nodePixel(page, 'field/r4c73'))[0]);
          return Math.max(...blinking) - Math.min(...blinking);
        },
        { message: 'red channel of a blinking panel' },
      )
      .toBeGreaterThan(15);

    await alarm.getByRole('button', { name: /Acknowledge/ }).click();
    await expect.poll(() => look(page, 'field/r4c73')).toMatchObject({ alarm: 1 });
    // Steady: the same red in each frame drawn from now on. A blink would draw a frame at each
    // toggle, so six frames would catch it.
    const steady = await redOverFrames(page, 'field/r4c73', 6);
    await page.screenshot({ path: test.info().outputPath('acknowledged.png') });
    expect(Math.max(...steady) - Math.min(...steady), `red channel over 6 frames: ${steady}`).toBeLessThan(8);
  } finally {
    clearInterval(timer);
  }
});

test('the arrow keys walk the grid of panels from a selected panel; Escape leaves it', async ({ page }) => {
  await openTwin(page, 'solar-farm');
  const start = await frames(page);
  await page.getByRole('button', { name: 'Corner' }).click();
  const at = await flightEnded(page, 'field/r0c0', start);
  const scene = page.getByTestId('scene');
  await scene.locator('canvas').hover({ position: at });
  await expect(page.getByRole('tooltip')).toHaveText('r0c0');
  await scene.locator('canvas').click({ position: at });
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-selected', 'field/r0c0');
  await scene.press('ArrowRight');
  await expect(inspector).toHaveAttribute('data-selected', 'field/r0c1');
  await scene.press('ArrowDown');
  await expect(inspector).toHaveAttribute('data-selected', 'field/r1c1');
  await expect(page.getByTestId('inspector-value-r1c1.power')).toBeVisible();
  await scene.press('ArrowUp');
  await scene.press('ArrowUp'); // the edge of the field: stays on row 0
  await expect(inspector).toHaveAttribute('data-selected', 'field/r0c1');
  await scene.press('Escape');
  await expect(inspector).not.toHaveAttribute('data-selected', /.+/);
});
