/**
 * Commands back to the plant, against a real Mosquitto that wants a user name and enforces an ACL,
 * with the test playing the devices (e2e/fixtures/command-lab.fixture.ts): exactly one publish per
 * confirmed request even after a double click, a reply confirms, no reply times out, the device's
 * rejection (MQTT 5 response topic + correlation data) and the broker's refusal (reason code 0x87)
 * are shown, and kiosk screens offer only what the twin allows them.
 */
import { expect, test, type Page } from '@playwright/test';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, type Mosquitto } from './mosquitto';
import { startSimulator } from '../server/sim/runner';
import { E2E } from './ports';

const TCP = E2E.brokerTcpPort + 20;
const WS = E2E.brokerWsPort + 20;
const BROKER = `ws://127.0.0.1:${WS}`;
const TWIN = 'fixture-command-lab';
// The operator may command the lab and use Twinview's namespace, and only read secret/#: a publish
// there is refused. The device (this test) may do anything.
const ACL = `user op
topic readwrite cmdlab/#
topic readwrite twinview/#
topic read secret/#

user device
topic readwrite #
`;

interface Received {
  topic: string;
  payload: string;
  responseTopic?: string;
  correlationData?: Buffer;
}

let broker: Mosquitto;
let device: MqttClient;
let received: Received[] = [];
/** Whether the device answers pump commands (on `<topic>/ack`, echoing the id). */
let answerPumps = true;

test.beforeAll(async () => {
  broker = await startMosquitto({
    tcpPort: TCP,
    wsPort: WS,
    users: { op: 'op-pass', device: 'dev-pass' },
    acl: ACL,
  });
  device = await mqtt.connectAsync(`mqtt://127.0.0.1:${TCP}`, {
    username: 'device',
    password: 'dev-pass',
    protocolVersion: 5,
  });
  device.on('message', (topic, payload, packet) => {
    const m: Received = { topic, payload: payload.toString() };
    if (packet.properties?.responseTopic) m.responseTopic = packet.properties.responseTopic;
    if (packet.properties?.correlationData) m.correlationData = packet.properties.correlationData;
    received.push(m);
    if (answerPumps && /^cmdlab\/pump\d\/cmd$/.test(topic)) {
      const { id } = JSON.parse(m.payload) as { id: string };
      void device.publishAsync(`${topic}/ack`, JSON.stringify({ id, ok: true }), { qos: 1 });
    }
  });
  await device.subscribeAsync(['cmdlab/+/cmd', 'secret/#', 'twinview/#'], { qos: 1 });
});
test.afterAll(async () => {
  await device?.endAsync();
  await broker?.stop();
});
test.beforeEach(() => {
  received = [];
  answerPumps = true;
});

async function signIn(page: Page, extra = ''): Promise<void> {
  await page.goto(`/?twin=${TWIN}&broker=${encodeURIComponent(BROKER)}${extra}`);
  await page.getByLabel('Username').fill('op');
  await page.getByLabel('Password').fill('op-pass');
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await page.waitForFunction(
    () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
  );
}

async function select(page: Page, path: string): Promise<void> {
  await page.getByTestId('asset-tree').locator(`[data-path="${path}"]`).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', path);
}

const inspectorCommands = (page: Page) => page.getByTestId('inspector-commands');
const dialog = (page: Page) => page.getByRole('dialog');

/** The audit requests the page sent for its commands (the service appends them to the shared log). */
const audits = () =>
  received
    .filter((m) => m.topic === `twinview/v1/${TWIN}/requests/op`)
    .map(
      (m) => JSON.parse(m.payload) as { kind: string; record: { commandId: string; result: string; payload: string } },
    )
    .filter((r) => r.kind === 'command-audit');

