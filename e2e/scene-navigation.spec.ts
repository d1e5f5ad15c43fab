import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, nodeLooksRed, openTwin, publishJson, screenBounds, screenPosition } from './helpers';

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

/** Whether a part is wholly on the canvas and takes up at least `share` of its width or height. */
async function framed(page: Page, path: string, share: number): Promise<boolean> {
  const b = await screenBounds(page, path);
  if (!b) return false;
  const inside = b.left >= 0 && b.top >= 0 && b.right <= b.width && b.bottom <= b.height;
  return inside && Math.max((b.right - b.left) / b.width, (b.bottom - b.top) / b.height) >= share;
}

const canvas = (page: Page) => page.getByTestId('scene').locator('canvas');
const tree = (page: Page) => page.getByTestId('asset-tree');

test('a 10 cm part with no views is framed whole by the first view', async ({ page }) => {
  await openTwin(page, 'fixture-tiny-part');
  // Both ends of the part on screen, and the part filling a good share of the view (not a speck).
  await expect.poll(() => framed(page, 'sensor', 0.3)).toBe(true);
  expect(await screenPosition(page, 'sensor/Connector')).not.toBeNull();
  expect(await screenPosition(page, 'sensor/Cap')).not.toBeNull();
  // Drawn, not cut by the near plane: its colour binding turns it red where it is.
  await publishJson(publisher, 'fixtures/sensor', { temp: 70 });
  await expect.poll(() => nodeLooksRed(page, 'sensor/Housing')).toBe(true);
});

test('a 1 km site with no views is framed whole; Fit on a tree row frames a building, and on the asset row the site', async ({
  page,
}) => {
  await openTwin(page, 'fixture-km-site');
  await expect.poll(() => framed(page, 'site', 0.5)).toBe(true);
  expect(await screenPosition(page, 'site/Warehouse_West')).not.toBeNull();
  expect(await screenPosition(page, 'site/Office_East')).not.toBeNull();
  // The far corner is drawn (far plane beyond the site): its binding colours it.
  await publishJson(publisher, 'fixtures/site/office', { kw: 450 });
  await expect.poll(() => nodeLooksRed(page, 'site/Office_East')).toBe(true);

  // A small building far off, a speck in the whole view, fills the view after Fit on its row.
  expect(await framed(page, 'site/Gatehouse', 0.2)).toBe(false);
  await tree(page).getByRole('button', { name: 'Open Buildings' }).click();
  await tree(page).getByRole('button', { name: 'Fit Gatehouse in view' }).click();
  await expect.poll(() => framed(page, 'site/Gatehouse', 0.2)).toBe(true);
  // Fit on the asset's row: the whole site again.
  await tree(page).getByRole('button', { name: 'Fit site in view' }).click();
  await expect.poll(() => framed(page, 'site', 0.5)).toBe(true);
  // Home (Reset view) without views in the twin: the whole site too.
  await tree(page).getByRole('button', { name: 'Fit Gatehouse in view' }).click();
  await expect.poll(() => framed(page, 'site/Gatehouse', 0.2)).toBe(true);
  await page.getByRole('button', { name: 'Reset view' }).click();
  await expect.poll(() => framed(page, 'site', 0.5)).toBe(true);
});

test('names as exporters write them: bindings reach dotted and repeated names, and picking selects the nested part', async ({
  page,
}) => {
  await openTwin(page, 'fixture-exporter-names');
  // "Pump.002/Motor": a dotted parent (loaded as "Pump002") and a repeated name ("Motor" twice).
  await publishJson(publisher, 'fixtures/names/pump2', { temp: 95 });
  await expect.poll(() => nodeLooksRed(page, 'plant/Pump.002/Motor')).toBe(true);
  expect(await nodeLooksRed(page, 'plant/Pump.001/Motor')).toBe(false);
  await publishJson(publisher, 'fixtures/names/bolt', { strain: 70 });
  await expect.poll(() => nodeLooksRed(page, 'plant/Flange_B/Bolt')).toBe(true);
  expect(await nodeLooksRed(page, 'plant/Flange_A/Bolt')).toBe(false);

  // Hover and click the bound motor: the motor itself, named as the twin names it.
  const motor = await screenPosition(page, 'plant/Pump.002/Motor');
  await canvas(page).hover({ position: motor! });
  await expect(page.getByRole('tooltip')).toHaveText(/^Pump\.002\/Motor · 95/);
  await canvas(page).click({ position: motor! });
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-selected', 'plant/Pump.002/Motor');
  await expect(tree(page).locator('[data-path="plant/Pump.002/Motor"]')).toHaveAttribute('aria-current', 'true');

  // A base with a generated name ("Object_3") belongs to its pump.
  const base = await screenPosition(page, 'plant/Pump.001/Object_3');
  await canvas(page).hover({ position: base! });
  await expect(page.getByRole('tooltip')).toHaveText('Pump.001');
  // An unbound repeated name is told apart by its parent.
  const bolt = await screenPosition(page, 'plant/Flange_A/Bolt');
  await canvas(page).click({ position: bolt! });
  await expect(inspector).toHaveAttribute('data-selected', 'plant/Flange_A/Bolt');
});

