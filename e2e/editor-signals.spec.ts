/**
 * The editor's signal side (issue 15), against the real broker: the topic browser lists what the test
 * publishes (rate, last payload as text), a picked JSON path becomes a signal with a guessed unit and
 * range, a wildcard capture makes a template, a rule's what-if counts firings over the values seen,
 * the command form refuses a wildcard topic as you type, the W3C example Thing Description is
 * imported with its notes listed, and a Sparkplug metric becomes a signal.
 */
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { get as sparkplugFor } from 'sparkplug-payload';
import { connectPublisher, publishJson } from './helpers';
import { seriousViolations } from './axe';
import { openSection } from './editorPage';

// The package's entry point (Node's ESM loader does not resolve its deep paths without an extension).
const { encodePayload } = sparkplugFor('spBv1.0')!;
type Metrics = Parameters<typeof encodePayload>[0]['metrics'];

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

/** A topic prefix of the test's own, so no other spec's messages show. */
const prefix = () => `e2e-editor-signals/${Math.random().toString(16).slice(2, 10)}`;

/** A new twin in the editor, its topic browser listening on `filter`. */
async function browse(page: Page, filter: string): Promise<void> {
  await page.goto('/?mode=edit');
  await expect(page.getByTestId('editor')).toBeVisible();
  const browser = page.getByTestId('topic-browser');
  await browser.getByTestId('topic-filter').fill(filter);
  await browser.getByTestId('topic-start').click();
  await expect(browser.getByTestId('topic-state')).toHaveText(`Listening on ${filter}`);
}

const row = (page: Page, topic: string) =>
  page.getByTestId('topic-browser').locator(`[data-testid="topic-row"][data-topic="${topic}"]`);

test('the topic browser lists published topics with their rate and last payload, as text', async ({ page }) => {
  const base = prefix();
  await browse(page, `${base}/#`);
  const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  for (let i = 0; i < 4; i++) await publishJson(publisher, `${base}/pump1/telemetry`, { bearing: { temp: 60 + i } });
  await publisher.publishAsync(`${base}/hostile`, hostile, { qos: 1 });

  const pump = row(page, `${base}/pump1/telemetry`);
  await expect(pump).toHaveAttribute('data-count', '4');
  await expect(pump.getByTestId('topic-payload')).toHaveText('{"bearing":{"temp":63}}');
  await expect(pump.getByTestId('topic-rate')).toHaveText(/^[1-9][\d.,]*\/s$/);
  await expect(pump).toContainText('4 messages');

  const bad = row(page, `${base}/hostile`);
  await expect(bad.getByTestId('topic-payload')).toHaveText(hostile);
  await expect(page.getByTestId('topic-browser').locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a picked JSON path makes a signal with a guessed unit and range, and a rule says how often it would have fired', async ({
  page,
}) => {
  const base = prefix();
  const topic = `${base}/pump1/telemetry`;
  await browse(page, `${base}/#`);
  // Two excursions over 65 in what the browser sees.
  for (const temp of [60, 68, 61, 69, 62]) await publishJson(publisher, topic, { bearing: { temp }, running: true });
  await expect(row(page, topic)).toHaveAttribute('data-count', '5');

  await row(page, topic).getByRole('button', { name: topic }).click();
  const values = page.getByTestId('topic-values');
  const leaf = values.locator('[data-testid="topic-leaf"][data-path-leaf="bearing.temp"]');
  await leaf.getByTestId('topic-make-signal').click();
  await expect(values.getByRole('status')).toHaveText('Signal “pump1.bearing.temp” added to Signals.');

  // The Signals section opens on the new signal: the guesses are there to edit.
  const form = page.getByTestId('signal-form').first();
  await expect(form.getByTestId('signal-id')).toHaveValue('pump1.bearing.temp');
  await expect(form.getByTestId('signal-topic')).toHaveValue(topic);
  await expect(form.getByTestId('signal-path')).toHaveValue('bearing.temp');
  await expect(form.getByTestId('signal-unit')).toHaveValue('°C');
  // Seen 60..69: a margin of a quarter of the span, rounded outwards to a step of 5.
  await expect(form.getByTestId('signal-range-low')).toHaveValue('55');
  await expect(form.getByTestId('signal-range-high')).toHaveValue('75');

  // A field validates as you type, with the schema's message.
  await form.getByTestId('signal-range-high').fill('x');
  await expect(form.getByTestId('signal-range-high')).toHaveAttribute('aria-invalid', 'true');
  await form.getByTestId('signal-range-high').fill('75');
  await expect(form.getByTestId('signal-range-high')).toHaveAttribute('aria-invalid', 'false');

  await openSection(page, /^Rules/);
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rule = page.getByTestId('rule-form').first();
  // The parser checks the condition as you type, even while the rule has no message yet.
  await rule.getByTestId('rule-when').fill('pump1.bearing.temp >');
  await expect(rule.getByTestId('rule-when-error')).toContainText('at character 21');
  await rule.getByTestId('rule-message').fill('Pump 1 hot');
  await expect(rule.getByTestId('rule-when')).toHaveAttribute('aria-invalid', 'true');
  await rule.getByTestId('rule-when').fill('pump1.bearing.temp > 65');
  await expect(rule.getByTestId('rule-when')).toHaveAttribute('aria-invalid', 'false');
  await rule.getByTestId('rule-whatif-run').click();
  await expect(rule.getByTestId('rule-whatif')).toHaveText(
    /^Would have fired 2 times over the last [\d.,]+ s of values seen \(pump1\.bearing\.temp\)\.$/,
  );
});

