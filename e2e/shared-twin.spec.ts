import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, openTwin } from './helpers';
import { E2E } from './ports';

// One twin for every screen: the alarm service (`twin serve`) and dashboards in their own browser
// contexts (two screens, not two tabs sharing localStorage), against the run's Mosquitto.
// The shared-lab twin (e2e/twins/shared-lab): lab.hot "lab.temp > 50", lab.full "lab.level > 80",
// lab.flood "lab.flow > 100", no on-delays, on sharedlab/* topics that only this spec publishes.
const TWIN = 'shared-lab';
const NS = `twinview/v1/${TWIN}`;

let mqtt: MqttClient;
let stateDir: string;
let service: ChildProcess | null = null;
let serviceLog = '';
/** The retained alarms the broker holds for the twin, as the test's own subscriber last heard them. */
const retained = new Map<string, { raisedAt: number; state: string }>();
let serviceState = '';
/** Acknowledge requests the broker passed on, per alarm. */
const ackRequests = new Map<string, number>();

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'twinview-shared-'));
  mqtt = await connectPublisher();
  mqtt.on('message', (topic, payload) => {
    const text = payload.toString();
    if (topic === `${NS}/service`) serviceState = text === '' ? '' : (JSON.parse(text) as { state: string }).state;
    else if (topic.startsWith(`${NS}/alarms/`)) {
      const id = decodeURIComponent(topic.slice(`${NS}/alarms/`.length));
      if (text === '') retained.delete(id);
      else retained.set(id, JSON.parse(text) as { raisedAt: number; state: string });
    } else if (topic.startsWith(`${NS}/requests/`)) {
      const r = JSON.parse(text) as { kind: string; alarmId?: string };
      if (r.kind === 'acknowledge' && r.alarmId) ackRequests.set(r.alarmId, (ackRequests.get(r.alarmId) ?? 0) + 1);
    }
  });
  await mqtt.subscribeAsync([`${NS}/service`, `${NS}/alarms/+`, `${NS}/requests/+`], { qos: 1 });
  await startService();
});

test.afterAll(async () => {
  await stopService();
  // Leave nothing retained for a later run on the same broker.
  for (const t of ['sharedlab/temp', 'sharedlab/level', 'sharedlab/flow'])
    await mqtt.publishAsync(t, '', { qos: 1, retain: true });
  await mqtt.endAsync();
  rmSync(stateDir, { recursive: true, force: true });
});

/** The service as an operator runs it; `node --import tsx` so that SIGTERM reaches it, not a wrapper. */
async function startService(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli/twin.ts',
      'serve',
      `e2e/twins/${TWIN}/twin.json`,
      '--broker',
      E2E.brokerWsUrl,
      '--state',
      stateDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (serviceLog += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (serviceLog += d.toString()));
  service = child;
  await expect
    .poll(() => (child.exitCode !== null ? `exited: ${serviceLog}` : serviceState), { timeout: 30_000 })
    .toBe('online');
}

