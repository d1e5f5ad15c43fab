import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import type { MqttClient } from 'mqtt';
import { connectPublisher, openTwin } from './helpers';
import { startHistorian } from './historian';
import { E2E } from './ports';

// The trend lab (e2e/fixtures/trend-lab.fixture.ts): "Lab trend" draws tl.temp (°C, rule tl.hot:
// "tl.temp > 50") and tl.flow (m³/h) over 5 min; "Tank trend" draws tl.level (forecast rule tl.fill,
// limit 90, window 1 min) over 1 min. Values are JSON { v, ts } with their own time.
const TWIN = 'fixture-trend-lab';
let publisher: MqttClient;
test.beforeAll(async () => {
  publisher = await connectPublisher();
});
test.afterAll(async () => {
  await publisher.endAsync();
});

const publish = (name: 'temp' | 'flow' | 'level', v: number, ts = Date.now()) =>
  publisher.publishAsync(`fixtures/trendlab/${name}`, JSON.stringify({ v, ts }), { qos: 1 });

/** A trend panel by its title, once its chart has loaded (the placeholder has no data-testid="trend"). */
const trend = (page: Page, title: string): Locator =>
  page.getByTestId('trend').filter({ has: page.getByRole('heading', { name: title }) });
const span = async (t: Locator) => Number(await t.getAttribute('data-to')) - Number(await t.getAttribute('data-from'));
const attr = async (t: Locator, name: string) => Number(await t.getAttribute(name));

async function openLab(page: Page): Promise<void> {
  await openTwin(page, TWIN);
  await expect(trend(page, 'Lab trend')).toBeVisible();
}

async function showValue(page: Page, id: string, text: RegExp): Promise<void> {
  await expect(page.getByTestId(`value-${id}`)).toHaveText(text);
}