test('a wildcard capture over sibling topics makes a signal template', async ({ page }) => {
  const base = prefix();
  await browse(page, `${base}/#`);
  await publishJson(publisher, `${base}/pump1/telemetry`, { bearing: { temp: 50 } });
  await publishJson(publisher, `${base}/pump2/telemetry`, { bearing: { temp: 70 } });
  await expect(row(page, `${base}/pump2/telemetry`)).toHaveAttribute('data-count', '1');

  await row(page, `${base}/pump1/telemetry`).getByRole('button').click();
  const values = page.getByTestId('topic-values');
  await values.getByTestId('topic-pattern').selectOption(`${base}/+pump/telemetry`);
  await values.locator('[data-path-leaf="bearing.temp"]').getByTestId('topic-make-signal').click();

  const form = page.getByTestId('signal-form').first();
  await expect(form.getByTestId('signal-id')).toHaveValue('{pump}.bearing.temp');
  await expect(form.getByTestId('signal-topic')).toHaveValue(`${base}/+pump/telemetry`);
  await expect(form.getByTestId('signal-label')).toHaveValue('{pump} bearing temp');
  // The range covers both pumps' values (50 and 70).
  await expect(form.getByTestId('signal-range-low')).toHaveValue('45');
  await expect(form.getByTestId('signal-range-high')).toHaveValue('75');
  await expect(form.getByTestId('signal-topic')).toHaveAttribute('aria-invalid', 'false');
});

test('the command form refuses a wildcard topic as you type', async ({ page }) => {
  await page.goto('/?mode=edit');
  await openSection(page, /^Commands/);
  await page.getByRole('button', { name: 'Add command' }).click();
  const form = page.getByTestId('command-form').first();
  const topic = form.getByTestId('command-topic');
  await topic.fill('plant/+/cmd');
  await expect(topic).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('a command topic cannot contain wildcards');
  await topic.fill('plant/pump1/cmd');
  await expect(topic).toHaveAttribute('aria-invalid', 'false');
  await expect(form).not.toContainText('a command topic cannot contain wildcards');
  await form.getByTestId('command-payload').fill('{"action": "stop"}');
  await expect(form).toContainText('JSON (a number');
});

test('importing the W3C example Thing Description adds its signals and commands and lists its notes', async ({
  page,
}) => {
  await page.goto('/?mode=edit');
  await openSection(page, /^Import/);
  await page.getByTestId('import-file').setInputFiles('src/twin/importers/fixtures/gas-sensor.td.json');
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Imported 5 signals and 3 commands from gas-sensor.td.json.',
  );
  const notes = page.getByTestId('import-note');
  await expect(notes.filter({ hasText: 'not imported: a form for https' })).toHaveCount(1);
  await expect(notes.filter({ hasText: '$.events.overheating.data.properties.since' })).toHaveCount(1);
  // The draft keeps the broker it has, and says so.
  await expect(notes.filter({ hasText: 'the draft keeps its broker' })).toHaveCount(1);

  await openSection(page, /^Signals/);
  const ids = page.getByTestId('signal-form').getByTestId('signal-id');
  await expect(ids).toHaveCount(5);
  await expect(ids.first()).toHaveValue('status');
  await openSection(page, /^Commands/);
  await expect(page.getByTestId('command-form')).toHaveCount(3);
  // One undo step removes the whole import.
  await page.getByTestId('editor-undo').click();
  await expect(page.getByTestId('command-form')).toHaveCount(0);
});

