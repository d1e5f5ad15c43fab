import { expect, test } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, publishJson, screenBounds } from './helpers';

// The fixture-kiosk-lab twin (e2e/fixtures/kiosk-lab.fixture.ts): views "west" and "east" cycled every
// 2 s, rule pump.hot ("pump.temp > 50", high) on lab/Pump, which is off screen in both views;
// an alarm holds the screen for 4 s.
let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

/** Whether the part's centre is on the canvas, and how far from the canvas' centre (0 centre, 1 edge). */
async function offCentre(page: import('@playwright/test').Page, path: string): Promise<number | null> {
  const b = await screenBounds(page, path);
  if (!b) return null;
  const x = (b.left + b.right) / 2;
  const y = (b.top + b.bottom) / 2;
  if (x < 0 || y < 0 || x > b.width || y > b.height) return null;
  return Math.max(Math.abs(x / b.width - 0.5), Math.abs(y / b.height - 0.5)) * 2;
}

test('the kiosk cycles its views, a new high alarm takes over at its part, then the playlist resumes', async ({
  page,
}) => {
  await publishJson(publisher, 'fixtures/kiosk-lab/temp', { temp: 20 });
  await page.goto('/?twin=fixture-kiosk-lab&mode=kiosk');
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());

  // A wall: nothing to type into or press, no cursor, the alarm summary read-only.
  await expect(page.getByTestId('kiosk')).toBeVisible();
  await expect(page.getByLabel('Operator name')).toHaveCount(0);
  await expect(page.getByTestId('kiosk-alarms')).toHaveText(/No alarms to acknowledge/);
  await expect(page.getByRole('button')).toHaveCount(0);
  expect(await page.getByTestId('scene').evaluate((el) => getComputedStyle(el).cursor)).toBe('none');

  // The playlist: west, then east, then west again; each view shows its own station, never the pump.
  const view = page.getByTestId('kiosk-view');
  await expect(view).toHaveAttribute('data-view-id', 'west');
  await expect(view).toHaveText('West station');
  await expect.poll(() => offCentre(page, 'lab/West'), { timeout: 10_000 }).toBeLessThan(0.2);
  await expect(view).toHaveAttribute('data-view-id', 'east', { timeout: 10_000 });
  await expect.poll(() => offCentre(page, 'lab/East'), { timeout: 10_000 }).toBeLessThan(0.2);
  expect(await offCentre(page, 'lab/Pump')).toBeNull();
  await expect(view).toHaveAttribute('data-view-id', 'west', { timeout: 10_000 });

  // A new high alarm takes over: shown large, and the camera comes round to the pump.
  await publishJson(publisher, 'fixtures/kiosk-lab/temp', { temp: 80 });
  const takeover = page.getByTestId('kiosk-takeover');
  await expect(takeover).toHaveAttribute('data-alarm-id', 'pump.hot', { timeout: 10_000 });
  await expect(takeover).toContainText('Pump bearing hot');
  await expect(takeover).toContainText('high');
  await expect(view).toHaveText('');
  await expect.poll(() => offCentre(page, 'lab/Pump'), { timeout: 10_000 }).toBeLessThan(0.2);
  await expect(page.getByTestId('kiosk-alarms')).toContainText('1 to acknowledge');

  // Then the playlist resumes; the alarm stays in the summary, not over the scene.
  await expect(takeover).toHaveCount(0, { timeout: 15_000 });
  await expect(view).toHaveAttribute('data-view-id', /^(west|east)$/);
  await expect.poll(() => offCentre(page, 'lab/Pump'), { timeout: 10_000 }).toBeNull();
  await expect(page.getByTestId('kiosk-alarms').locator('[data-alarm-id="pump.hot"]')).toContainText(
    'Pump bearing hot',
  );
});