test('each window changes the time axis; a custom range is validated and shown', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  await publish('temp', 25);
  // The configured window (5 min) is chosen at first and offered beside the presets.
  await expect(lab.getByRole('button', { name: '5 min', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const ranges = new Set<string>();
  const ticks = new Set<string>();
  for (const [label, ms] of [
    ['1 min', 60_000],
    ['15 min', 900_000],
    ['1 h', 3_600_000],
    ['24 h', 86_400_000],
    ['5 min', 300_000],
  ] as const) {
    await lab.getByRole('button', { name: label, exact: true }).click();
    await expect(lab.getByRole('button', { name: label, exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => span(lab)).toBe(ms);
    ranges.add((await lab.getByTestId('trend-range').textContent()) ?? '');
    // The time axis is labelled for the window: its tick labels change with it.
    await expect.poll(() => lab.locator('.trend-x-ticks text').allTextContents()).not.toEqual([]);
    ticks.add((await lab.locator('.trend-x-ticks text').allTextContents()).join(' '));
  }
  expect(ranges.size).toBe(5);
  expect(ticks.size).toBeGreaterThanOrEqual(4);

  await lab.getByRole('button', { name: 'Custom…' }).click();
  const form = lab.getByRole('form', { name: 'Custom range' });
  const [from, to] = await page.evaluate(() => {
    const p = (n: number) => String(n).padStart(2, '0');
    const text = (t: number) => {
      const d = new Date(t);
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    };
    const end = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    return [text(end - 10 * 60_000), text(end)];
  });
  await form.getByLabel('From').fill(to);
  await form.getByLabel('To').fill(from);
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(form.getByRole('alert')).toHaveText('The end must be after the start.');
  await expect(form.getByLabel('To')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('From').fill(from);
  await form.getByLabel('To').fill(to);
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(lab).toHaveAttribute('data-window', 'custom');
  await expect.poll(() => span(lab)).toBe(10 * 60_000);
  await expect(lab.getByRole('button', { name: 'Custom…' })).toHaveAttribute('aria-pressed', 'true');
});

test('pause holds the chart while values still arrive; resume shows them', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  const tank = trend(page, 'Tank trend');
  await publish('temp', 20);
  await showValue(page, 'tl.temp', /^20(\.0+)? °C$/);
  await expect.poll(() => attr(lab, 'data-points')).toBeGreaterThan(0);
  await lab.getByRole('button', { name: 'Pause' }).click();
  await expect(lab).toHaveAttribute('data-paused', 'true');
  await expect(lab.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  const heldTo = await attr(lab, 'data-to');
  const heldPoints = await attr(lab, 'data-points');

  await publish('temp', 21);
  await publish('temp', 22);
  await showValue(page, 'tl.temp', /^22(\.0+)? °C$/);
  // The unpaused trend beside it has redrawn well past the moment of pausing: time has moved on.
  await expect.poll(() => attr(tank, 'data-to'), { timeout: 15_000 }).toBeGreaterThan(heldTo + 2000);
  expect(await attr(lab, 'data-to')).toBe(heldTo);
  expect(await attr(lab, 'data-points')).toBe(heldPoints);

  await lab.getByRole('button', { name: 'Resume' }).click();
  await expect(lab).toHaveAttribute('data-paused', 'false');
  await expect.poll(() => attr(lab, 'data-to')).toBeGreaterThan(heldTo);
  await expect.poll(() => attr(lab, 'data-points')).toBeGreaterThan(heldPoints);
});

test('hovering, or the keyboard, shows a readout with time and each value with its unit', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  await publish('temp', 42.5);
  await publish('flow', 7.25);
  await showValue(page, 'tl.flow', /^7\.25 m³\/h$/);
  const chart = lab.getByTestId('trend-chart');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(lab.getByTestId('trend-readout')).toContainText('Values at');
  await expect(lab.getByTestId('trend-readout')).toContainText('Lab temperature');
  await page.mouse.move(0, 0);
  await expect(lab.getByTestId('trend-readout')).toHaveCount(0);

  await chart.focus();
  await expect(async () => {
    await chart.press('End');
    await expect(lab.getByTestId('trend-readout').locator('[data-signal="tl.temp"]')).toHaveText(
      'Lab temperature: 42.5 °C',
      { timeout: 1000 },
    );
  }).toPass();
  await expect(lab.getByTestId('trend-readout').locator('[data-signal="tl.flow"]')).toHaveText('Lab flow: 7.25 m³/h');
  await chart.press('Escape');
  await expect(lab.getByTestId('trend-readout')).toHaveCount(0);
});

test('signals of two units get two Y axes', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  await expect(lab).toHaveAttribute('data-axes', '°C|m³/h');
  await expect(lab.locator('.trend-y-axis')).toHaveCount(2);
  await expect(trend(page, 'Tank trend').locator('.trend-y-axis')).toHaveCount(1);
});

test('each line ends at the height of its value on its own axis; the legend names them in order', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  const t0 = Date.now();
  await publish('temp', 20, t0 - 20_000);
  await publish('flow', 3, t0 - 20_000);
  await publish('temp', 40, t0 - 10_000);
  await publish('flow', 5, t0 - 10_000);
  await showValue(page, 'tl.flow', /^5\.00 m³\/h$/);
  await expect.poll(() => attr(lab, 'data-points')).toBe(4);

  /** The last point of a line's path, in the SVG's pixels. */
  const end = async (signal: string) => {
    const d = (await lab.locator(`path.trend-line[data-signal="${signal}"]`).getAttribute('d')) ?? '';
    const [x, y] = d.split(/[ML]/).filter(Boolean).at(-1)!.split(' ').map(Number);
    return { x, y };
  };
  const tickY = async (unit: string, text: string) =>
    Number(await lab.locator(`.trend-y-axis[data-unit="${unit}"] text`, { hasText: text }).getAttribute('y'));
  // °C reaches the limit line at 50 (tl.hot); m³/h has its own scale.
  await expect.poll(async () => Math.abs((await end('tl.temp')).y - (await tickY('°C', '40.0')))).toBeLessThan(0.2);
  expect(Math.abs((await end('tl.flow')).y - (await tickY('m³/h', '5.00')))).toBeLessThan(0.2);
  const limitY = Number(await lab.locator('.trend-limit-line line').getAttribute('y1'));
  expect(Math.abs(limitY - (await tickY('°C', '50.0')))).toBeLessThan(0.2);
  // Both ended 10 s before the window's end, left of it by about 10 s of a 5-minute axis.
  const { x: tempX } = await end('tl.temp');
  const { x: flowX } = await end('tl.flow');
  expect(flowX).toBeCloseTo(tempX, 0);
  const plot = lab.locator('clipPath rect');
  const right = Number(await plot.getAttribute('x')) + Number(await plot.getAttribute('width'));
  expect(tempX).toBeLessThan(right);
  expect(tempX).toBeGreaterThan(right - 0.2 * Number(await plot.getAttribute('width')));
  await expect(lab.locator('.trend-legend li')).toHaveText(['Lab temperature (°C)', 'Lab flow (m³/h)']);
});

test('CSV export downloads the window: the points shown and the raw samples, with ids and units', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  const t0 = Date.now() - 3000;
  await publish('temp', 11.25, t0);
  await publish('flow', 3.5, t0 + 1000);
  await showValue(page, 'tl.flow', /^3\.50 m³\/h$/);
  await expect.poll(() => attr(lab, 'data-points')).toBeGreaterThanOrEqual(2);
  const download = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^trend-fixture-trend-lab-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
  const text = await readDownload(file);
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('time,source,tl.temp (°C),tl.flow (m³/h)');
  expect(lines).toContain(`${new Date(t0).toISOString()},chart,11.25,`);
  expect(lines).toContain(`${new Date(t0).toISOString()},tab,11.25,`);
  expect(lines).toContain(`${new Date(t0 + 1000).toISOString()},tab,,3.5`);
});

test('a rule limit is drawn as a line and an alarm period is shaded', async ({ page }) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  await expect(lab.getByTestId('trend-limit')).toHaveText('tl.hot: > 50.0 °C');
  await expect(lab.locator('.trend-limit-line')).toHaveCount(1);
  await expect(lab.locator('.trend-alarm-area')).toHaveCount(0);

  await publish('temp', 60);
  await expect(page.getByTestId('alarm-list').locator('[data-alarm-id="tl.hot"]')).toBeVisible();
  const period = lab.getByTestId('trend-alarm-period');
  await expect(period).toHaveAttribute('data-alarm', 'tl.hot');
  await expect(period).toHaveAttribute('data-open', 'true');
  await expect(period).toContainText(/tl\.hot: .+ – now/);
  await expect(lab.locator('.trend-alarm-area')).toHaveCount(1);
  await publish('temp', 40);
  await expect(period).toHaveAttribute('data-open', 'false');
});

