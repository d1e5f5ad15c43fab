/**
 * The editor's scene side (issue 15): a GLB dropped into a twin shows in the node tree with the names
 * its exporter wrote, is placed by a field (and moves in the live preview), a view is named from the
 * camera and flown back to, and a part clicked in the preview is bound to a signal whose next value
 * colours it.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { connectPublisher, nodeLooksRed, publishJson, screenPosition } from './helpers';
import { E2E } from './ports';
import { openSection, pagePoint, previewReady } from './editorPage';

/** The exporter-shaped model of e2e/fixtures/exporter-names.fixture.ts (dotted and repeated names). */
const SKID = join(E2E.fixturesDir, 'fixture-exporter-names', 'skid.glb');

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('a dropped GLB is placed, viewed and bound by clicking in the live preview', async ({ page }) => {
  await page.goto('/?mode=edit&twin=fixture-editor-scene');
  await expect(page.getByTestId('editor-title')).toHaveText('Fixture: editing the scene');

  // Drop (pick) the model: it becomes the asset "skid".
  await openSection(page, /Models/);
  await page.getByTestId('editor-model-drop').setInputFiles(SKID);
  await expect(page.getByTestId('editor-model-report')).toContainText('Added skid');

  // The node tree has the names as the exporter wrote them; a repeated name shows the path that tells it apart.
  const tree = page.getByTestId('editor-node-tree');
  await expect(tree.locator('[data-node="skid/Pump.002"]')).toHaveText('Pump.002');
  await expect(tree.locator('[data-node="skid/Valve.001"]')).toHaveText('Valve.001');
  await expect(tree.locator('[data-node="skid/Pump.002/Motor"]')).toHaveText('Motor Pump.002/Motor');
  await previewReady(page);

  // Selecting a row selects the part in the scene (the binding form names it).
  await tree.locator('[data-node="skid/Valve.001"]').click();
  await expect(page.getByTestId('binding-node')).toHaveValue('skid/Valve.001');
  await expect(tree.locator('[data-node="skid/Valve.001"]')).toHaveAttribute('aria-selected', 'true');

  // Move the asset by its x field: the valve moves on screen, the field's path is the schema's.
  const before = await screenPosition(page, 'skid/Valve.001');
  expect(before).not.toBeNull();
  const x = page.getByTestId('editor-asset-position-x');
  await expect(x).toHaveAttribute('data-path', '$.assets[0].position[0]');
  await x.fill('-2');
  await expect
    .poll(async () => {
      const after = await screenPosition(page, 'skid/Valve.001');
      return after && before ? Math.hypot(after.x - before.x, after.y - before.y) : 0;
    })
    .toBeGreaterThan(30);

  // A view from the camera: named, and "Go" flies back to it after the camera was turned.
  await openSection(page, /Views/);
  await page.getByTestId('editor-add-view').click();
  await expect(page.locator('[data-path="$.views[0].id"]')).toHaveValue('view-1');
  await previewReady(page);
  const atView = await screenPosition(page, 'skid/Valve.001');
  // Move the camera: a double click on a row flies to that part.
  await page.getByTestId('editor-node-tree').locator('[data-node="skid/Valve.001"]').dblclick();
  await expect.poll(() => screenPosition(page, 'skid/Valve.001')).not.toEqual(atView);
  await page.locator('[data-view="view-1"]').getByRole('button', { name: 'Fly to view view-1' }).click();
  await expect
    .poll(async () => {
      const p = await screenPosition(page, 'skid/Valve.001');
      return p && atView ? Math.hypot(p.x - atView.x, p.y - atView.y) : Infinity;
    })
    .toBeLessThan(2);

  // Bind by clicking: the second pump's motor, picked in the scene, coloured by pump2.temp over 80.
  // Nothing selected first: no gizmo drawn where the motor is clicked.
  await page.getByTestId('scene').press('Escape');
  const motor = await pagePoint(page, 'skid/Pump.002/Motor');
  await page.mouse.click(motor.x, motor.y);
  const form = page.getByTestId('binding-form');
  await expect(form.getByTestId('binding-node')).toHaveValue('skid/Pump.002/Motor');
  await expect(form.getByTestId('binding-signal')).toHaveValue('pump2.temp');
  await expect(form.getByTestId('binding-effect')).toHaveValue('colorThresholds');
  await expect(form.getByTestId('binding-stop-value-0')).toHaveValue('80');
  await expect(form).toContainText('From this value upwards, this colour.');
  await expect(form).not.toContainText('fieldHints');
  await form.getByTestId('binding-save').click();
  await openSection(page, /Bindings/);
  await expect(page.locator('.editor-binding')).toContainText('pump2.temp → skid/Pump.002/Motor');
  // Put the selection (and its gizmo) away so nothing is drawn over the motor.
  await page.getByTestId('scene').press('Escape');
  await previewReady(page);

  await publishJson(publisher, 'fixtures/editor-scene/pump2', { temp: 40 });
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as unknown as { twinview: { value(id: string): number } }).twinview.value('pump2.temp'),
      ),
    )
    .toBe(40);
  expect(await nodeLooksRed(page, 'skid/Pump.002/Motor')).toBe(false);
  await publishJson(publisher, 'fixtures/editor-scene/pump2', { temp: 95 });
  await expect.poll(() => nodeLooksRed(page, 'skid/Pump.002/Motor')).toBe(true);
});

