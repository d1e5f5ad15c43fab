/**
 * An HTTP source polled by the engine worker in Chromium: a tiny local REST server (with CORS for the
 * dashboard's origin) serves maintenance counters; a failing endpoint changes no value and the
 * signals go stale by their own period.
 */
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { E2E } from './ports';

// Fixed by the twin file (e2e/twins/ingest-http): the endpoint it polls.
const PORT = 19975;

test('values come from the polled endpoint; when it fails they stay and go stale, and recover when it answers', async ({
  page,
}) => {
  let hours = 1200;
  let up = true;
  let polls = 0;
  const server: Server = createServer((_req, res) => {
    polls++;
    const cors = { 'access-control-allow-origin': `http://127.0.0.1:${E2E.webPort}` };
    if (!up) return res.writeHead(503, cors).end('down');
    res.writeHead(200, { ...cors, 'content-type': 'application/json' });
    res.end(JSON.stringify({ pumps: [{ hours: hours++, state: 'DUE' }] }));
  });
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
  try {
    await page.goto('/?twin=ingest-http');
    await expect(page.getByTestId('value-pump1.service')).toHaveText('DUE', { timeout: 10_000 });
    await expect(page.getByTestId('value-pump1.hours')).toHaveText(/^12\d\d h$/);
    // Polled again every second: the counter moves.
    const first = await page.getByTestId('value-pump1.hours').textContent();
    await expect(page.getByTestId('value-pump1.hours')).not.toHaveText(first ?? '', { timeout: 5_000 });
    await expect(page.locator('tr[data-signal="pump1.hours"]')).toHaveAttribute('data-stale', 'false');

    up = false;
    const shown = polls;
    await expect.poll(() => polls, { timeout: 5_000 }).toBeGreaterThan(shown + 1);
    const last = await page.getByTestId('value-pump1.hours').textContent();
    await expect(page.getByTestId('notices')).toContainText('HTTP source "maint"');
    await expect(page.locator('tr[data-signal="pump1.hours"]')).toHaveAttribute('data-stale', 'true', {
      timeout: 10_000,
    });
    await expect(page.getByTestId('value-pump1.hours')).toHaveText(last ?? '');

    // The endpoint answers again: fresh values, and the notice about it goes away.
    up = true;
    await expect(page.locator('tr[data-signal="pump1.hours"]')).toHaveAttribute('data-stale', 'false', {
      timeout: 10_000,
    });
    await expect(page.getByTestId('notices')).toHaveCount(0);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
