import { expect, test } from '@playwright/test';
import { connectPublisher, nodeLooksRed, openTwin, publishJson } from './helpers';

// Models shaped like third-party exports, built in code (e2e/fixtures) and served as twins.

test('a .gltf with its buffer and texture in separate files loads, and its bound part follows its signal', async ({
  page,
}) => {
  await openTwin(page, 'fixture-external-gltf');
  await expect(page.getByText('could not be loaded')).toHaveCount(0);
  const client = await connectPublisher();
  try {
    await expect(async () => {
      await publishJson(client, 'fixtures/crate', { temp: 80 });
      expect(await nodeLooksRed(page, 'crate/Crate')).toBe(true);
    }).toPass({ timeout: 15_000 });
  } finally {
    await client.endAsync();
  }
});
