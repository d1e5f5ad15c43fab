/**
 * The telemetry engine against real Mosquitto: retained values on load, a broker that goes away
 * (reconnecting, stale values), a persistent session that keeps QoS 1 messages across a broker
 * restart, and garbage payloads that change nothing but the diagnostics. And against the embedded
 * broker of `npm start` (aedes, MQTT 3.1.1 only): a twin left at the default MQTT 5 still connects.
 */
import { expect, test, type Page } from '@playwright/test';
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPublisher } from './helpers';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { E2E } from './ports';
import { startBroker } from '../server/broker';
import { startReframingProxy } from './reframingProxy';

// A second broker of our own, on ports apart from the shared one, for the tests that stop it.
const OWN_TCP = E2E.brokerTcpPort + 2;
const OWN_WS = E2E.brokerWsPort + 2;
// The embedded aedes broker of `npm start`, started by the test that needs it.
const AEDES_WS = E2E.ownBrokerWsPort + 10;
const AEDES_TCP = E2E.ownBrokerTcpPort + 10;

/** Opens the lab twin (optionally on another broker) and waits until the engine is online. */
async function openLab(page: Page, broker?: string): Promise<void> {
  await page.goto(`/?twin=ingest-lab${broker ? `&broker=${encodeURIComponent(broker)}` : ''}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
}

const row = (page: Page, id: string) => page.locator(`tr[data-signal="${id}"]`);

async function publisherOn(tcpPort: number): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, {
    protocolVersion: 4,
    clientId: `e2e-pub-${Math.random().toString(16).slice(2)}`,
  });
}

test('values from retained messages show on load, decoded (JSON path, state names, °F → °C)', async ({ page }) => {
  const publisher = await connectPublisher();
  try {
    const retain = { qos: 1 as const, retain: true };
    await publisher.publishAsync('lab/temp', JSON.stringify({ t: 21.5 }), retain);
    await publisher.publishAsync('lab/state', 'RUNNING', retain);
    await publisher.publishAsync('lab/tempF', '212', retain);
    await openLab(page);
    await expect(page.getByTestId('value-lab.temp')).toHaveText('21.5 °C');
    await expect(page.getByTestId('value-lab.state')).toHaveText('RUNNING');
    await expect(page.getByTestId('value-lab.tempF')).toHaveText('100.0 °C');
    // A signal that misses three periods (1 s here) is shown as stale although the broker is up.
    await expect(row(page, 'lab.temp')).toHaveAttribute('data-stale', 'true');
    await expect(row(page, 'lab.temp')).toContainText('stale');
  } finally {
    // Clear the retained messages so later runs start empty.
    for (const topic of ['lab/temp', 'lab/state', 'lab/tempF'])
      await publisher.publishAsync(topic, '', { retain: true });
    await publisher.endAsync();
  }
});

test('when the broker stops, the UI shows reconnecting with the attempt and countdown, and values go stale', async ({
  page,
}) => {
  let broker: Mosquitto | null = await startMosquitto({ tcpPort: OWN_TCP, wsPort: OWN_WS });
  const publisher = await publisherOn(OWN_TCP);
  try {
    await openLab(page, `ws://127.0.0.1:${OWN_WS}`);
    await publisher.publishAsync('lab/counter', '7', { qos: 1 });
    await expect(page.getByTestId('value-lab.counter')).toHaveText('7.00');
    await expect(row(page, 'lab.counter')).toHaveAttribute('data-stale', 'false');

    await publisher.endAsync(true);
    await broker.stop();
    broker = null;
    const status = page.getByTestId('connection');
    await expect(status).toHaveAttribute('data-state', 'reconnecting', { timeout: 10_000 });
    await expect(status).toContainText(/Reconnecting \(attempt \d+\)/);
    await expect(page.getByTestId('connection-countdown')).toHaveText(/next try in \d+ s|trying now/);
    // The last value is still shown, but marked stale rather than live.
    await expect(page.getByTestId('value-lab.counter')).toHaveText('7.00');
    await expect(row(page, 'lab.counter')).toHaveAttribute('data-stale', 'true');
    await expect(row(page, 'lab.counter')).toContainText('stale');

    // The broker returns (without the session: it does not persist): the dashboard comes back by
    // itself, and marks the outage as a gap: the old value stays stale until a new one arrives.
    broker = await startMosquitto({ tcpPort: OWN_TCP, wsPort: OWN_WS });
    await expect(status).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    await expect(row(page, 'lab.counter')).toHaveAttribute('data-stale', 'true');
    const again = await publisherOn(OWN_TCP);
    await again.publishAsync('lab/counter', '8', { qos: 1 });
    await again.endAsync();
    await expect(page.getByTestId('value-lab.counter')).toHaveText('8.00');
    await expect(row(page, 'lab.counter')).toHaveAttribute('data-stale', 'false');
  } finally {
    if (publisher.connected) await publisher.endAsync(true);
    await broker?.stop();
  }
});