test('the asset tree lists equipment nested, without cameras, lights, empty helpers or generated names', async ({
  page,
}) => {
  await openTwin(page, 'fixture-exporter-names');
  const rows = tree(page).locator('.tree-node');
  await expect(tree(page).locator('[data-path="plant/Skid"]')).toBeVisible();
  // Top level: the skid, the filter out of its unnamed wrapper group, the flanges. Nothing else.
  await expect(rows).toHaveText(['plant', 'Skid', 'Filter', 'Flange_A', 'Flange_B']);
  await tree(page).getByRole('button', { name: 'Open Skid' }).click();
  await expect(rows).toHaveText([
    'plant',
    'Skid',
    'Pump.001',
    'Pump.002',
    'Valve.001',
    'Filter',
    'Flange_A',
    'Flange_B',
  ]);
  await tree(page).getByRole('button', { name: 'Open Pump.002' }).click();
  await expect(tree(page).locator('[data-path="plant/Pump.002/Motor"]')).toHaveText('Motor');
  for (const helper of ['Camera', 'Sun', 'Helpers', 'Object_12', 'Object_4']) {
    await expect(rows.filter({ hasText: new RegExp(`^${helper}$`) })).toHaveCount(0);
  }
  // The tree's Fit on a nested row frames that part.
  await tree(page).getByRole('button', { name: 'Fit Valve.001 in view' }).click();
  await expect.poll(() => framed(page, 'plant/Valve.001', 0.25)).toBe(true);
});

test('a label hidden with its node comes back with it, without the camera moving', async ({ page }) => {
  await openTwin(page, 'fixture-exporter-names');
  const label = page.getByTestId('label-plant/Valve.001');
  await publishJson(publisher, 'fixtures/names/valve', { open: 1 });
  await expect(label).toBeVisible();
  await expect(label).toContainText('Valve open');
  await publishJson(publisher, 'fixtures/names/valve', { open: 0 });
  await expect(label).toBeHidden();
  await publishJson(publisher, 'fixtures/names/valve', { open: 1 });
  await expect(label).toBeVisible();
});

test('the problems box lists every node name, filters, folds (keyboard too) and keeps to the top of the scene', async ({
  page,
}) => {
  await openTwin(page, 'fixture-km-site');
  const box = page.getByTestId('notices');
  await expect(box).toContainText('no node "Shed_99"');
  const names = page.getByTestId('node-names-site');
  // All of the model's 40-odd names, not the first 30.
  await expect(names.getByRole('listitem')).toHaveCount(43);
  await expect(names).toContainText('Shed_36');
  // Never most of the scene: at most a third of its height.
  const sceneBox = await page.getByTestId('scene').boundingBox();
  expect((await box.boundingBox())!.height).toBeLessThanOrEqual(sceneBox!.height * 0.34);

  await box.getByRole('searchbox', { name: 'Filter problems and node names' }).fill('shed_3');
  await expect(names.getByRole('listitem')).toHaveText([
    'Shed_30',
    'Shed_31',
    'Shed_32',
    'Shed_33',
    'Shed_34',
    'Shed_35',
    'Shed_36',
  ]);
  await box.getByRole('searchbox').fill('');

  const toggle = box.getByRole('button', { name: /problem/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(names).toBeHidden();
  await expect(box).toContainText('1 problem');
  await page.keyboard.press('Space');
  await expect(names).toBeVisible();
});
