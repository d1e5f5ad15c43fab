import { expect, test } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, openTwin } from './helpers';
import { seriousViolations } from './axe';

// axe-core's WCAG 2 A/AA checks on each screen: no serious or critical violation. The scene's canvas is
// one labelled image to axe (its keyboard path is tested in scene-navigation.spec.ts).

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('the operator screen has no serious or critical accessibility violations', async ({ page }) => {
  await openTwin(page, 'pump-station');
  expect(await seriousViolations(page)).toEqual([]);
});

test('the operator screen in the dark theme has none either', async ({ page }) => {
  await page.goto('/?twin=pump-station&theme=dark');
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  expect(await seriousViolations(page)).toEqual([]);
});

test('the tablet layout with the drawer open has none', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openTwin(page, 'pump-station');
  await page.getByTestId('drawer-toggle').click();
  await expect(page.getByTestId('alarm-list')).toBeInViewport();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the kiosk screen has no serious or critical accessibility violations', async ({ page }) => {
  await page.goto('/?twin=pump-station&mode=kiosk');
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('kiosk')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('a new alarm is announced to screen readers, a high one assertively', async ({ page }) => {
  // alarm-lab (e2e/twins/alarm-lab): rule lab.hot, "lab.temp > 50", high, "Lab too hot".
  await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
  await openTwin(page, 'alarm-lab');
  const assertive = page.getByTestId('alarm-announce-assertive');
  await expect(assertive).toHaveAttribute('aria-live', 'assertive');
  await expect(assertive).toHaveText('');
  await publisher.publishAsync('alarmlab/temp', '60', { qos: 1 });
  await expect(assertive).toHaveText('New high alarm: Lab too hot');
  await expect(page.getByTestId('alarm-announce-polite')).toHaveText('');
  await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
});

test('the operator screen with an active high alarm has none, in both themes', async ({ page }) => {
  await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
  await openTwin(page, 'alarm-lab');
  await publisher.publishAsync('alarmlab/temp', '60', { qos: 1 });
  await expect(page.getByTestId('alarm-list').locator('[data-alarm-id="lab.hot"]')).toHaveAttribute(
    'data-state',
    'active',
  );
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: /dark theme/i }).click();
  await expect(page.locator(':root')).toHaveAttribute('data-theme', 'dark');
  expect(await seriousViolations(page)).toEqual([]);
  await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
});