test('files dropped onto the page are checked: a broken one is named with the reason and not added', async ({
  page,
}) => {
  await page.goto('/?mode=edit&twin=fixture-editor-scene');
  await openSection(page, /Models/);
  await expect(page.getByTestId('editor-preview')).toBeVisible();
  // A drop as the browser makes one from the desktop: a DataTransfer with the files, onto the preview.
  const files = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['this is not a model'], 'broken.glb', { type: 'model/gltf-binary' }));
    const gltf = { asset: { version: '2.0' }, buffers: [{ uri: 'tank.bin', byteLength: 4 }] };
    data.items.add(new File([JSON.stringify(gltf)], 'tank.gltf', { type: 'model/gltf+json' }));
    return data;
  });
  await page.getByTestId('editor-preview').dispatchEvent('dragover', { dataTransfer: files });
  await page.getByTestId('editor-preview').dispatchEvent('drop', { dataTransfer: files });
  const report = page.getByTestId('editor-model-report').first();
  await expect(report).toContainText('broken.glb was not added: not a GLB file (no "glTF" header)');
  await expect(report).toContainText('tank.gltf was not added: it needs tank.bin, which was not dropped with it');
  await expect(page.locator('.editor-asset')).toHaveCount(0);
});

test('a .gltf picked with its .bin and texture previews from the files in the browser', async ({ page }) => {
  const dir = join(E2E.fixturesDir, 'fixture-external-gltf');
  await page.goto('/?mode=edit&twin=fixture-editor-scene');
  await openSection(page, /Models/);
  await page
    .getByTestId('editor-model-drop')
    .setInputFiles(['crate.gltf', 'crate.bin', 'crate.png'].map((f) => join(dir, f)));
  await expect(page.getByTestId('editor-model-report')).toContainText('Added crate');
  await expect(page.getByTestId('editor-node-tree').locator('[data-node="crate/Crate"]')).toHaveText('Crate');
  // Loaded (a model that failed would be a placeholder, not a part with bounds).
  await expect.poll(() => screenPosition(page, 'crate/Crate')).not.toBeNull();

  // The gizmo's modes by keyboard, as in most 3D tools: W move, E rotate, R scale.
  await page.getByTestId('editor-node-tree').locator('[data-node="crate/Crate"]').click();
  const scene = page.getByTestId('scene');
  await scene.press('e');
  await expect(page.getByRole('button', { name: 'Rotate (E)' })).toHaveAttribute('aria-pressed', 'true');
  await scene.press('r');
  await expect(page.getByRole('button', { name: 'Scale (R)' })).toHaveAttribute('aria-pressed', 'true');
  await scene.press('w');
  await expect(page.getByRole('button', { name: 'Move (W)' })).toHaveAttribute('aria-pressed', 'true');

  // Drag the gizmo's centre (move in the view's plane): the crate moves, as one undo step.
  const start = await pagePoint(page, 'crate/Crate');
  const from = await screenPosition(page, 'crate/Crate');
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 40, start.y, { steps: 4 });
  await page.mouse.move(start.x + 80, start.y, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('editor-undo')).toHaveAttribute('title', /Move crate/);
  await expect
    .poll(async () => {
      const p = await screenPosition(page, 'crate/Crate');
      return p && from ? p.x - from.x : 0;
    })
    .toBeGreaterThan(40);
  await page.getByTestId('editor-undo').click();
  await expect(page.getByTestId('editor-undo')).toHaveAttribute('title', /Add model crate\.gltf/);
  await expect
    .poll(async () => {
      const p = await screenPosition(page, 'crate/Crate');
      return p && from ? Math.hypot(p.x - from.x, p.y - from.y) : Infinity;
    })
    .toBeLessThan(2);

  // An invalid draft keeps the last valid preview, and says why it does not follow.
  await openSection(page, /Views/);
  await page.getByTestId('editor-add-view').click();
  const id = page.locator('[data-path="$.views[0].id"]');
  await id.fill('not an id!');
  await expect(page.getByTestId('editor-preview-paused')).toHaveText('Preview paused: 1 problem');
  expect(await screenPosition(page, 'crate/Crate')).not.toBeNull();
  await id.fill('overview');
  await expect(page.getByTestId('editor-preview-paused')).toHaveCount(0);
});

test('existing bindings are listed, edited in the form and deleted, each one undo step', async ({ page }) => {
  await page.goto('/?mode=edit&twin=fixture-exporter-names');
  await openSection(page, /Bindings/);
  const rows = page.locator('.editor-binding');
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText('pump2.temp → plant/Pump.002/Motor (Colour by thresholds)');

  // Edit: the form opens on the binding, its fields carry the binding's JSON paths.
  await rows.first().getByRole('button', { name: 'Edit' }).click();
  const form = page.getByTestId('binding-form');
  await expect(form.getByTestId('binding-node')).toHaveValue('plant/Pump.002/Motor');
  const stop = form.getByTestId('binding-stop-value-0');
  await expect(stop).toHaveAttribute('data-path', '$.bindings[0].effect.stops[0][0]');
  await expect(stop).toHaveValue('80');
  await stop.fill('70');
  await form.getByTestId('binding-save').click();
  await expect(page.getByTestId('editor-undo')).toHaveAttribute('title', /Change binding of plant\/Pump\.002\/Motor/);

  // Delete the label binding, then undo it.
  await rows.nth(2).getByRole('button', { name: 'Delete the binding of plant/Valve.001' }).click();
  await expect(rows).toHaveCount(3);
  await page.getByTestId('editor-undo').click();
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(2)).toContainText('valve.open → plant/Valve.001 (Label with the value)');
});
