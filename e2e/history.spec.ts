import { expect, test } from '@playwright/test';
import mqtt, { type MqttClient } from 'mqtt';
import { startHistorian, type Historian } from './historian';
import { E2E } from './ports';

// The historian against the run's Mosquitto and PostgreSQL: the engine service records the stream,
// the dashboard's origin answers history queries (the preview server proxies /api/history/), the
// history outlives a restart of the service, and hostile queries are refused without harm.
const TWIN_FILE = 'e2e/twins/history-lab/twin.json';
const LEVEL = [20, 35, 50, 97.5, 60, 41];

let publisher: MqttClient;
let historian: Historian | null = null;

test.beforeAll(async () => {
  publisher = await mqtt.connectAsync(E2E.brokerTcpUrl);
});

test.afterAll(async () => {
  await historian?.stop();
  await publisher?.endAsync();
});

interface Series {
  twin: string;
  series: { signal: string; points: { t: number; v: number | null }[] }[];
}

test('records a stream, answers it through the dashboard origin, keeps it across a restart, and refuses hostile queries', async ({
  page,
}) => {
  historian = await startHistorian({ twinFile: TWIN_FILE });
  const from = Date.now() - 1000;
  for (const v of LEVEL) await publisher.publishAsync('historylab/level', String(v), { qos: 1 });
  await publisher.publishAsync('historylab/temp', '21.5', { qos: 1 });

  const seriesUrl = (signals: string, to: number) =>
    `/api/history/v1/series?twin=history-lab&signals=${encodeURIComponent(signals)}&from=${from}&to=${to}&points=100`;
  const levels = async (to: number): Promise<(number | null)[]> => {
    const res = await page.request.get(seriesUrl('hist.level', to));
    if (!res.ok()) return [];
    return ((await res.json()) as Series).series[0].points.map((p) => p.v);
  };
  // The spike and the last value are in the history once their second is written (about a second).
  await expect
    .poll(() => levels(Date.now() + 60_000), { timeout: 15_000 })
    .toEqual(expect.arrayContaining([20, 97.5, 41]));

  const status = await page.request.get('/api/history/v1/status');
  expect(status.status()).toBe(200);
  expect(await status.json()).toMatchObject({ database: 'postgresql', twins: ['history-lab'] });

  const alarms = await page.request.get(
    `/api/history/v1/alarms?twin=history-lab&from=${from}&to=${Date.now() + 60_000}`,
  );
  expect(((await alarms.json()) as { transitions: unknown[] }).transitions).toEqual(
    expect.arrayContaining([expect.objectContaining({ alarmId: 'hist.high', event: 'raise', value: 97.5 })]),
  );
  const snapshot = await page.request.get(`/api/history/v1/snapshot?twin=history-lab&at=${Date.now() + 60_000}`);
  expect(((await snapshot.json()) as { values: unknown[] }).values).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ signal: 'hist.level', v: 41 }),
      expect.objectContaining({ signal: 'hist.temp', v: 21.5 }),
    ]),
  );

  // Stopped, the origin says the historian is away (as JSON the dashboard can show).
  const database = historian.database;
  await historian.stop();
  historian = null;
  const away = await page.request.get('/api/history/v1/status');
  expect(away.status()).toBe(502);
  expect(await away.json()).toMatchObject({ error: { code: 'unavailable' } });

  // Restarted on the same database: the history is still there, before anything new is published.
  historian = await startHistorian({ twinFile: TWIN_FILE, database });
  const to = Date.now();
  expect(await levels(to)).toEqual(expect.arrayContaining([20, 97.5, 41]));

  // Hostile queries: refused with the reason, or answered as an unknown name; the table is intact.
  const hostile = "x';drop table tv_hist_buckets;--";
  const refused = await page.request.get(
    `/api/history/v1/series?twin=history-lab&signals=${encodeURIComponent(hostile)}&from=abc&to=${to}`,
  );
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: { code: 'bad-parameter', parameter: 'from' } });
  const unknown = await page.request.get(seriesUrl(`${hostile},hist.level`, to));
  expect(unknown.status()).toBe(200);
  const body = (await unknown.json()) as Series;
  expect(body.series.map((s) => [s.signal, s.points.length > 0])).toEqual([
    [hostile, false],
    ['hist.level', true],
  ]);
  expect(await levels(to)).toEqual(expect.arrayContaining([20, 97.5, 41]));
  const badTwin = await page.request.get(`/api/history/v1/snapshot?twin=${encodeURIComponent("a'--")}&at=1`);
  expect(badTwin.status()).toBe(400);
  expect(await badTwin.json()).toMatchObject({ error: { code: 'bad-parameter', parameter: 'twin' } });
});

test('exports a time range as a JSONL recording of decoded values', async ({ page }) => {
  historian ??= await startHistorian({ twinFile: TWIN_FILE });
  const from = Date.now() - 1000;
  for (const v of [11, 22, 33]) await publisher.publishAsync('historylab/level', String(v), { qos: 1 });
  const exported = async () => {
    const res = await page.request.get(
      `/api/history/v1/export?twin=history-lab&from=${from}&to=${Date.now() + 60_000}`,
    );
    if (!res.ok()) return [];
    expect(res.headers()['content-type']).toMatch(/application\/x-ndjson/);
    return (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: number; signal: string; value: number });
  };
  await expect
    .poll(async () => (await exported()).map((l) => [l.signal, l.value]), { timeout: 15_000 })
    .toEqual([
      ['hist.level', 11],
      ['hist.level', 22],
      ['hist.level', 33],
    ]);
});