test('a Sparkplug metric becomes a signal through the engine decoder, loaded with the first Sparkplug message', async ({
  page,
}) => {
  const group = `e2e${Math.random().toString(16).slice(2, 8)}`;
  await browse(page, `spBv1.0/${group}/#`);
  const send = (topic: string, seq: number, metrics: Metrics) =>
    publisher.publishAsync(topic, Buffer.from(encodePayload({ timestamp: Date.now(), seq, metrics })), {
      qos: 1,
    });
  await send(`spBv1.0/${group}/NBIRTH/edge1`, 0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
  await send(`spBv1.0/${group}/DBIRTH/edge1/pump1`, 1, [
    { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
    { name: 'Running', alias: 2, type: 'Boolean', value: true },
  ]);
  // Data by alias only: the birth defined the name.
  await send(`spBv1.0/${group}/DDATA/edge1/pump1`, 2, [{ alias: 1, type: 'Double', value: 64.5 }]);

  const data = `spBv1.0/${group}/DDATA/edge1/pump1`;
  await expect(row(page, data)).toHaveAttribute('data-count', '1');
  await expect(row(page, data).getByTestId('topic-payload')).toHaveText(/^binary, \d+ bytes$/);
  await row(page, data).getByRole('button', { name: data }).click();
  const leaf = page.getByTestId('topic-values').locator('[data-path-leaf="Bearing/Temp"]');
  await expect(leaf).toContainText('64.5');
  await leaf.getByTestId('topic-make-signal').click();

  const form = page.getByTestId('signal-form').first();
  await expect(form.getByTestId('signal-decoder')).toHaveValue('sparkplug');
  await expect(form.getByTestId('signal-metric')).toHaveValue('Bearing/Temp');
  await expect(form.getByTestId('signal-topic')).toHaveValue(`spBv1.0/${group}/+/edge1/pump1`);
  await expect(form.getByTestId('signal-unit')).toHaveValue('°C');
  await expect(form.getByTestId('signal-id')).toHaveValue('pump1.Bearing.Temp');
  await expect(form.getByTestId('signal-id')).toHaveAttribute('aria-invalid', 'false');
});

test('a DTDL interface is imported with the topic convention typed beside it, checked as you type', async ({
  page,
}) => {
  await page.goto('/?mode=edit');
  await openSection(page, /^Import/);
  await page.getByTestId('import-kind').selectOption('dtdl');
  await page.getByTestId('import-file').setInputFiles('src/twin/importers/fixtures/thermostat.dtdl.json');
  const topic = page.getByTestId('import-topic');
  await topic.fill('home/x');
  await expect(topic).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('import-run')).toBeDisabled();
  await topic.fill('home/+site/{name}');
  await expect(topic).toHaveAttribute('aria-invalid', 'false');
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Imported 7 signals and 2 commands from thermostat.dtdl.json.',
  );
  await expect(page.getByTestId('import-note')).toHaveCount(6);
  await openSection(page, /^Signals/);
  await expect(page.getByTestId('signal-form').getByTestId('signal-id').first()).toHaveValue('{site}.temperature');
});

test('the signal side is usable by keyboard and has no serious accessibility violation', async ({ page }) => {
  const base = prefix();
  await browse(page, `${base}/#`);
  await publishJson(publisher, `${base}/pump1/telemetry`, { bearing: { temp: 61 } });
  const pump = row(page, `${base}/pump1/telemetry`);
  await expect(pump).toHaveAttribute('data-count', '1');

  // Keyboard only: focus the topic, pick it, reach its Make signal button.
  await pump.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(pump.getByRole('button')).toHaveAttribute('aria-pressed', 'true');
  const make = page.getByTestId('topic-values').getByTestId('topic-make-signal').first();
  await make.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signal-form')).toHaveCount(1);

  for (const name of [/^Rules/, /^Commands/, /^Import/]) await openSection(page, name);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('button', { name: 'Add command' }).click();
  expect(await seriousViolations(page, ['.editor-sections', '[data-testid="topic-browser"]'])).toEqual([]);
});