test('a signal with a forecast rule gets a dashed forecast continuing its trend', async ({ page }) => {
  await openLab(page);
  const tank = trend(page, 'Tank trend');
  // The last minute at once: 50 % rising 1 % every 5 s (the rule's 1-minute window, full).
  const end = Date.now();
  for (let i = 12; i >= 0; i--) await publish('level', 62 - i, end - i * 5000);
  await showValue(page, 'tl.level', /^62\.0 %$/);
  await expect(tank.getByTestId('trend-forecast')).toContainText('Forecast Tank level');
  await expect(tank.getByTestId('trend-forecast')).toContainText('reaches 90.0 % in ~');
  await expect(tank.locator('.trend-forecast-line')).toHaveCount(1);
  // The axis reaches past now to show it.
  await expect.poll(async () => (await attr(tank, 'data-to')) - (await attr(tank, 'data-from'))).toBe(60_000);
  await expect(tank.getByTestId('trend-limit')).toHaveText('tl.fill: → 90.0 %');
});

test('"Trend" on an inspector reading opens a closable chart of that signal', async ({ page }) => {
  await openLab(page);
  await publish('level', 33);
  await page.getByTestId('asset-tree').locator('[data-path="lab/Tank"]').click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'lab/Tank');
  await page.getByRole('button', { name: 'Trend Tank level' }).click();
  const adhoc = page.getByTestId('adhoc-trend');
  await expect(adhoc).toHaveCount(1);
  await expect(adhoc).toHaveAttribute('data-signal', 'tl.level');
  await expect(adhoc).toBeFocused();
  const chart = adhoc.getByTestId('trend');
  await expect(chart).toHaveAttribute('data-signals', 'tl.level');
  await expect(chart.getByRole('heading', { name: 'Trend: Tank level' })).toBeVisible();
  await expect.poll(() => attr(chart, 'data-points')).toBeGreaterThan(0);
  // A second signal opens a second panel; the same one again does not.
  await page.getByRole('button', { name: 'Trend Lab temperature' }).click();
  await page.getByRole('button', { name: 'Trend Tank level' }).click();
  await expect(adhoc).toHaveCount(2);
  // Keyboard: the close button is a button; Enter closes the panel.
  await adhoc.first().getByRole('button', { name: 'Close trend' }).focus();
  await page.keyboard.press('Enter');
  await expect(adhoc).toHaveCount(1);
  await expect(adhoc).toHaveAttribute('data-signal', 'tl.temp');
});

