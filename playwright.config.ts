import { defineConfig } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { E2E } from './e2e/ports';
import { EDITOR_DIR } from './e2e/editorDir';

// The editor's save folder must exist to be listed among the twins folders.
mkdirSync(EDITOR_DIR, { recursive: true });

// Debian's Chromium: Playwright cannot download its own browser here. Software WebGL (SwiftShader).
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${E2E.webPort}`,
    viewport: { width: 1400, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // What Chrome itself does on a machine without a GPU (a GPU-less kiosk): WebGL by SwiftShader,
      // the page composited in software. --use-angle=swiftshader would composite through SwiftShader
      // too, which is slower per frame and no real deployment's setup (docs/scene-performance.md).
      args: ['--disable-quic', '--enable-unsafe-swiftshader'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --outDir ${process.env.TWINVIEW_DIST ?? 'dist'} --port ${E2E.webPort} --strictPort`,
    url: `http://127.0.0.1:${E2E.webPort}/twins/index.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      TWINVIEW_TWINS_DIRS: `models:e2e/twins:${E2E.fixturesDir}:${EDITOR_DIR}`,
      // The editor saves here (tools/vite-plugin-editor.ts), and the saved twins are served from here.
      TWINVIEW_EDITOR_DIR: EDITOR_DIR,
      TWINVIEW_BROKER_URL: E2E.brokerWsUrl,
      // Specs open the app on brokers of their own (outages, credentials, aedes): allowed for ?broker=.
      TWINVIEW_BROKERS: 'ws://127.0.0.1:*',
      // /api/history/ goes to the historian a spec starts (e2e/historian.ts) on this port.
      TWINVIEW_HISTORY_API: `http://127.0.0.1:${E2E.historyApiPort}`,
    },
  },
});
