/**
 * The twins as the server serves them: a folder whose name needs URL encoding, a twin whose id is not
 * its folder's name, the start page marking an invalid twin, and problems naming the file where it
 * really is (a twin from another twins folder than models/).
 */
import { expect, test } from '@playwright/test';
import { connectPublisher, nodeLooksRed, openTwin } from './helpers';

test('a folder whose name needs URL encoding is listed, opens from its link and draws its model', async ({ page }) => {
  await page.goto('/');
  const entry = page.locator('.twin-list li[data-twin="north plant"]');
  await expect(entry).toContainText('Fixture: North plant');
  await expect(entry).toHaveAttribute('data-valid', 'true');
  await entry.getByRole('link').click();
  await expect(page).toHaveURL(/\?twin=north%20plant$/);
  await expect(page.getByRole('heading', { name: 'Fixture: North plant' })).toBeVisible();
  await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
  // The model file's name has a space too ("pump 1.glb"): loaded, and its part follows its signal.
  await expect(page.getByText('could not be loaded')).toHaveCount(0);
  const client = await connectPublisher();
  try {
    await expect(async () => {
      await client.publishAsync('fixtures/north-plant/temp', '95', { qos: 1 });
      expect(await nodeLooksRed(page, 'pump1/Pump')).toBe(true);
    }).toPass({ timeout: 15_000 });
  } finally {
    await client.endAsync();
  }
});

test("a twin whose id is not its folder's name loads its models from its folder", async ({ page }) => {
  // The folder is fixture-id-not-folder; the document says "id": "line-7-copy".
  await openTwin(page, 'fixture-id-not-folder');
  await expect(page.getByText('could not be loaded')).toHaveCount(0);
  const client = await connectPublisher();
  try {
    await expect(async () => {
      await client.publishAsync('fixtures/id-not-folder/level', '95', { qos: 1 });
      expect(await nodeLooksRed(page, 'site/Tank')).toBe(true);
    }).toPass({ timeout: 15_000 });
  } finally {
    await client.endAsync();
  }
});

test('the start page marks a twin the validator refuses, though its JSON parses', async ({ page }) => {
  await page.goto('/');
  const broken = page.locator('.twin-list li[data-twin="broken-twin"]');
  await expect(broken).toHaveAttribute('data-valid', 'false');
  await expect(broken.locator('.badge.bad')).toHaveText(/^\d+ problems?$/);
  await expect(page.locator('.twin-list li[data-twin="pump-station"]')).toHaveAttribute('data-valid', 'true');
  await expect(page.locator('.twin-list li[data-twin="pump-station"] .badge.bad')).toHaveCount(0);
});

test("a twin's problems name its file where it really is, here in another twins folder", async ({ page }) => {
  // Served from e2e/twins (TWINVIEW_TWINS_DIRS), not from models/.
  await page.goto('/?twin=broken-twin');
  await expect(page.getByTestId('twin-source')).toHaveText('e2e/twins/broken-twin/twin.json');
  await expect(page.getByRole('alert')).toContainText('npm run twin -- validate e2e/twins/broken-twin/twin.json');
  await expect(page.getByRole('alert')).not.toContainText('models/broken-twin');
});

test('the index says where each twin.json is, and the server answers a folder name URL-encoded', async ({
  request,
}) => {
  const index = (await (await request.get('/twins/index.json')).json()) as { id: string; path: string }[];
  expect(index.find((t) => t.id === 'north plant')?.path).toMatch(/north plant\/twin\.json$/);
  const twin = await request.get('/twins/north%20plant/twin.json');
  expect(twin.status()).toBe(200);
  expect(((await twin.json()) as { id: string }).id).toBe('north-plant');
});
