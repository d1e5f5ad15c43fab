import { expect, test } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, publishJson, pumpTelemetry } from './helpers';
import { E2E } from './ports';

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('a link to a broker the deployment does not allow is refused, said on the page, and the allowed one used', async ({
  page,
}) => {
  // A look-alike broker with markup in its path: refused, and shown as text, never as HTML.
  const evil = 'wss://evil.example:8884/<img src=x onerror=window.__pwned=1>';
  await page.goto(`/?twin=pump-station&broker=${encodeURIComponent(evil)}`);
  const notice = page.getByTestId('broker-refused');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(evil);
  await expect(notice).toContainText(E2E.brokerWsUrl);
  expect(await notice.locator('img').count()).toBe(0);
  // It connects to the served config's broker, and its data arrives.
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expect(page.getByTestId('diag-connection')).toContainText(E2E.brokerWsUrl);
  await expect(page.getByTestId('diag-connection')).not.toContainText('evil.example');
  await expect
    .poll(async () => {
      await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, 1321));
      return page.getByTestId('value-pump2.rpm').textContent();
    })
    .toBe('1321 rpm');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('a link to the allowed broker is followed without a notice', async ({ page }) => {
  await page.goto(`/?twin=pump-station&broker=${encodeURIComponent(E2E.brokerWsUrl)}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expect(page.getByTestId('diag-connection')).toContainText(E2E.brokerWsUrl);
  await expect(page.getByTestId('broker-refused')).toHaveCount(0);
});
