/**
 * The trust model of docs/operations.md against a real Mosquitto with a password file and the ACL the
 * document shows: a user can request only under its own name, so the operator the service records is
 * the MQTT user name; nobody but the service can write the shared state.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../e2e/mosquitto';
import type { AlarmSnapshot } from '../../src/engine/protocol';
import { makeTwin, signal } from '../../src/engine/testTwins';
import { freePort } from '../test/ports';
import { TwinService } from './host';
import { StateStore } from './persistence';

// The document's ACL, for a twin "t" whose plant publishes on site/#.
const ACL = `
user twinview-service
topic read site/#
topic readwrite twinview/v1/t/#

user alice
topic read twinview/v1/t/service
topic read twinview/v1/t/alarms/#
topic read twinview/v1/t/audit

user mallory
topic read twinview/v1/t/service
topic read twinview/v1/t/alarms/#
topic read twinview/v1/t/audit

user plant
topic write site/#

pattern write twinview/v1/+/requests/%u
pattern read twinview/v1/+/replies/%u
`;
const USERS = { 'twinview-service': 'svc-pw', alice: 'alice-pw', mallory: 'mallory-pw', plant: 'plant-pw' };

let broker: Mosquitto;
let tcp: number;
let service: TwinService;
const clients: MqttClient[] = [];

const connect = async (user: keyof typeof USERS) => {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcp}`, {
    protocolVersion: 5,
    username: user,
    password: USERS[user],
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  tcp = await freePort();
  broker = await startMosquitto({ tcpPort: tcp, wsPort: await freePort(), users: USERS, acl: ACL });
  const twin = makeTwin({
    signals: [signal('temp', 'site/temp')],
    rules: [{ id: 'hot', when: 'temp > 50', priority: 'high', message: 'Too hot' }],
  });
  service = new TwinService({
    twin: { ...twin, connection: { ...twin.connection, subscribe: ['site/#'] } },
    store: new StateStore(mkdtempSync(join(tmpdir(), 'twinview-acl-')), twin.id),
    brokerUrl: `mqtt://127.0.0.1:${tcp}`,
    credentials: { username: 'twinview-service', password: USERS['twinview-service'] },
    log: () => {},
  });
  service.start();
  await service.online();
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await service?.stop();
  await broker?.stop();
});

describe('the broker decides who acts; the service records the MQTT user', { timeout: 30_000 }, () => {
  it("refuses a request under another user's name and a forged alarm; records the user's own acknowledgement as theirs", async () => {
    const plant = await connect('plant');
    const alice = await connect('alice');
    const mallory = await connect('mallory');
    const seen: AlarmSnapshot[] = [];
    alice.on('message', (topic, payload) => {
      if (topic === 'twinview/v1/t/alarms/hot' && payload.length > 0)
        seen.push(JSON.parse(payload.toString()) as AlarmSnapshot);
    });
    await alice.subscribeAsync('twinview/v1/t/alarms/+', { qos: 1 });
    await plant.publishAsync('site/temp', '72', { qos: 1 });
    await expect.poll(() => seen.at(-1)?.state).toBe('active');

    const ack = (id: string) => JSON.stringify({ v: 1, id, kind: 'acknowledge', alarmId: 'hot', operator: 'alice' });
    // Mallory, pretending to be alice: the broker answers "Not authorized" and nothing reaches the service.
    await expect(mallory.publishAsync('twinview/v1/t/requests/alice', ack('m1'), { qos: 1 })).rejects.toMatchObject({
      code: 0x87,
    });
    // Nor can anyone but the service write the shared state.
    const forged = JSON.stringify({ ...seen.at(-1), state: 'acknowledged', acknowledgedBy: 'alice' });
    await expect(
      mallory.publishAsync('twinview/v1/t/alarms/hot', forged, { qos: 1, retain: true }),
    ).rejects.toMatchObject({ code: 0x87 });

    // Mallory under her own name is allowed to ask, and is recorded as herself; the typed name is a note.
    await mallory.publishAsync('twinview/v1/t/requests/mallory', ack('m2'), { qos: 1 });
    await expect.poll(() => seen.at(-1)?.state).toBe('acknowledged');
    expect(seen.at(-1)).toMatchObject({ acknowledgedBy: 'mallory', comment: '(name typed in the page: alice)' });
    expect(seen.filter((a) => a.state === 'acknowledged' && a.acknowledgedBy === 'alice')).toEqual([]);
  });
});
