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

/** Red channel of the panel, sampled for a little over one blink period (1 s). */
async function redOverTime(page: Page, path: string): Promise<number[]> {
  const reds: number[] = [];
  for (let i = 0; i < 8; i++) {
    reds.push((await nodePixel(page, path))[0]);
    await page.waitForTimeout(170);
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
    await expect.poll(() => look(page, 'field/r4c73')).toMatchObject({ alarm: 2, stale: false });
    expect(await look(page, 'field/r4c72')).toMatchObject({ alarm: 0 });

    // Selecting the alarm selects the panel and flies the camera to it.
    await alarm.getByRole('button', { name: 'Panel r4c73 produces no power', exact: true }).click();
    await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'field/r4c73');
    await page.waitForTimeout(1_500); // the camera flight
    const blinking = await redOverTime(page, 'field/r4c73');
    expect(Math.max(...blinking) - Math.min(...blinking), `red channel over 1.4 s: ${blinking}`).toBeGreaterThan(15);

    await alarm.getByRole('button', { name: /Acknowledge/ }).click();
    await expect.poll(() => look(page, 'field/r4c73')).toMatchObject({ alarm: 1 });
    await page.waitForTimeout(800); // the next frame (10,000 instances draw slowly in software WebGL)
    await page.screenshot({ path: test.info().outputPath('acknowledged.png') });
    const steady = await redOverTime(page, 'field/r4c73');
    expect(Math.max(...steady) - Math.min(...steady), `red channel over 1.4 s: ${steady}`).toBeLessThan(8);
  } finally {
    clearInterval(timer);
  }
});

test('the arrow keys walk the grid of panels from a selected panel; Escape leaves it', async ({ page }) => {
  await openTwin(page, 'solar-farm');
  const start = await frames(page);
  await page.getByRole('button', { name: 'Corner' }).click();
  // Wait for the camera flight to end: it takes at least 8 frames (0.8 s, at most 0.1 s a frame), then
  // the panel stops moving on screen. 10,000 panels draw a few frames a second in software WebGL, so
  // time alone says little.
  const read = async () => ({ at: await screenPosition(page, 'field/r0c0'), frame: await frames(page) });
  let last = await read();
  await expect
    .poll(
      async () => {
        const before = last;
        last = await read();
        const moved = !before.at || !last.at || Math.hypot(last.at.x - before.at.x, last.at.y - before.at.y) > 0.5;
        return last.frame >= start + 8 && !moved;
      },
      { intervals: [700], timeout: 30_000 },
    )
    .toBe(true);
  const at = last.at;
  const scene = page.getByTestId('scene');
  await scene.locator('canvas').hover({ position: at! });
  await expect(page.getByRole('tooltip')).toHaveText('r0c0');
  await scene.locator('canvas').click({ position: at! });
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
