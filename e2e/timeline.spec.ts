/**
 * The time cursor end to end (issue 13): scrub back and the values panel, the scene and the alarm
 * list show the past while the page says "Replay" with the time; Live returns to the newest value;
 * playback advances; an alarm mark seeks to its raise; a span exported as JSONL plays again in a page
 * with no broker; a malformed recording names its bad line. Against the run's Mosquitto, on the
 * timeline lab fixture (values carry their own time, so past values are published at once).
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, look, nodeLooksRed, openTwin, publishJson } from './helpers';
import { seriousViolations } from './axe';
import { INCIDENT_START } from './fixtures/timeline-lab.fixture';
import { startHistorian, type Historian } from './historian';
import { E2E } from './ports';

const TWIN = 'fixture-timeline-lab';
const TOPIC = 'fixtures/timelinelab/temp';

let publisher: MqttClient;
let historian: Historian | null = null;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await historian?.stop();
  await publisher.endAsync();
});

const temp = (page: Page) => page.getByTestId('value-tl.temp');
const banner = (page: Page) => page.getByTestId('replay-banner');
const scrubber = (page: Page) => page.getByTestId('timeline-scrubber');
const bannerAt = async (page: Page) => Number(await banner(page).getAttribute('data-at'));

/** Clicks the scrubber where time `t` sits on it. */
async function clickAt(page: Page, t: number): Promise<void> {
  const track = scrubber(page);
  const from = Number(await track.getAttribute('data-from'));
  const to = Number(await track.getAttribute('data-to'));
  const box = (await track.boundingBox())!;
  await track.click({ position: { x: ((t - from) / (to - from)) * box.width, y: box.height / 2 } });
}

/** Publishes 20 °C two minutes ago and 70 °C now (the rule raises "tl.hot"), and waits for both. */
async function publishIncident(page: Page): Promise<{ cold: number; hot: number }> {
  const hot = Date.now();
  const cold = hot - 120_000;
  await publishJson(publisher, TOPIC, { v: 20, ts: cold });
  await expect(temp(page)).toContainText('20');
  await publishJson(publisher, TOPIC, { v: 70, ts: hot });
  await expect(temp(page)).toContainText('70');
  await expect.poll(() => nodeLooksRed(page, 'lab/Tank')).toBe(true);
  return { cold, hot };
}

test('scrubbing back shows the past everywhere and says Replay with the time; Live returns to the newest', async ({
  page,
}) => {
  await openTwin(page, TWIN);
  await expect(page.getByTestId('time-chip')).toHaveText('Live');
  const { cold, hot } = await publishIncident(page);
  await expect.poll(async () => (await look(page, 'lab/Tank')).alarm).toBeGreaterThan(0);
  await page.getByRole('button', { name: '1 h' }).click();

  await clickAt(page, cold + 60_000);
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText('Replay');
  const at = await bannerAt(page);
  expect(at).toBeGreaterThan(cold);
  expect(at).toBeLessThan(hot);
  await expect(page.getByTestId('time-chip')).toHaveAttribute('data-mode', 'replay');
  await expect(page.getByTestId('time-chip')).toContainText('Replay');
  await expect(temp(page)).toContainText('20');
  await expect.poll(() => nodeLooksRed(page, 'lab/Tank')).toBe(false);
  await expect.poll(async () => (await look(page, 'lab/Tank')).alarm).toBe(0);
  // The alarm was not raised yet at that moment; the list says so, with no buttons to act on the past.
  const alarms = page.getByTestId('alarm-list');
  await expect(alarms).toHaveAttribute('data-replay', 'true');
  await expect(alarms.locator('[data-alarm-id="tl.hot"]')).toHaveCount(0);
  await expect(alarms.getByRole('button', { name: /acknowledge/i })).toHaveCount(0);
  // The replay marking (banner, chip, timeline) keeps the page accessible: axe-core, WCAG 2.1 A/AA.
  expect(await seriousViolations(page)).toEqual([]);

  // Live data keeps arriving meanwhile; the replayed moment stays on screen.
  await publishJson(publisher, TOPIC, { v: 88, ts: Date.now() });
  await expect
    .poll(() => page.evaluate(() => document.querySelector('[data-testid="value-tl.temp"]')?.textContent))
    .toContain('20');

  await page.getByTestId('timeline-live').click();
  await expect(banner(page)).toHaveCount(0);
  await expect(page.getByTestId('time-chip')).toHaveText('Live');
  await expect(temp(page)).toContainText('88');
  await expect.poll(() => nodeLooksRed(page, 'lab/Tank')).toBe(true);
  await expect.poll(async () => (await look(page, 'lab/Tank')).alarm).toBeGreaterThan(0);
});