async function stopService(): Promise<void> {
  const child = service;
  service = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A dashboard in a browser context of its own (its own localStorage: its own operator name). */
async function openScreen(browser: Browser, operator?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await openTwin(page, TWIN);
  if (operator) {
    await page.getByLabel('Operator name').fill(operator);
    await page.getByLabel('Operator name').blur();
  }
  return page;
}

const alarm = (page: Page, id: string) => page.getByTestId('alarm-list').locator(`[data-alarm-id="${id}"]`);
const mode = (page: Page) => page.getByTestId('alarm-mode');
const publish = (topic: string, value: number, retain = false) =>
  mqtt.publishAsync(topic, String(value), { qos: 1, retain });

test('two dashboards and the service: an acknowledgement on one shows on the other; a refusal is shown', async ({
  browser,
}) => {
  const ana = await openScreen(browser, 'e2e-ana');
  const bo = await openScreen(browser, 'e2e-bo');
  for (const page of [ana, bo]) {
    await expect(mode(page)).toHaveAttribute('data-mode', 'shared');
    await expect(mode(page)).toContainText('Shared alarms');
    await expect(page.getByTestId('alarm-scope')).toHaveText('shared');
  }
  await publish('sharedlab/temp', 60);
  await expect(alarm(ana, 'lab.hot')).toHaveAttribute('data-state', 'active');
  await expect(alarm(bo, 'lab.hot')).toHaveAttribute('data-state', 'active');

  await alarm(ana, 'lab.hot').getByText('More actions').click();
  await ana.getByLabel('Comment for lab.hot').fill('checked the heater');
  const clickedAt = Date.now();
  // A double click sends one request: the button waits for the answer.
  await alarm(ana, 'lab.hot')
    .getByRole('button', { name: /Acknowledge/ })
    .dblclick();
  await expect(alarm(bo, 'lab.hot')).toHaveAttribute('data-state', 'acknowledged');
  test
    .info()
    .annotations.push({ type: 'ack seen on the other screen after (ms)', description: `${Date.now() - clickedAt}` });
  await expect(alarm(bo, 'lab.hot')).toContainText('by e2e-ana');
  await expect(alarm(bo, 'lab.hot')).toContainText('checked the heater');
  await expect(alarm(ana, 'lab.hot')).toHaveAttribute('data-state', 'acknowledged');
  await expect(alarm(ana, 'lab.hot')).toHaveAttribute('aria-busy', 'false');
  expect(ackRequests.get('lab.hot')).toBe(1);
  await expect(alarm(ana, 'lab.hot').getByTestId('action-refused')).toHaveCount(0);
  expect(retained.get('lab.hot')?.state).toBe('acknowledged');

  // The service refuses what it will not apply, and the screen says why.
  await alarm(bo, 'lab.hot').getByText('More actions').click();
  await bo.getByLabel('Comment for lab.hot').fill('x'.repeat(2001));
  await alarm(bo, 'lab.hot').getByRole('button', { name: 'Shelve' }).click();
  await expect(alarm(bo, 'lab.hot').getByTestId('action-refused')).toHaveText(
    'Not applied: comment longer than 2000 characters',
  );
  await expect(alarm(bo, 'lab.hot')).toHaveAttribute('data-state', 'acknowledged');

  // The shared audit log: what the service recorded, the same on both screens.
  for (const page of [ana, bo]) {
    await page.getByTestId('alarm-audit').locator('summary').click();
    await expect(page.getByTestId('alarm-audit').locator('summary')).toContainText('Shared audit log');
    await expect(page.getByTestId('alarm-audit').locator('tr', { hasText: 'acknowledge' })).toContainText('e2e-ana');
  }
  await ana.context().close();
  await bo.context().close();
});

test('the service alone raises an alarm; a screen opened later shows it with its raise time', async ({ browser }) => {
  // No dashboard is open now.
  await publish('sharedlab/level', 90);
  await expect.poll(() => retained.get('lab.full')?.state, { timeout: 10_000 }).toBe('active');
  const raisedAt = retained.get('lab.full')!.raisedAt;

  const page = await openScreen(browser);
  await expect(mode(page)).toHaveAttribute('data-mode', 'shared');
  await expect(alarm(page, 'lab.full')).toHaveAttribute('data-state', 'active');
  await expect(alarm(page, 'lab.full')).toHaveAttribute('data-raised-at', String(raisedAt));
  const shown = await page.evaluate(
    (t) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(t),
    raisedAt,
  );
  await expect(alarm(page, 'lab.full')).toContainText(`raised ${shown}`);
  // Acknowledged earlier on another screen, still so here: one state for every screen.
  await expect(alarm(page, 'lab.hot')).toContainText('by e2e-ana');
  await page.context().close();
});

test('without the service a screen raises alarms itself and says so; when it is back, the shared state wins, nothing twice', async ({
  browser,
}) => {
  const page = await openScreen(browser, 'e2e-local');
  await expect(mode(page)).toHaveAttribute('data-mode', 'shared');
  await stopService();
  await expect(mode(page)).toHaveAttribute('data-mode', 'local');
  await expect(mode(page)).toContainText('Alarms of this screen only: the alarm service is not running');
  await expect(page.getByTestId('alarm-scope')).toHaveText('this screen only');
  // It carries on from the shared state: acknowledged stays acknowledged.
  await expect(alarm(page, 'lab.hot')).toHaveAttribute('data-state', 'acknowledged');

  // Retained, so the service hears it too when it comes back.
  await publish('sharedlab/flow', 150, true);
  await expect(alarm(page, 'lab.flood')).toHaveAttribute('data-state', 'active');
  await alarm(page, 'lab.flood')
    .getByRole('button', { name: /Acknowledge/ })
    .click();
  await expect(alarm(page, 'lab.flood')).toHaveAttribute('data-state', 'acknowledged');
  await expect(alarm(page, 'lab.flood')).toContainText('by e2e-local');

  await startService();
  await expect(mode(page)).toHaveAttribute('data-mode', 'shared');
  // The service raised lab.flood itself; this screen's acknowledgement was not shared and is not replayed.
  await expect.poll(() => retained.get('lab.flood')?.state, { timeout: 10_000 }).toBe('active');
  await expect(alarm(page, 'lab.flood')).toHaveAttribute('data-state', 'active');
  await expect(alarm(page, 'lab.flood')).toHaveCount(1);
  await page.getByLabel('Filter by state').selectOption('all');
  await expect(page.getByTestId('alarm-list').locator('[data-alarm-id]')).toHaveCount(retained.size);
  await expect(alarm(page, 'lab.hot')).toContainText('by e2e-ana');
  await page.context().close();
});
