/**
 * Sparkplug B in the browser's engine worker against real Mosquitto, with payloads made by the
 * `sparkplug-payload` package as a third-party edge node sends them: births give values, data by
 * alias (with and without a datatype) updates them, 64-bit integers keep their sign in the worker
 * bundle, values show as what they are, and stale, suspect and dead are told apart, with why.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { get as sparkplugFor } from 'sparkplug-payload';
import * as protoModule from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { connectPublisher, openTwin } from './helpers';

// The package's entry point (Node's ESM loader does not resolve its deep paths without an extension).
const { encodePayload } = sparkplugFor('spBv1.0')!;
type Metrics = Parameters<typeof encodePayload>[0]['metrics'];
// Data as Sparkplug 3.0 edge nodes send it: by alias, without the datatype (encodePayload always
// writes one, so this goes through the package's protobuf encoder). CommonJS: its exports are `default`.
const proto = ('org' in protoModule ? protoModule : (protoModule as unknown as { default: typeof protoModule }).default)
  .org.eclipse.tahu.protobuf;
const untyped = (seq: number, metrics: protoModule.org.eclipse.tahu.protobuf.Payload.IMetric[]) =>
  Buffer.from(proto.Payload.encode(proto.Payload.create({ timestamp: Date.now(), seq, metrics })).finish());

test('births give values, data by alias updates them, a death makes them dead', async ({ page }) => {
  const edge = await connectPublisher();
  try {
    await page.goto('/?twin=ingest-sparkplug');
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    const send = (topic: string, seq: number, metrics: Metrics) =>
      edge.publishAsync(topic, Buffer.from(encodePayload({ timestamp: Date.now(), seq, metrics })), { qos: 1 });

    await send('spBv1.0/e2e/NBIRTH/edge1', 0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    await send('spBv1.0/e2e/DBIRTH/edge1/pump1', 1, [
      { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
      { name: 'State', alias: 2, type: 'String', value: 'RUNNING' },
      { name: 'Runtime', alias: 3, type: 'UInt64', value: 123456789 },
    ]);
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('61.5 °C');
    // A named state shows as its name.
    await expect(page.getByTestId('value-pump1.state')).toHaveText('RUNNING');

    await send('spBv1.0/e2e/DDATA/edge1/pump1', 2, [
      { alias: 1, type: 'Double', value: 64.25 },
      { alias: 2, type: 'String', value: 'STOPPED' },
    ]);
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('64.3 °C');
    await expect(page.getByTestId('value-pump1.state')).toHaveText('STOPPED');
    await expect(page.locator('tr[data-signal="pump1.temp"]')).toHaveAttribute('data-condition', 'live');

    await send('spBv1.0/e2e/DDEATH/edge1/pump1', 3, []);
    // The dead device's values are kept, and shown as dead, with why.
    await expect(page.locator('tr[data-signal="pump1.temp"]')).toHaveAttribute('data-condition', 'dead');
    await expect(page.locator('tr[data-signal="pump1.state"]')).toHaveAttribute('data-stale', 'true');
    await expect(page.getByTestId('value-pump1.temp-age')).toContainText('dead');
    await expect(page.getByTestId('value-pump1.temp-age')).toContainText('death certificate');
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('64.3 °C');
  } finally {
    await edge.endAsync();
  }
});

/** A reading's row in the values panel or the inspector: value, condition word and why. */
function reading(scope: Locator, testId: string) {
  return {
    value: scope.getByTestId(testId),
    age: scope.getByTestId(`${testId}-age`),
    row: scope.locator(`tr:has([data-testid="${testId}"])`),
  };
}

async function selectPump(page: Page): Promise<Locator> {
  await page.getByTestId('asset-tree').locator('[data-path="pump/Pump1"]').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toHaveAttribute('data-selected', 'pump/Pump1');
  return inspector;
}