test('the keyboard scrubs; playing at 60x advances the cursor', async ({ page }) => {
  await openTwin(page, TWIN);
  await publishIncident(page);
  await page.getByRole('button', { name: '15 min' }).click();
  await scrubber(page).focus();
  await page.keyboard.press('PageDown'); // 90 s back on a 15 min span
  await expect(banner(page)).toBeVisible();
  await expect(temp(page)).toContainText('20');
  const start = await bannerAt(page);
  await page.getByTestId('timeline-speed').selectOption('60');
  await expect(page.getByTestId('timeline-play')).toHaveText('Pause');
  await expect.poll(async () => (await bannerAt(page)) - start).toBeGreaterThan(30_000);
  // 60x covers the 90 s in about 1.5 s: playback reaches now and the page is live again.
  await expect(banner(page)).toHaveCount(0);
  await expect(temp(page)).toContainText('70');
});

test('a tap on the timeline seeks (touch)', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await openTwin(page, TWIN);
  const { cold, hot } = await publishIncident(page);
  await page.getByRole('button', { name: '1 h' }).tap();
  const track = scrubber(page);
  const from = Number(await track.getAttribute('data-from'));
  const to = Number(await track.getAttribute('data-to'));
  const box = (await track.boundingBox())!;
  const target = cold + 60_000;
  await page.touchscreen.tap(box.x + ((target - from) / (to - from)) * box.width, box.y + box.height / 2);
  await expect(banner(page)).toBeVisible();
  const at = await bannerAt(page);
  expect(at).toBeGreaterThan(cold);
  expect(at).toBeLessThan(hot);
  await expect(temp(page)).toContainText('20');
  await context.close();
});

test('an alarm mark on the timeline, or Show in the audit log, seeks to its raise and selects its part', async ({
  page,
}) => {
  await openTwin(page, TWIN);
  await publishIncident(page);
  const mark = page.getByTestId('timeline-mark').and(page.locator('[data-alarm-id="tl.hot"]')).last();
  await expect(mark).toBeVisible();
  const raisedAt = Number(await mark.getAttribute('data-t'));
  await mark.click();
  await expect(banner(page)).toBeVisible();
  expect(await bannerAt(page)).toBe(raisedAt);
  const listed = page.getByTestId('alarm-list').locator('[data-alarm-id="tl.hot"]');
  await expect(listed).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('inspector')).toContainText('Tank');

  // The same from the audit log: "Show" on the raise entry.
  await page.getByTestId('timeline-live').click();
  await expect(banner(page)).toHaveCount(0);
  const audit = page.getByTestId('alarm-audit');
  await audit.locator('summary').click();
  await audit.getByRole('row').filter({ hasText: 'raise' }).getByTestId('audit-show').first().click();
  await expect(banner(page)).toBeVisible();
  expect(await bannerAt(page)).toBe(raisedAt);
});