test('a confirmed command reaches the broker exactly once, even after a double click, and its reply confirms it', async ({
  page,
}) => {
  await signIn(page);
  await select(page, 'plant/Pump2');
  await inspectorCommands(page).getByRole('button', { name: 'Start pump2…' }).click();
  await expect(dialog(page).getByRole('heading')).toHaveText('Start pump2');
  await expect(dialog(page).getByTestId('command-topic')).toHaveText('cmdlab/pump2/cmd');
  await expect(dialog(page).getByTestId('command-payload')).toHaveText(/^\{"action":"start","id":"[0-9a-f]{16}"\}$/);
  const shown = await dialog(page).getByTestId('command-payload').textContent();

  await dialog(page).getByRole('button', { name: 'Send' }).dblclick();
  await expect(dialog(page).getByTestId('command-status')).toHaveAttribute('data-state', 'confirmed');
  await expect(dialog(page).getByTestId('command-status')).toHaveText('Confirmed');

  // The page publishes its audit request after the confirmation, on the same connection as the
  // command: once the device has it, any second copy of the command would have arrived before it.
  await expect.poll(() => audits().length).toBe(1);
  expect(audits()[0].record).toMatchObject({ commandId: 'pump2.start', result: 'confirmed', payload: shown });
  expect(received.filter((m) => m.topic === 'cmdlab/pump2/cmd').map((m) => m.payload)).toEqual([shown]);

  // Closed, the button keeps saying how its last request ended.
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('command-last-pump2.start')).toHaveText('Confirmed');
});

test("an alarm's suggested command is a button; without a reply the command times out", async ({ page }) => {
  answerPumps = false;
  await signIn(page);
  await device.publishAsync('cmdlab/pump1/telemetry', JSON.stringify({ temp: 95 }), { qos: 1 });
  const alarm = page.locator('.alarm[data-alarm-id="pump1.hot"]');
  await alarm.getByText('Guidance').click();
  await alarm.getByRole('button', { name: 'Start pump2…' }).click();
  await dialog(page).getByRole('button', { name: 'Send' }).click();
  await expect(dialog(page).getByTestId('command-status')).toHaveAttribute('data-state', 'pending');
  await expect(dialog(page).getByTestId('command-status')).toHaveText('Timed out: no reply within 3s', {
    timeout: 10_000,
  });
  await expect.poll(() => audits().map((a) => a.record.result)).toEqual(['timed-out']);
  expect(received.filter((m) => m.topic === 'cmdlab/pump2/cmd')).toHaveLength(1);
});

test("inputs are checked before sending; an MQTT 5 reply with the request's correlation data rejects it with the device's reason", async ({
  page,
}) => {
  await signIn(page);
  await select(page, 'plant/Valve');
  await inspectorCommands(page).getByRole('button', { name: 'Set valve opening…' }).click();
  const opening = dialog(page).getByLabel('Opening (%)');
  await expect(opening).toBeFocused(); // the dialog starts at its first input
  await expect(opening).toHaveValue('50');
  // Typing replaces the selected default rather than appending to it ("5095").
  await page.keyboard.type('95');
  await expect(opening).toHaveValue('95');
  await expect(dialog(page).getByRole('alert')).toHaveText('Opening must be between 0 and 80 %');
  await expect(opening).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog(page).getByRole('button', { name: 'Send' })).toBeDisabled();
  await opening.fill('40');
  // The payload is shown exactly as it will be sent, as text (the <b> is not markup).
  const payload = '{"action":"setpoint","value":40,"note":"<b>40 %</b>"}';
  await expect(dialog(page).getByTestId('command-payload')).toHaveText(payload);
  await expect(dialog(page).locator('b')).toHaveCount(0);
  await opening.press('Enter');

  await expect.poll(() => received.filter((m) => m.topic === 'cmdlab/valve/cmd').length).toBe(1);
  const cmd = received.find((m) => m.topic === 'cmdlab/valve/cmd')!;
  expect(cmd.payload).toBe(payload);
  expect(cmd.responseTopic).toMatch(new RegExp(`^twinview/v1/${TWIN}/responses/`));
  // A reply with someone else's correlation data changes nothing; ours rejects with the reason.
  await device.publishAsync(cmd.responseTopic!, JSON.stringify({ ok: true }), {
    qos: 1,
    properties: { correlationData: Buffer.from('not-this-one') },
  });
  await device.publishAsync(cmd.responseTopic!, JSON.stringify({ ok: false, reason: 'valve jammed' }), {
    qos: 1,
    properties: { correlationData: cmd.correlationData },
  });
  await expect(dialog(page).getByTestId('command-status')).toHaveText('Rejected by the device: valve jammed');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByTestId('command-last-valve.setpoint')).toHaveAttribute('data-state', 'rejected');
});