test('values show as what they are; a late NDEATH is ignored; suspect and dead are said with why', async ({ page }) => {
  // A narrow window: the side column must still hold the inspector's sparklines.
  await page.setViewportSize({ width: 1000, height: 900 });
  const edge = await connectPublisher();
  try {
    await openTwin(page, 'fixture-sparkplug-values');
    // Below the tablet breakpoint the panels live in a drawer: open it.
    await page.getByRole('button', { name: 'Alarms & panels' }).click();
    const values = page.getByRole('region', { name: 'Pump 1' });
    const send = (topic: string, seq: number, metrics: Metrics) =>
      edge.publishAsync(topic, Buffer.from(encodePayload({ timestamp: Date.now(), seq, metrics })), { qos: 1 });

    // Never seen: "no value yet", not an age counted from 1970.
    await expect(reading(values, 'value-pump1.offset').age).toHaveText('no value yet');

    await send('spBv1.0/e2evals/NBIRTH/edge1', 0, [{ name: 'bdSeq', type: 'UInt64', value: 7 }]);
    await send('spBv1.0/e2evals/DBIRTH/edge1/pump1', 1, [
      { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
      { name: 'Offset', alias: 2, type: 'Int64', value: -5 },
      { name: 'Running', alias: 3, type: 'Boolean', value: true },
      { name: 'Mode', alias: 4, type: 'String', value: 'Auto <b>fast</b>' },
      { name: 'State', alias: 5, type: 'String', value: 'RUNNING' },
    ]);
    await expect(reading(values, 'value-pump1.offset').value).toHaveText('-5');
    await expect(reading(values, 'value-pump1.running').value).toHaveText('true');
    await expect(reading(values, 'value-pump1.state').value).toHaveText('RUNNING');
    await expect(reading(values, 'value-pump1.temp').value).toHaveText('61.5 °C');
    // Text is shown as text: the markup is characters on the screen, not an element.
    await expect(reading(values, 'value-pump1.mode').value).toHaveText('Auto <b>fast</b>');
    await expect(values.locator('b')).toHaveCount(0);

    // Alias only, no datatype: read with the birth's (a negative Int64 among them).
    await edge.publishAsync(
      'spBv1.0/e2evals/DDATA/edge1/pump1',
      untyped(2, [
        { alias: 2, longValue: -42 },
        { alias: 3, booleanValue: false },
        { alias: 4, stringValue: 'Manual' },
      ]),
      { qos: 1 },
    );
    await expect(reading(values, 'value-pump1.offset').value).toHaveText('-42');
    await expect(reading(values, 'value-pump1.running').value).toHaveText('false');
    await expect(reading(values, 'value-pump1.mode').value).toHaveText('Manual');

    // A will from an earlier session of the node (bdSeq 6, the birth said 7) arrives late: ignored.
    await send('spBv1.0/e2evals/NDEATH/edge1', 0, [{ name: 'bdSeq', type: 'UInt64', value: 6 }]);
    await send('spBv1.0/e2evals/DDATA/edge1/pump1', 3, [{ alias: 1, type: 'Double', value: 62 }]);
    await expect(reading(values, 'value-pump1.temp').value).toHaveText('62.0 °C');
    await expect(reading(values, 'value-pump1.offset').row).toHaveAttribute('data-condition', 'live');

    const inspector = await selectPump(page);
    await expect(reading(inspector, 'inspector-value-pump1.offset').value).toHaveText('-42');
    await expect(reading(inspector, 'inspector-value-pump1.running').value).toHaveText('false');
    await expect(reading(inspector, 'inspector-value-pump1.mode').value).toHaveText('Manual');

    // Messages lost (seq 4 and 5): suspect, with why, in both places.
    await send('spBv1.0/e2evals/DDATA/edge1/pump1', 6, [{ alias: 1, type: 'Double', value: 63 }]);
    for (const r of [reading(values, 'value-pump1.temp'), reading(inspector, 'inspector-value-pump1.temp')]) {
      await expect(r.row).toHaveAttribute('data-condition', 'suspect');
      await expect(r.age).toContainText('suspect');
      await expect(r.age).toContainText('sequence gap');
    }

    // The death certificate of this session: dead, with why, in both places; values are kept.
    await send('spBv1.0/e2evals/NDEATH/edge1', 0, [{ name: 'bdSeq', type: 'UInt64', value: 7 }]);
    for (const r of [reading(values, 'value-pump1.offset'), reading(inspector, 'inspector-value-pump1.offset')]) {
      await expect(r.row).toHaveAttribute('data-condition', 'dead');
      await expect(r.age).toContainText('dead');
      await expect(r.age).toContainText('death certificate');
      await expect(r.value).toHaveText('-42');
    }

    // Every sparkline lies inside the inspector, however long the labels.
    const box = (await inspector.boundingBox())!;
    const sparks = inspector.locator('svg[data-testid^="sparkline-"]');
    await expect(sparks).toHaveCount(5);
    for (const spark of await sparks.all()) {
      const b = (await spark.boundingBox())!;
      expect(b.width).toBeGreaterThan(10);
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
    }
  } finally {
    await edge.endAsync();
  }
});
