import { expect, test } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, nodeLooksRed, nodePixel, openTwin, publishJson, pumpTelemetry } from './helpers';

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('the start page lists every twin the server has, and opens one by its link', async ({ page }) => {
  await page.goto('/');
  const list = page.locator('.twin-list');
  await expect(list.getByText('North pump station')).toBeVisible();
  await expect(list.getByText('A twin with mistakes')).toBeVisible();
  await list.getByText('North pump station').click();
  await expect(page).toHaveURL(/\?twin=pump-station$/);
  await expect(page.getByRole('heading', { name: 'North pump station' })).toBeVisible();
});

test('the dashboard draws the 3D scene (the canvas is not blank)', async ({ page }) => {
  await openTwin(page, 'pump-station');
  const stats = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="scene"] canvas') as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    const colours = new Set<number>();
    let differentFromBackground = 0;
    const bg = [data[0], data[1], data[2]];
    for (let i = 0; i < data.length; i += 4 * 7) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 30)
        differentFromBackground++;
    }
    return { colours: colours.size, share: differentFromBackground / (data.length / 4 / 7) };
  });
  expect(stats.colours).toBeGreaterThan(50);
  expect(stats.share).toBeGreaterThan(0.2);
});

// How fast a value reaches the screen is measured by `npm run bench -- scene` (publish-to-pixel
// latency), not asserted here: a loaded test machine would make a time limit flaky, not informative.
test('a value published to the broker appears in the dashboard', async ({ page }) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, 1234));
  await expect(page.getByTestId('value-pump2.rpm')).toHaveText('1234 rpm');
});

test('a value over a rule limit raises an alarm in the list, and acknowledging it changes its state', async ({
  page,
}) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump3/telemetry', pumpTelemetry(99));
  // The rule has a 3 s on-delay.
  const alarm = page.getByTestId('alarm-list').locator('[data-alarm-id="pump3.overheat"]');
  await expect(alarm).toContainText('Pump 3 bearing overheating');
  await expect(alarm).toHaveAttribute('data-state', 'active');
  await alarm.getByRole('button', { name: /Acknowledge/ }).click();
  await expect(alarm).toHaveAttribute('data-state', 'acknowledged');
  await publishJson(publisher, 'plant/north/pumps/pump3/telemetry', pumpTelemetry(60));
  await expect(alarm).toHaveCount(0);
});

test('a bound part changes colour on screen when its value crosses a threshold', async ({ page }) => {
  await openTwin(page, 'pump-station');
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(60));
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as unknown as { twinview: { value(id: string): number } }).twinview.value('pump1.temp'),
      ),
    )
    .toBe(60);
  const [r0, g0, b0] = await nodePixel(page, 'station/Pump1_Motor');
  // Grey equipment: channels close together.
  expect(Math.max(r0, g0, b0) - Math.min(r0, g0, b0)).toBeLessThan(40);
  await publishJson(publisher, 'plant/north/pumps/pump1/telemetry', pumpTelemetry(97));
  await expect.poll(() => nodeLooksRed(page, 'station/Pump1_Motor')).toBe(true);
});

test('a twin file with errors lists each problem with its JSON path instead of a blank page', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto('/?twin=broken-twin');
  const problems = page.getByRole('alert');
  await expect(problems).toContainText('The twin “broken-twin” has');
  await expect(problems).toContainText('$.connection.url');
  await expect(problems).toContainText('expected a ws:// or wss:// URL');
  await expect(page.getByText('Nothing of it was loaded')).toBeVisible();
  expect(dialogs).toBe(0);
});

test('an unknown twin says so', async ({ page }) => {
  await page.goto('/?twin=no-such-twin');
  await expect(page.getByRole('alert')).toContainText('there is no twin "no-such-twin"');
});
