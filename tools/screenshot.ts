/**
 * `npm run screenshot`: refreshes the README's picture (docs/images/dashboard.png). Runs the real demo
 * (`server/start.ts`: embedded broker, simulator, dashboard) with a short fault interval, waits until the
 * simulator's first fault has raised an alarm, and photographs the dashboard in headless Chromium.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { freePort } from '../server/test/ports';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(REPO, process.argv[2] ?? 'docs/images/dashboard.png');

const port = await freePort();
const brokerPort = await freePort();
const demo = spawn(
  process.execPath,
  [
    resolve(REPO, 'node_modules/tsx/dist/cli.mjs'),
    'server/start.ts',
    '--port',
    `${port}`,
    '--broker-port',
    `${brokerPort}`,
    '--fault-every',
    '30',
    // The picture is of the pump station; the solar farm's 100k readings/s would only slow the machine.
    '--solar',
    'off',
  ],
  { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
);
let log = '';
demo.stdout.on('data', (d: Buffer) => (log += d.toString()));
try {
  const deadline = Date.now() + 60_000;
  while (!log.includes('Twinview is running')) {
    if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`http://127.0.0.1:${port}/?twin=pump-station`);
  console.log('waiting for the first scripted fault to raise an alarm (about a minute)...');
  await page.locator('[data-alarm-id]').first().waitFor({ timeout: 150_000 });
  await page.waitForTimeout(3000);
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  await browser.close();
  console.log(`wrote ${OUT}`);
} finally {
  demo.kill('SIGINT');
}