test('a persistent session gets every QoS 1 message published while the broker restarted and it was away', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-e2e-persist-'));
  let broker: Mosquitto | null = await startMosquitto({ tcpPort: OWN_TCP, wsPort: OWN_WS, persistenceDir: dir });
  try {
    await openLab(page, `ws://127.0.0.1:${OWN_WS}`);
    // The subscription is in place once a message reaches the page.
    const warm = await publisherOn(OWN_TCP);
    await warm.publishAsync('lab/temp', JSON.stringify({ t: 20 }), { qos: 1 });
    await expect(page.getByTestId('value-lab.temp')).toHaveText('20.0 °C');
    await warm.endAsync();

    // A graceful stop saves the sessions; the same folder brings them back.
    await broker.stop();
    broker = await startMosquitto({ tcpPort: OWN_TCP, wsPort: OWN_WS, persistenceDir: dir });
    const status = page.getByTestId('connection');
    // The twin's backoff starts at 3 s: the dashboard is still away while we publish.
    await expect(status).toHaveAttribute('data-state', 'reconnecting');
    const publisher = await publisherOn(OWN_TCP);
    const N = 50;
    for (let i = 1; i <= N; i++) await publisher.publishAsync('lab/counter', String(i), { qos: 1 });
    await publisher.endAsync();
    expect(await status.getAttribute('data-state')).toBe('reconnecting');

    await expect(status).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    await expect(page.getByTestId('value-lab.counter')).toHaveText('50.0');
    // Count them: every one arrived, none lost, none twice.
    await page.getByTestId('diagnostics').locator('summary').click();
    await expect(page.getByTestId('diag-signal-lab.counter')).toHaveAttribute('data-count', String(N));
  } finally {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('garbage payloads leave values unchanged, are counted by reason and shown as text', async ({ page }) => {
  const publisher = await connectPublisher();
  try {
    await openLab(page);
    await publisher.publishAsync('lab/temp', JSON.stringify({ t: 30 }), { qos: 1 });
    await publisher.publishAsync('lab/state', 'STOPPED', { qos: 1 });
    await expect(page.getByTestId('value-lab.temp')).toHaveText('30.0 °C');
    await expect(page.getByTestId('value-lab.state')).toHaveText('STOPPED');

    const garbage: [string, string][] = [
      ['lab/temp', '{"t": 31'], // bad JSON
      ['lab/temp', '{"t": "hot"}'], // wrong type
      ['lab/temp', '{"temp": 32}'], // missing path
      ['lab/temp', '{"t": 1e999}'], // Infinity
      ['lab/counter', 'NaN'], // not finite
      ['lab/state', 'EXPLODED'], // a state the twin does not list
      ['lab/unknown/topic', '1'], // unknown topic
    ];
    for (let round = 0; round < 3; round++)
      for (const [topic, payload] of garbage) await publisher.publishAsync(topic, payload, { qos: 1 });
    // Hostile if it were rendered as HTML; last, so it is among the samples shown.
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    await publisher.publishAsync('lab/tempF', hostile, { qos: 1 });

    const diagnostics = page.getByTestId('diagnostics');
    await expect(page.getByTestId('diag-rejected')).toHaveText('22');
    await expect(diagnostics.locator('[data-reason="bad-json"]')).toHaveAttribute('data-count', '3');
    await expect(diagnostics.locator('[data-reason="wrong-type"]')).toHaveAttribute('data-count', '7');
    await expect(diagnostics.locator('[data-reason="missing-path"]')).toHaveAttribute('data-count', '3');
    await expect(diagnostics.locator('[data-reason="not-finite"]')).toHaveAttribute('data-count', '6');
    await expect(diagnostics.locator('[data-reason="unknown-topic"]')).toHaveAttribute('data-count', '3');
    // Values are what the last good messages said.
    await expect(page.getByTestId('value-lab.temp')).toHaveText('30.0 °C');
    await expect(page.getByTestId('value-lab.state')).toHaveText('STOPPED');
    await expect(page.getByTestId('value-lab.counter')).toHaveText('—');
    // The last rejected payloads are shown as text, never as markup.
    await diagnostics.locator('summary').click();
    const rejects = diagnostics.getByRole('list', { name: 'Last rejected payloads' });
    await expect(rejects).toContainText(hostile);
    expect(await diagnostics.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
  } finally {
    await publisher.endAsync();
  }
});

test('a twin left at the default MQTT 5 connects to the embedded 3.1.1-only broker by falling back, and says so', async ({
  page,
}) => {
  const broker = await startBroker({ wsPort: AEDES_WS, tcpPort: AEDES_TCP });
  try {
    const publisher = await mqtt.connectAsync(broker.tcpUrl!, { protocolVersion: 4 });
    await publisher.publishAsync('fixtures/mqtt-default/count', '42', { qos: 1, retain: true });
    await publisher.endAsync();

    await page.goto(`/?twin=fixture-mqtt-default&broker=${encodeURIComponent(broker.url)}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await expect(page.getByTestId('connection-protocol')).toHaveText(
      'MQTT 3.1.1: the broker refused MQTT 5 (set "mqtt": "3.1.1" in the twin\'s connection to skip that try)',
    );
    // Data flows over the fallback connection.
    await expect(page.getByTestId('value-probe.count')).toHaveText(/^42(\.0+)?$/);
    // The diagnostics say it too.
    await expect(page.getByTestId('diag-connection')).toContainText(
      `${broker.url} · MQTT 3.1.1: the broker refused MQTT 5`,
    );
  } finally {
    await broker.close();
  }
});

// Telemetry publishes at QoS 0 are read straight off the WebSocket (src/engine/mqttFrames.ts), and
// everything else goes through mqtt.js: both paths, both protocol versions, against Mosquitto, once
// through a proxy that splits and joins packets across WebSocket messages as the MQTT binding allows.
const WIRE_CASES = [
  { twin: 'ingest-wire-5', name: 'MQTT 5', reframed: false },
  { twin: 'ingest-wire-311', name: 'MQTT 3.1.1', reframed: false },
  { twin: 'ingest-wire-5', name: 'MQTT 5, packets split and joined across WebSocket messages', reframed: true },
];
for (const { twin, name, reframed } of WIRE_CASES) {
  test(`${name}: a 200 kB message, a UTF-8 topic and bursts at QoS 0 and 1 all arrive, each message once`, async ({
    page,
  }) => {
    const proxy = reframed ? await startReframingProxy(E2E.brokerWsUrl) : null;
    const publisher = await connectPublisher();
    try {
      await page.goto(`/?twin=${twin}${proxy ? `&broker=${encodeURIComponent(proxy.url)}` : ''}`);
      await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
      await publisher.publishAsync('wire/big', JSON.stringify({ v: 42.5, pad: 'x'.repeat(200_000) }), { qos: 0 });
      await publisher.publishAsync('wire/Pumpe Ü1/°C', '71.5', { qos: 0 });
      // Written back to back: a broker may put several in one WebSocket message.
      const burst: Promise<unknown>[] = [];
      for (let i = 1; i <= 1000; i++) burst.push(publisher.publishAsync('wire/count', String(i), { qos: 0 }));
      for (let i = 1; i <= 300; i++) burst.push(publisher.publishAsync('wireq/count', String(i), { qos: 1 }));
      await Promise.all(burst);

      await expect(page.getByTestId('value-wire.big')).toHaveText('42.5');
      await expect(page.getByTestId('value-wire.utf')).toHaveText('71.5 °C');
      await expect(page.getByTestId('value-wire.count')).toHaveText('1000');
      await expect(page.getByTestId('value-wire.qos1')).toHaveText('300.0');
      // Every message once: none lost, none twice, none refused.
      const diagnostics = page.getByTestId('diagnostics');
      await expect(diagnostics.getByTestId('diag-messages')).toHaveAttribute('data-count', '1302');
      await diagnostics.locator('summary').click();
      await expect(diagnostics.getByTestId('diag-signal-wire.count')).toHaveAttribute('data-count', '1000');
      await expect(diagnostics.getByTestId('diag-signal-wire.qos1')).toHaveAttribute('data-count', '300');
      await expect(diagnostics.getByTestId('diag-signal-wire.big')).toHaveAttribute('data-count', '1');
      await expect(diagnostics.getByTestId('diag-signal-wire.utf')).toHaveAttribute('data-count', '1');
      await expect(page.getByTestId('diag-rejected')).toHaveCount(0);
    } finally {
      await publisher.endAsync();
      await proxy?.close();
    }
  });
}
