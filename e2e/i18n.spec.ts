/**
 * The UI in the operator's language (src/i18n): a German browser gets German text, a decimal comma
 * and day-first dates; the language switch changes it and the choice survives a reload; `?lang=de`
 * sets the kiosk's language. Twin-authored text (title, alarm message, labels) stays as written.
 * Twin: e2e/fixtures/i18n-lab.fixture.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, publishJson } from './helpers';

const TWIN = 'fixture-i18n-lab';
let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

const hotAlarm = (page: Page) => page.getByTestId('alarm-list').locator('[data-alarm-id="pump.hot"]');

async function open(page: Page, query = ''): Promise<void> {
  await page.goto(`/?twin=${TWIN}${query}`);
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
}

test.describe('a German browser', () => {
  test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

  test('shows the operator screen in German, with a decimal comma and day-first dates', async ({ page }) => {
    await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
    await open(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');

    // Top bar and panels.
    await expect(page.getByTestId('connection')).toContainText('Online');
    await expect(page.getByRole('navigation', { name: 'Kameraansichten' })).toBeVisible();
    await expect(page.getByLabel('Sprache')).toHaveValue('de');
    await expect(page.getByRole('heading', { name: 'Anlagen' })).toBeVisible();
    await expect(page.getByTestId('inspector')).toContainText('Klicken Sie auf ein Teil');
    await expect(page.getByTestId('alarm-list')).toContainText('Keine aktiven Alarme.');

    // A value with a decimal comma and the unit, its age in German.
    await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 42.34 });
    await expect(page.getByTestId('value-pump.temp')).toHaveText('42,3 °C');
    await expect(page.getByTestId('value-pump.temp-age')).toHaveText(/^(jetzt|vor \d+ s)$/);

    // The alarm list: German words around the twin's own (English) message.
    await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 71.5 });
    await expect(hotAlarm(page)).toHaveAttribute('data-state', 'active');
    await expect(hotAlarm(page)).toContainText('Pump bearing hot');
    await expect(hotAlarm(page)).toContainText('hoch');
    await expect(hotAlarm(page)).toContainText('Unquittiert');
    await expect(hotAlarm(page)).toContainText('Wert 71,5');
    // German writes the hour without a leading zero (0:14:59 just after midnight).
    await expect(hotAlarm(page)).toContainText(/ausgelöst \d{1,2}:\d{2}:\d{2}/);
    await expect(page.getByTestId('alarm-banner').locator('[data-priority="high"]')).toHaveText('hoch 1');

    // The inspector, reached from the asset tree.
    await page.getByTestId('asset-tree').locator('[data-path="lab/Pump"]').click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toHaveAttribute('data-selected', 'lab/Pump');
    await expect(inspector.getByRole('heading', { name: 'Alarme' })).toBeVisible();
    await expect(inspector).toContainText('hoch · Pump bearing hot · Unquittiert');
    await expect(page.getByTestId('inspector-value-pump.temp')).toHaveText('71,5 °C');

    // Acknowledging in German, and the audit log's date: day first (30.11.2026, 15:04:05).
    await hotAlarm(page)
      .getByRole('button', { name: /^Quittieren/ })
      .click();
    await expect(hotAlarm(page)).toHaveAttribute('data-state', 'acknowledged');
    await expect(hotAlarm(page)).toContainText('Quittiert');
    await page.getByTestId('alarm-audit').locator('summary').click();
    await expect(page.getByTestId('alarm-audit')).toContainText('Protokoll dieses Bildschirms');
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
    });
    await expect(page.getByTestId('audit-time').first()).toHaveText(
      new RegExp(`^${today.replace(/\./g, '\\.')}, \\d{1,2}:\\d{2}:\\d{2}$`),
    );
    await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
  });

  test('the switch changes the language to English, and the choice survives a reload', async ({ page }) => {
    await open(page);
    await expect(page.getByRole('heading', { name: 'Anlagen' })).toBeVisible();
    await page.getByLabel('Sprache').selectOption('en');
    await expect(page.getByRole('heading', { name: 'Assets' })).toBeVisible();
    await expect(page.getByLabel('Language')).toHaveValue('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('alarm-list').getByRole('heading', { name: /^Alarms/ })).toBeVisible();

    await page.reload();
    await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
    await expect(page.getByRole('heading', { name: 'Assets' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 42.34 });
    await expect(page.getByTestId('value-pump.temp')).toHaveText('42.3 °C');
  });
});

test('?lang=de puts a kiosk in an English browser into German', async ({ page }) => {
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
  await page.goto(`/?twin=${TWIN}&mode=kiosk&lang=de`);
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByTestId('kiosk-alarms')).toHaveText(/Keine Alarme zu quittieren/);
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 80 });
  await expect(page.getByTestId('kiosk-alarms')).toContainText('1 zu quittieren');
  await expect(page.getByTestId('kiosk-alarms')).toContainText('Pump bearing hot');
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
  // A kiosk's ?lang= is not saved: the operator screen in this browser stays English.
  await page.goto(`/?twin=${TWIN}`);
  await expect(page.getByRole('heading', { name: 'Assets' })).toBeVisible();
});

test('?lang=de puts an embedded dashboard into German', async ({ page }) => {
  await page.goto(`/?twin=${TWIN}&mode=embed&panels=alarms&lang=de`);
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByTestId('embed-alarms').getByRole('heading')).toHaveText('Keine Alarme');
});
