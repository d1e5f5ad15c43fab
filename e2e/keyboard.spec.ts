/**
 * Every main action of the operator screen with the keyboard only (Tab, Shift+Tab, Enter, Space,
 * Escape, arrows), and at each stop a visible focus ring: choose a view, select a part from the asset
 * tree and in the scene, fit it, acknowledge an alarm, open and close the command dialog, switch the
 * language, open and close the drawer on a tablet. Twin: e2e/fixtures/i18n-lab.fixture.ts.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, publishJson, screenBounds } from './helpers';

const TWIN = 'fixture-i18n-lab';
let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
  await publisher.endAsync();
});

async function open(page: Page): Promise<void> {
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 20 });
  await page.goto(`/?twin=${TWIN}`);
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
}

/** Presses `key` (Tab or Shift+Tab) until `target` has the focus; fails if it never gets it. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${String(target)} never got the focus with ${key}`);
}

/** The focused element shows a keyboard focus ring: :focus-visible, with an outline or a box-shadow. */
async function expectVisibleFocus(page: Page): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline =
      s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !/rgba\(.*, 0\)/.test(s.outlineColor);
    return {
      focusVisible: el.matches(':focus-visible'),
      outline,
      shadow: s.boxShadow !== 'none',
      what: el.outerHTML.slice(0, 80),
    };
  });
  expect(ring, 'something has the focus').not.toBeNull();
  expect(ring!.focusVisible, ring!.what).toBe(true);
  expect(ring!.outline || ring!.shadow, `${ring!.what} shows a focus ring`).toBe(true);
}

/** How far a part's centre is from the canvas' centre (0 centre, 1 edge); null off screen. */
async function offCentre(page: Page, path: string): Promise<number | null> {
  const b = await screenBounds(page, path);
  if (!b) return null;
  const x = (b.left + b.right) / 2;
  const y = (b.top + b.bottom) / 2;
  if (x < 0 || y < 0 || x > b.width || y > b.height) return null;
  return Math.max(Math.abs(x / b.width - 0.5), Math.abs(y / b.height - 0.5)) * 2;
}
const centred = (page: Page, path: string) =>
  expect.poll(async () => (await offCentre(page, path)) ?? 1, { timeout: 10_000 }).toBeLessThan(0.25);

test('views, selection, fit, acknowledge, the command dialog and the language, by keyboard alone', async ({ page }) => {
  await open(page);
  const inspector = page.getByTestId('inspector');

  // A view: Tab to its button in the top bar, Enter; another with Space.
  await tabTo(page, page.getByRole('button', { name: 'East station' }));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await centred(page, 'lab/East');
  await tabTo(page, page.getByRole('button', { name: 'West station' }), 'Shift+Tab');
  await expectVisibleFocus(page);
  await page.keyboard.press(' ');
  await centred(page, 'lab/West');

  // The scene itself: arrows walk the equipment, Escape clears the selection.
  await tabTo(page, page.getByTestId('scene'));
  await expectVisibleFocus(page);
  await page.keyboard.press('ArrowRight');
  await expect(inspector).toHaveAttribute('data-selected', /^lab\//);
  await page.keyboard.press('Escape');
  await expect(inspector).not.toHaveAttribute('data-selected', /.+/);

  // A part from the asset tree, then Fit frames it.
  const tree = page.getByTestId('asset-tree');
  await tabTo(page, tree.locator('[data-path="lab/Pump"]'));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(inspector).toHaveAttribute('data-selected', 'lab/Pump');
  await tabTo(page, tree.getByRole('button', { name: 'Fit Pump in view' }));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await centred(page, 'lab/Pump');

  // The command dialog: opened from the inspector with Enter, focus starts on Cancel, Escape closes it.
  const stop = inspector.getByRole('button', { name: 'Stop pump…' });
  await tabTo(page, stop, 'Shift+Tab');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('command-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(stop).toBeFocused();

  // An alarm: Tab back to its Acknowledge button, Space.
  await publishJson(publisher, 'fixtures/i18n-lab/temp', { temp: 71.5 });
  const alarm = page.getByTestId('alarm-list').locator('[data-alarm-id="pump.hot"]');
  await expect(alarm).toHaveAttribute('data-state', 'active');
  await tabTo(page, alarm.getByRole('button', { name: /^Acknowledge/ }), 'Shift+Tab');
  await expectVisibleFocus(page);
  await page.keyboard.press(' ');
  await expect(alarm).toHaveAttribute('data-state', 'acknowledged');

  // The language: Tab to the switch, arrows choose (a closed <select> changes with them), saved.
  const language = page.getByLabel('Language');
  await tabTo(page, language, 'Shift+Tab');
  await expectVisibleFocus(page);
  await page.keyboard.press('ArrowDown');
  await expect(tree.getByRole('heading', { name: 'Anlagen' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expectVisibleFocus(page);
  await page.keyboard.press('ArrowUp');
  await expect(tree.getByRole('heading', { name: 'Assets' })).toBeVisible();
});

test.describe('on a tablet', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('the drawer opens from its button with Enter, takes the focus, and Escape gives it back', async ({ page }) => {
    await open(page);
    const toggle = page.getByTestId('drawer-toggle');
    await tabTo(page, toggle);
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('side-drawer')).toHaveAttribute('data-open', 'true');
    // Focus moved into the drawer: the next Tab lands on a control inside it.
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="side-drawer"]')))
      .toBe(true);
    await expectVisibleFocus(page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('side-drawer')).toHaveAttribute('data-open', 'false');
    await expect(toggle).toBeFocused();
  });
});