test('without a historian, a window beyond the tab says "history not available" and draws the tab\'s data', async ({
  page,
}) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  await publish('temp', 30);
  await showValue(page, 'tl.temp', /^30\.0 °C$/);
  await lab.getByRole('button', { name: '1 h', exact: true }).click();
  await expect(lab.getByTestId('trend-history-note')).toHaveText(/history not available/);
  await expect(lab).toHaveAttribute('data-history', 'unavailable');
  await expect.poll(() => attr(lab, 'data-points')).toBeGreaterThan(0);

  // The what-if asked for the historian's week falls back to this tab's values, and says so.
  await whatIf(page, 'tl.temp > 20', 'Historian: last 7 days');
  await expect(page.getByTestId('whatif-note')).toHaveText("history not available: tested over this tab's history");
  await expect(page.getByTestId('whatif-result')).toContainText('as deployed 0 alarms, as edited 1 alarm');
});

test('in replay a trend shows the window ending at the replayed moment, marked, and goes live again', async ({
  page,
}) => {
  await openLab(page);
  const lab = trend(page, 'Lab trend');
  const hot = Date.now();
  const cold = hot - 120_000;
  await publish('temp', 20, cold);
  await publish('temp', 70, hot);
  await showValue(page, 'tl.temp', /^70\.0 °C$/);
  // Scrub the timeline (its 1-hour span) to a minute after the cold value.
  await page.getByTestId('timeline').getByRole('button', { name: '1 h', exact: true }).click();
  const track = page.getByTestId('timeline-scrubber');
  const from = Number(await track.getAttribute('data-from'));
  const to = Number(await track.getAttribute('data-to'));
  const box = (await track.boundingBox())!;
  await track.click({ position: { x: ((cold + 60_000 - from) / (to - from)) * box.width, y: box.height / 2 } });
  const at = Number(await page.getByTestId('replay-banner').getAttribute('data-at'));
  await expect.poll(() => attr(lab, 'data-to')).toBe(Math.round(at));
  expect(await span(lab)).toBe(300_000);
  await expect(lab.getByTestId('trend-replay')).toContainText('replay');
  await expect(lab.locator('.trend-replay-marker')).toHaveCount(1);
  await expect(lab.getByRole('button', { name: '1 h', exact: true })).toBeDisabled();
  // The newest value drawn is the one from before that moment, not the 70 published after it.
  await lab.getByTestId('trend-chart').focus();
  await expect(async () => {
    await lab.getByTestId('trend-chart').press('End');
    await expect(lab.getByTestId('trend-readout').locator('[data-signal="tl.temp"]')).toHaveText(
      'Lab temperature: 20.0 °C',
      { timeout: 1000 },
    );
  }).toPass();

  await page.getByTestId('replay-banner').getByRole('button').click();
  await expect(lab.getByTestId('trend-replay')).toHaveCount(0);
  await expect.poll(() => attr(lab, 'data-to')).toBeGreaterThan(hot);
});