test('an exported span plays again in a page with no broker', async ({ page, browser }) => {
  await openTwin(page, TWIN);
  const { cold } = await publishIncident(page);
  await page.getByRole('button', { name: '15 min' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('timeline-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^fixture-timeline-lab-.*\.jsonl$/);
  const text = await readFile((await file.path())!, 'utf8');
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; signal: string; value: number });
  expect(lines).toContainEqual({ t: cold, signal: 'tl.temp', value: 20 });
  expect(lines.some((l) => l.signal === 'tl.temp' && l.value === 70)).toBe(true);

  // A closed port: nothing ever connects.
  const offline = await browser.newPage();
  await offline.goto(`/?twin=${TWIN}&broker=${encodeURIComponent(`ws://127.0.0.1:${E2E.webPort + 9}`)}`);
  await offline.getByTestId('timeline-open-file').setInputFiles({
    name: 'incident-export.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(text),
  });
  await expect(banner(offline)).toContainText('Recording: incident-export.jsonl');
  await expect(offline.getByTestId('timeline-source')).toContainText('Recording: incident-export.jsonl');
  // It plays from its beginning (at 1x: the first value stays for two minutes, however slow the machine).
  await expect(temp(offline)).toContainText('20');
  // At 60x the two minutes play in about two seconds; it stops at the end of the file.
  await offline.getByTestId('timeline-speed').selectOption('60');
  await expect(temp(offline)).toContainText('70');
  await expect(offline.getByTestId('timeline-play')).toHaveText('Play');
  await offline.close();
});

test('?recording= plays a recording of the site with no broker, and its alarms are the rules’ ', async ({ page }) => {
  await page.goto(
    `/?twin=${TWIN}&broker=${encodeURIComponent(`ws://127.0.0.1:${E2E.webPort + 9}`)}&recording=${encodeURIComponent(`/twins/${TWIN}/incident.jsonl`)}`,
  );
  await expect(banner(page)).toContainText('Recording: incident.jsonl');
  await expect(temp(page)).toContainText('20');
  // End: the file's last moment (75 °C). The scene judges the replayed values by their own times, so
  // the tank is drawn as it was (hot, not washed out as stale) though no broker is connected.
  await scrubber(page).focus();
  await page.keyboard.press('End');
  await expect(temp(page)).toContainText('75');
  await expect.poll(async () => (await look(page, 'lab/Tank')).stale).toBe(false);
  await expect.poll(() => nodeLooksRed(page, 'lab/Tank')).toBe(true);
  await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-at', String(INCIDENT_START + 60_000));
  // The rule raised at 03:12:30 in the file: its mark is on the timeline; showing it lists it as active.
  const mark = page.getByTestId('timeline-mark').and(page.locator('[data-alarm-id="tl.hot"]'));
  await expect(mark).toHaveAttribute('data-t', String(INCIDENT_START + 30_000));
  await mark.click();
  await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-at', String(INCIDENT_START + 30_000));
  await expect(page.getByTestId('alarm-list').locator('[data-alarm-id="tl.hot"]')).toHaveAttribute(
    'data-state',
    'active',
  );

  // Closing it loads the page again on live data: the link no longer names the recording.
  await page.getByRole('button', { name: 'Close recording' }).first().click();
  await expect(page).not.toHaveURL(/recording=/);
  await expect(banner(page)).toBeHidden();
});

test('a malformed recording names its bad line and loads nothing', async ({ page }) => {
  await openTwin(page, TWIN);
  await publishJson(publisher, TOPIC, { v: 33, ts: Date.now() });
  await expect(temp(page)).toContainText('33');
  await page.getByTestId('timeline-open-file').setInputFiles({
    name: 'broken.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from('{"t":1,"signal":"tl.temp","value":20}\n{"t":2,"signal":"tl.temp","value":\n'),
  });
  const notice = page.getByTestId('timeline-notice');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('broken.jsonl');
  await expect(notice).toContainText('line 2');
  await expect(banner(page)).toHaveCount(0);
  await expect(temp(page)).toContainText('33');
  await expect(page.getByTestId('time-chip')).toHaveText('Live');
});

test('with a historian, a moment from before a reload shows again: its alarm mark, the values then', async ({
  page,
}) => {
  // e2e/twins/history-lab: hist.level, rule hist.high (level > 90), recorded into PostgreSQL.
  historian = await startHistorian({ twinFile: 'e2e/twins/history-lab/twin.json' });
  const from = Date.now() - 1000;
  await openTwin(page, 'history-lab');
  const level = page.getByTestId('value-hist.level');
  for (const v of [30, 97.5, 41]) {
    await publisher.publishAsync('historylab/level', String(v), { qos: 1 });
    await expect(level).toContainText(String(v));
  }
  const raises = async () => {
    const res = await page.request.get(
      `/api/history/v1/alarms?twin=history-lab&from=${from}&to=${Date.now() + 60_000}`,
    );
    if (!res.ok()) return [];
    const body = (await res.json()) as { transitions: { alarmId: string; event: string; t: number }[] };
    return body.transitions.filter((e) => e.alarmId === 'hist.high' && e.event === 'raise').map((e) => e.t);
  };
  await expect.poll(raises, { timeout: 15_000 }).toHaveLength(1);
  const [raisedAt] = await raises();

  // A reload forgets the tab's history; live values go on.
  await page.reload();
  await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 20_000 });
  await publisher.publishAsync('historylab/level', '55', { qos: 1 });
  await expect(level).toContainText('55');
  await expect(page.getByTestId('timeline-source')).toHaveText('History from the historian');

  const mark = page.getByTestId('timeline-mark').and(page.locator(`[data-t="${raisedAt}"]`));
  await mark.first().click();
  await expect(banner(page)).toBeVisible();
  expect(await bannerAt(page)).toBe(raisedAt);
  await expect(level).toContainText('97.5');
  await expect(page.getByTestId('alarm-list').locator('[data-alarm-id="hist.high"]')).toHaveCount(1);

  await page.getByTestId('timeline-live').click();
  await expect(level).toContainText('55');
  await historian.stop();
  historian = null;
});
