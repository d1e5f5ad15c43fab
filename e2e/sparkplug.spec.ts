/**
 * Sparkplug B in the browser's engine worker against real Mosquitto: a DBIRTH gives values, DDATA by
 * alias updates them (64-bit fields decoded in the worker bundle), and a DDEATH shows them as stale.
 */
import { expect, test } from '@playwright/test';
import { get as sparkplugFor } from 'sparkplug-payload';
import { connectPublisher } from './helpers';

// The package's entry point (Node's ESM loader does not resolve its deep paths without an extension).
const { encodePayload } = sparkplugFor('spBv1.0')!;

test('births give values, data by alias updates them, a death makes them stale', async ({ page }) => {
  const edge = await connectPublisher();
  try {
    await page.goto('/?twin=ingest-sparkplug');
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    const send = (topic: string, seq: number, metrics: Parameters<typeof encodePayload>[0]['metrics']) =>
      edge.publishAsync(topic, Buffer.from(encodePayload({ timestamp: Date.now(), seq, metrics })), { qos: 1 });

    await send('spBv1.0/e2e/NBIRTH/edge1', 0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    await send('spBv1.0/e2e/DBIRTH/edge1/pump1', 1, [
      { name: 'Bearing/Temp', alias: 1, type: 'Double', value: 61.5 },
      { name: 'State', alias: 2, type: 'String', value: 'RUNNING' },
      { name: 'Runtime', alias: 3, type: 'UInt64', value: 123456789 },
    ]);
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('61.5 °C');
    await expect(page.getByTestId('value-pump1.state')).toHaveText('1.00');

    await send('spBv1.0/e2e/DDATA/edge1/pump1', 2, [
      { alias: 1, type: 'Double', value: 64.25 },
      { alias: 2, type: 'String', value: 'STOPPED' },
    ]);
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('64.3 °C');
    await expect(page.getByTestId('value-pump1.state')).toHaveText('0.00');
    await expect(page.locator('tr[data-signal="pump1.temp"]')).toHaveAttribute('data-stale', 'false');

    await send('spBv1.0/e2e/DDEATH/edge1/pump1', 3, []);
    // The dead device's values are kept but shown stale.
    await expect(page.locator('tr[data-signal="pump1.temp"]')).toHaveAttribute('data-stale', 'true');
    await expect(page.locator('tr[data-signal="pump1.state"]')).toHaveAttribute('data-stale', 'true');
    await expect(page.getByTestId('value-pump1.temp')).toHaveText('64.3 °C');
  } finally {
    await edge.endAsync();
  }
});