test('with a historian, a reloaded page still shows the values published before the reload', async ({ page }) => {
  const historian = await startHistorian({ twinFile: `${E2E.fixturesDir}/fixture-trend-lab/twin.json` });
  try {
    await openLab(page);
    // Whole seconds: the historian keeps each second's first/min/max/last at the second's start.
    const t0 = Math.floor((Date.now() - 20_000) / 1000) * 1000;
    const values = [33.5, 71.25, 34.75];
    for (const [k, v] of values.entries()) await publish('temp', v, t0 + k * 5000);
    await showValue(page, 'tl.temp', /^34\.8 °C$/);
    // Recorded once its second is written (about a second after it arrives).
    await expect
      .poll(
        async () => {
          const res = await page.request.get(
            `/api/history/v1/series?twin=fixture-trend-lab&signals=tl.temp&from=${t0 - 1000}&to=${Date.now()}&points=100`,
          );
          if (!res.ok()) return [];
          return ((await res.json()) as { series: { points: { v: number | null }[] }[] }).series[0].points.map(
            (p) => p.v,
          );
        },
        { timeout: 15_000 },
      )
      .toEqual(expect.arrayContaining(values));

    await page.reload();
    const lab = trend(page, 'Lab trend');
    await expect(lab).toBeVisible();
    await lab.getByRole('button', { name: '15 min', exact: true }).click();
    await expect(lab).toHaveAttribute('data-history', 'ok');
    await expect(lab.getByTestId('trend-history-note')).toHaveCount(0);
    // The spike from before the reload is on the chart, with its alarm period.
    await expect(lab.getByTestId('trend-alarm-period')).toHaveAttribute('data-alarm', 'tl.hot');
    const download = page.waitForEvent('download');
    await lab.getByRole('button', { name: 'CSV' }).click();
    const text = await readDownload(await download);
    for (const [k, v] of values.entries())
      expect(text).toContain(`${new Date(t0 + k * 5000).toISOString()},chart,${v},`);

    // The what-if over the historian's last hour: would "> 80" have fired? (71.25 raised "> 50" once.)
    await whatIf(page, 'tl.temp > 80', 'Historian: last hour');
    await expect(page.getByTestId('whatif-result')).toContainText('as deployed 1 alarm, as edited 0 alarms');
    await expect(page.getByTestId('whatif-note')).toHaveCount(0);
  } finally {
    await historian.stop();
  }
});

/** Runs the alarm panel's "Test a rule change" for tl.hot with condition `when` over `source`. */
async function whatIf(page: Page, when: string, source: string): Promise<void> {
  const panel = page.getByTestId('rule-whatif');
  await panel.locator('summary').click();
  await panel.getByLabel('Rule to test').selectOption('tl.hot');
  await panel.getByLabel('Edited condition').fill(when);
  await panel.getByTestId('whatif-source').selectOption({ label: source });
  await panel.getByRole('button', { name: 'Test over recorded values' }).click();
}

async function readDownload(file: Download): Promise<string> {
  const stream = await file.createReadStream();
  return new Promise<string>((resolve, reject) => {
    let all = '';
    stream.on('data', (c: Buffer) => (all += c.toString('utf8')));
    stream.on('end', () => resolve(all));
    stream.on('error', reject);
  });
}
