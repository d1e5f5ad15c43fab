import { spawn } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, nodePixel, publishJson, pumpTelemetry } from './helpers';
import { E2E } from './ports';

let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

test('a link to a broker the deployment does not allow is refused, said on the page, and the allowed one used', async ({
  page,
}) => {
  // A look-alike broker with markup in its path: refused, and shown as text, never as HTML.
  const evil = 'wss://evil.example:8884/<img src=x onerror=window.__pwned=1>';
  await page.goto(`/?twin=pump-station&broker=${encodeURIComponent(evil)}`);
  const notice = page.getByTestId('broker-refused');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(evil);
  await expect(notice).toContainText(E2E.brokerWsUrl);
  expect(await notice.locator('img').count()).toBe(0);
  // It connects to the served config's broker, and its data arrives.
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expect(page.getByTestId('diag-connection')).toContainText(E2E.brokerWsUrl);
  await expect(page.getByTestId('diag-connection')).not.toContainText('evil.example');
  await expect
    .poll(async () => {
      await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, 1321));
      return page.getByTestId('value-pump2.rpm').textContent();
    })
    .toBe('1321 rpm');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('a link to the allowed broker is followed without a notice', async ({ page }) => {
  await page.goto(`/?twin=pump-station&broker=${encodeURIComponent(E2E.brokerWsUrl)}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  await expect(page.getByTestId('diag-connection')).toContainText(E2E.brokerWsUrl);
  await expect(page.getByTestId('broker-refused')).toHaveCount(0);
});

/** `npm run serve` (server/serve.ts) on a port of this spec's own, over the build the run tests. */
async function startServe(
  portOffset: number,
  extra: string[] = [],
): Promise<{ url: string; violations: string[]; stop(): Promise<void> }> {
  const port = E2E.webPort + portOffset;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/serve.ts',
      '--port',
      String(port),
      '--dist',
      process.env.TWINVIEW_DIST ?? 'dist',
      '--twins',
      `models:e2e/twins:${E2E.fixturesDir}`,
      '--broker',
      E2E.brokerWsUrl,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const violations: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const line of chunk.split('\n')) if (line.startsWith('CSP violation')) violations.push(line);
  });
  await new Promise<void>((ok, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('Twinview serving')) ok();
    });
    child.once('exit', (code) => fail(new Error(`npm run serve exited (${code}): ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    violations,
    stop: () =>
      new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

test.describe('npm run serve', () => {
  let served: Awaited<ReturnType<typeof startServe>>;
  test.beforeAll(async () => {
    served = await startServe(6);
  });
  test.afterAll(async () => {
    await served.stop();
  });

  /** Records every CSP violation the page sees (the server's report endpoint sees the workers' too). */
  async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  }

  test('sends a strict CSP and the usual security headers', async ({ request }) => {
    const res = await request.get(`${served.url}/`);
    expect(res.status()).toBe(200);
    const h = res.headers();
    const csp = h['content-security-policy'];
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toMatch(new RegExp(`connect-src 'self'[^;]* ${E2E.brokerWsUrl.replace(/[.]/g, '\\.')}[ ;]`));
    expect(csp).toContain("frame-ancestors 'self'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    // The twins and the decoders come with the same headers.
    const twin = await request.get(`${served.url}/twins/pump-station/twin.json`);
    expect(twin.status()).toBe(200);
    expect(twin.headers()['content-security-policy']).toBe(csp);
    expect((await request.get(`${served.url}/..%2fpackage.json`)).status()).toBe(404);
  });

  test('the pump station draws and shows live values under the CSP, with no violation', async ({ page }) => {
    const cspSeen = await watchCsp(page);
    await page.goto(`${served.url}/?twin=pump-station`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await page.waitForFunction(() => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready());
    await expect
      .poll(async () => {
        await publishJson(publisher, 'plant/north/pumps/pump2/telemetry', pumpTelemetry(61, 1377));
        return page.getByTestId('value-pump2.rpm').textContent();
      })
      .toBe('1377 rpm');
    await expect.poll(() => nodePixel(page, 'station/Pump2_Casing')).not.toEqual([212, 215, 219]);
    expect(await cspSeen()).toEqual([]);
    expect(served.violations).toEqual([]);
  });

  test('Draco and meshopt models decode under the strict CSP; Basis KTX2 is the one known violation', async ({
    page,
  }) => {
    const cspSeen = await watchCsp(page);
    await page.goto(`${served.url}/?twin=broken-model`);
    // Draco decodes in a blob: worker with WebAssembly ('wasm-unsafe-eval'); meshopt in WebAssembly too.
    for (const node of ['fanDraco/CoolingFan_Housing', 'fanMeshopt/CoolingFan_Housing']) {
      await expect(async () => {
        const [r, g, b] = await nodePixel(page, node);
        // The housing is mid grey; the background is a light grey (#d4d7db).
        expect(r + g + b).toBeLessThan(0xd4 + 0xd7 + 0xdb - 60);
      }).toPass({ timeout: 30_000 });
    }
    const notices = page.getByTestId('notices');
    await expect(notices).toContainText('corrupt.glb: could not be loaded');
    for (const file of ['fan-draco.glb', 'fan-meshopt.glb']) await expect(notices).not.toContainText(file);
    // three's Basis transcoder (Emscripten embind) builds functions with new Function in its blob: worker:
    // refused without 'unsafe-eval', reported by the browser to the server, and nothing else is.
    await expect.poll(() => served.violations.length).toBeGreaterThan(0);
    expect(served.violations.every((v) => v.includes('violated-directive="script-src" blocked-uri="eval"'))).toBe(true);
    expect(await cspSeen()).toEqual([]);
  });
});

test.describe('npm run serve --ktx2-eval', () => {
  let served: Awaited<ReturnType<typeof startServe>>;
  test.beforeAll(async () => {
    served = await startServe(7, ['--ktx2-eval']);
  });
  test.afterAll(async () => {
    await served.stop();
  });

  test('Basis KTX2 textures are transcoded and drawn, with no violation', async ({ page }) => {
    const violations: string[] = [];
    page.on('pageerror', (e) => violations.push(e.message));
    await page.goto(`${served.url}/?twin=broken-model`);
    const csp = (await page.request.get(`${served.url}/`)).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'");
    await expect
      .poll(async () => {
        const [r, g, b] = await nodePixel(page, 'fanKtx2/CoolingFan_Housing').catch(() => [0, 0, 0]);
        // Blue, lit or in shade; the model's own grey has r ≈ g ≈ b.
        return b > 40 && b > r * 1.6 && b > g * 1.6;
      })
      .toBe(true);
    await expect(page.getByTestId('notices')).not.toContainText('fan-ktx2.glb');
    expect(served.violations).toEqual([]);
    expect(violations.filter((m) => m.includes('Content Security Policy'))).toEqual([]);
  });
});