test("a publish the broker's ACL forbids is shown as refused, with its MQTT 5 reason code", async ({ page }) => {
  await signIn(page);
  await select(page, 'plant/Valve');
  await inspectorCommands(page).getByRole('button', { name: 'Reset valve controller…' }).click();
  await expect(dialog(page).getByTestId('command-topic')).toHaveText('secret/valve/reset');
  // Without inputs, focus starts on Cancel: a stray Enter sends nothing. Shift+Tab, Enter sends.
  await expect(dialog(page).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog(page).getByRole('button', { name: 'Send' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByTestId('command-status')).toHaveAttribute('data-state', 'refused');
  await expect(dialog(page).getByTestId('command-status')).toHaveText(
    'Refused: the broker refused it (Not authorized) [reason code 0x87]',
  );
});

test('a kiosk wall has no inspector; the alarm holding it offers its suggested command only where the twin allows kiosks to send it', async ({
  page,
}) => {
  await signIn(page, '&mode=kiosk');
  await expect(page.getByTestId('inspector')).toHaveCount(0);
  const takeover = page.getByTestId('kiosk-takeover');
  // pump1.hot suggests pump2.start, which kiosks may not send: its name, no button.
  await device.publishAsync('cmdlab/pump1/telemetry', JSON.stringify({ temp: 95 }), { qos: 1 });
  await expect(takeover).toHaveAttribute('data-alarm-id', 'pump1.hot');
  await expect(takeover.locator('.suggested-command')).toHaveText('Suggested command: Start pump2');
  await expect(takeover.getByRole('button')).toHaveCount(0);
  // Cleared, it hands the wall back; pump2.hot suggests pump1.stop, which kiosks may send: a button.
  await device.publishAsync('cmdlab/pump1/telemetry', JSON.stringify({ temp: 20 }), { qos: 1 });
  await device.publishAsync('cmdlab/pump2/telemetry', JSON.stringify({ temp: 95 }), { qos: 1 });
  await expect(takeover).toHaveAttribute('data-alarm-id', 'pump2.hot');
  await takeover.getByRole('button', { name: 'Stop pump1…' }).click();
  await expect(dialog(page).getByTestId('command-topic')).toHaveText('cmdlab/pump1/cmd');
});

test('the demo loop: the pump station simulator obeys the valve setpoint sent from the inspector and answers', async ({
  page,
}) => {
  // An anonymous broker of this test's own: the demo twin has no credentials, and the simulator's
  // retained telemetry must not reach the other specs' broker.
  const demoBroker = await startMosquitto({ tcpPort: TCP + 2, wsPort: WS + 2 });
  const sim = startSimulator({ brokerUrl: `mqtt://127.0.0.1:${TCP + 2}`, faults: false, seed: 7, log: () => {} });
  try {
    expect(await sim.connected(5000)).toBe(true);
    await page.goto(`/?twin=pump-station&broker=${encodeURIComponent(`ws://127.0.0.1:${WS + 2}`)}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    await page.waitForFunction(
      () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
    );
    await select(page, 'station/Valve1');
    await inspectorCommands(page).getByRole('button', { name: 'Set discharge valve opening…' }).click();
    await dialog(page).getByLabel('Opening (%)').fill('12');
    await expect(dialog(page).getByTestId('command-topic')).toHaveText('plant/north/valve1/cmd');
    await dialog(page).getByRole('button', { name: 'Send' }).click();
    await expect(dialog(page).getByTestId('command-status')).toHaveText('Confirmed');
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    // The valve moves to 12 % (a first-order lag of 15 s): its reading falls below 20 % within a minute.
    await expect
      .poll(
        async () => Number.parseFloat((await page.getByTestId('inspector-value-valve1.position').textContent()) ?? ''),
        {
          timeout: 60_000,
        },
      )
      .toBeLessThan(20);
  } finally {
    await sim.stop();
    await demoBroker.stop();
  }
});
