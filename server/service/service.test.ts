/**
 * `twin serve` as a process against a real Mosquitto, with no page open: MQTT clients in the test
 * stand in for dashboards and for the plant. The service is started as the CLI (a child process), so
 * it can be stopped gracefully (SIGTERM) or killed (SIGKILL) as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../e2e/mosquitto';
import { freePort } from '../test/ports';
import type { AuditRecord, ServiceReply, ServiceStatus } from '../../src/engine/namespace';
import type { AlarmSnapshot } from '../../src/engine/protocol';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TWIN = 'svc-test';

let broker: Mosquitto;
let tcp: number;
let ws: number;
beforeAll(async () => {
  tcp = await freePort();
  ws = await freePort();
  broker = await startMosquitto({ tcpPort: tcp, wsPort: ws });
});
afterAll(async () => {
  await broker?.stop();
});

interface Serve {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}
const children: ChildProcess[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

/** A twin file and state folder of its own, so tests do not share state; every test uses its own twin id. */
function setup(id: string): { file: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-serve-'));
  const file = join(dir, 'twin.json');
  const doc = {
    id,
    title: 'Service test',
    connection: { url: `ws://127.0.0.1:${ws}`, subscribe: [`site/${id}/#`] },
    signals: [{ id: 'temp', topic: `site/${id}/temp`, label: 'Temperature', unit: '°C' }],
    rules: [{ id: 'hot', when: 'temp > 50', priority: 'high', message: 'Too hot' }],
  };
  writeFileSync(file, JSON.stringify(doc));
  return { file, state: join(dir, 'state') };
}

function serve(file: string, state: string): Serve {
  // One node process with tsx as its loader, so signals reach the service itself (see server/start.test.ts).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli/twin.ts', 'serve', file, '--state', state, '--broker', `mqtt://127.0.0.1:${tcp}`],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** An MQTT client (a dashboard or the plant) that records what it receives, per topic. */
async function client(subscribe: string[] = []): Promise<{
  mqtt: MqttClient;
  got: { topic: string; payload: string; retain: boolean }[];
}> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcp}`, { protocolVersion: 5 });
  clients.push(c);
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  c.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), retain: packet.retain }));
  for (const s of subscribe) await c.subscribeAsync(s, { qos: 1 });
  return { mqtt: c, got };
}

const last = <T>(got: { topic: string; payload: string }[], topic: string): T | undefined => {
  const m = got.filter((g) => g.topic === topic).pop();
  return m === undefined ? undefined : m.payload === '' ? (null as T) : (JSON.parse(m.payload) as T);
};
const auditOf = (got: { topic: string; payload: string }[], id: string) =>
  got.filter((g) => g.topic === `twinview/v1/${id}/audit`).map((g) => JSON.parse(g.payload) as AuditRecord);

async function online(id: string): Promise<void> {
  const watcher = await client([`twinview/v1/${id}/service`]);
  await expect
    .poll(() => last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`)?.state, { timeout: 15_000 })
    .toBe('online');
}

describe('twin serve against Mosquitto', { timeout: 60_000 }, () => {
  it('raises an alarm with no page open and a subscriber connecting later gets it, retained, with its raise time', async () => {
    const id = `${TWIN}-late`;
    const { file, state } = setup(id);
    serve(file, state);
    await online(id);
    const plant = await client();
    const before = Date.now();
    await plant.mqtt.publishAsync(`site/${id}/temp`, '72', { qos: 1 });

    const early = await client([`twinview/v1/${id}/alarms/+`]);
    await expect.poll(() => last<AlarmSnapshot>(early.got, `twinview/v1/${id}/alarms/hot`)?.state).toBe('active');
    const late = await client([`twinview/v1/${id}/alarms/+`]);
    await expect.poll(() => late.got.length).toBeGreaterThan(0);
    expect(late.got[0].retain).toBe(true);
    const alarm = JSON.parse(late.got[0].payload) as AlarmSnapshot;
    expect(alarm).toMatchObject({ id: 'hot', message: 'Too hot', state: 'active', value: 72 });
    expect(alarm.raisedAt).toBeGreaterThanOrEqual(before);
    expect(alarm.raisedAt).toBeLessThanOrEqual(Date.now());
  });

  it('applies an acknowledge as the requesting user, publishes it to every subscriber and replies ok', async () => {
    const id = `${TWIN}-ack`;
    const { file, state } = setup(id);
    serve(file, state);
    await online(id);
    const wall = await client([`twinview/v1/${id}/alarms/+`, `twinview/v1/${id}/audit`]);
    const alice = await client([`twinview/v1/${id}/replies/alice`]);
    await alice.mqtt.publishAsync(`site/${id}/temp`, '72', { qos: 1 });
    await expect.poll(() => last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`)?.state).toBe('active');

    const request = {
      v: 1,
      id: 'ack-1',
      kind: 'acknowledge',
      alarmId: 'hot',
      comment: 'valve opened',
      operator: 'A. Smith',
    };
    await alice.mqtt.publishAsync(`twinview/v1/${id}/requests/alice`, JSON.stringify(request), { qos: 1 });
    await expect
      .poll(() => last<ServiceReply>(alice.got, `twinview/v1/${id}/replies/alice`))
      .toEqual({ v: 1, id: 'ack-1', ok: true });
    await expect
      .poll(() => last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`))
      .toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: 'alice',
        comment: 'valve opened (name typed in the page: A. Smith)',
      });
    await expect
      .poll(() => auditOf(wall.got, id).map((r) => [r.seq, r.kind === 'alarm' ? r.event : r.kind, r.operator]))
      .toEqual([
        [1, 'raise', undefined],
        [2, 'acknowledge', 'alice'],
      ]);
  });

  it('answers bad requests with an error that says why, and changes nothing', async () => {
    const id = `${TWIN}-bad`;
    const { file, state } = setup(id);
    serve(file, state);
    await online(id);
    const wall = await client([`twinview/v1/${id}/alarms/+`, `twinview/v1/${id}/audit`]);
    const eve = await client([`twinview/v1/${id}/replies/eve`]);
    await eve.mqtt.publishAsync(`site/${id}/temp`, '72', { qos: 1 });
    await expect.poll(() => auditOf(wall.got, id).length).toBe(1);
    const before = last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`);

    const bad = [
      'acknowledge everything',
      JSON.stringify({ v: 2, id: 'b1', kind: 'acknowledge', alarmId: 'hot' }),
      JSON.stringify({ v: 1, id: 'b2', kind: 'acknowledge', alarmId: '<img src=x onerror=alert(1)>' }),
      JSON.stringify({ v: 1, id: 'b3', kind: 'alarm-action', action: { kind: 'shelve', alarmId: 'hot' } }),
      JSON.stringify({ v: 1, id: 'b4', kind: 'alarm-action', action: { kind: 'unshelve', alarmId: 'hot' } }),
    ];
    for (const payload of bad) await eve.mqtt.publishAsync(`twinview/v1/${id}/requests/eve`, payload, { qos: 1 });
    const replies = () =>
      eve.got
        .filter((g) => g.topic === `twinview/v1/${id}/replies/eve`)
        .map((g) => JSON.parse(g.payload) as ServiceReply);
    await expect.poll(replies).toEqual([
      { v: 1, id: '', ok: false, error: 'request is not JSON' },
      { v: 1, id: 'b1', ok: false, error: 'request version 2 is not 1' },
      { v: 1, id: 'b2', ok: false, error: 'no alarm "<img src=x onerror=alert(1)>" in this twin' },
      { v: 1, id: 'b3', ok: false, error: 'shelve needs a duration' },
      { v: 1, id: 'b4', ok: false, error: 'unshelve does not apply to alarm "hot" in its state' },
    ]);
    // A good request after them is applied: everything before it was answered and changed nothing.
    await eve.mqtt.publishAsync(
      `twinview/v1/${id}/requests/eve`,
      JSON.stringify({
        v: 1,
        id: 'g1',
        kind: 'alarm-action',
        action: { kind: 'comment', alarmId: 'hot', comment: 'noted' },
      }),
      { qos: 1 },
    );
    await expect.poll(() => replies().length).toBe(6);
    expect(auditOf(wall.got, id).map((r) => (r.kind === 'alarm' ? r.event : r.kind))).toEqual(['raise', 'comment']);
    await expect
      .poll(() => last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`))
      .toEqual({ ...before, comment: 'noted' });
  });

  it('says offline, retained, on a graceful stop, and the broker says it by the last will on a kill', async () => {
    const id = `${TWIN}-will`;
    const { file, state } = setup(id);
    const first = serve(file, state);
    await online(id);
    const watcher = await client([`twinview/v1/${id}/service`]);
    await expect.poll(() => last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`)?.state).toBe('online');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`)).toMatchObject({ state: 'offline' });
    expect(first.output()).toContain('stopped cleanly');

    const second = serve(file, state);
    await expect
      .poll(() => last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`)?.state, { timeout: 15_000 })
      .toBe('online');
    const instance = last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`)!.instance;
    second.child.kill('SIGKILL');
    await second.exited;
    await expect
      .poll(() => last<ServiceStatus>(watcher.got, `twinview/v1/${id}/service`))
      .toEqual({ v: 1, state: 'offline', instance });
    // A newcomer gets the will's state too: it is retained.
    const newcomer = await client([`twinview/v1/${id}/service`]);
    await expect.poll(() => last<ServiceStatus>(newcomer.got, `twinview/v1/${id}/service`)?.state).toBe('offline');
  });

  it('killed mid-stream and restarted: alarm state and audit intact, nothing raised twice, and the log says it was not a clean stop', async () => {
    const id = `${TWIN}-kill`;
    const { file, state } = setup(id);
    const first = serve(file, state);
    await online(id);
    const wall = await client([`twinview/v1/${id}/alarms/+`, `twinview/v1/${id}/audit`]);
    const plant = await client();
    // The plant keeps publishing a value over the limit, throughout the kill and the restart.
    let value = 70;
    const stream = setInterval(
      () => void plant.mqtt.publishAsync(`site/${id}/temp`, String(value++)).catch(() => {}),
      20,
    );
    try {
      await expect.poll(() => last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`)?.state).toBe('active');
      const request = { v: 1, id: 'ack', kind: 'acknowledge', alarmId: 'hot' };
      await plant.mqtt.publishAsync(`twinview/v1/${id}/requests/carol`, JSON.stringify(request), { qos: 1 });
      // Wait until the acknowledgement is in the state file (at most a second), then kill.
      const stateFile = join(state, `${id}.state.json`);
      await expect
        .poll(() => {
          try {
            return readFileSync(stateFile, 'utf8');
          } catch {
            return '';
          }
        })
        .toContain('"acknowledgedBy":"carol"');
      first.child.kill('SIGKILL');
      await first.exited;
      const auditBefore = auditOf(wall.got, id);
      expect(auditBefore.map((r) => (r.kind === 'alarm' ? r.event : r.kind))).toEqual(['raise', 'acknowledge']);

      const second = serve(file, state);
      await expect.poll(second.output, { timeout: 15_000 }).toMatch(/online at/);
      expect(second.output()).toMatch(/previous run did not stop cleanly/);
      // Still streaming over the limit: the restored alarm stays acknowledged and nothing is raised again.
      const seen = value;
      await expect.poll(() => value).toBeGreaterThan(seen + 25);
      expect(last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`)).toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: 'carol',
      });
      clearInterval(stream);
      await plant.mqtt.publishAsync(`site/${id}/temp`, '20', { qos: 1 });
      await expect.poll(() => last<AlarmSnapshot>(wall.got, `twinview/v1/${id}/alarms/hot`)).toBeNull();
      await expect
        .poll(() => auditOf(wall.got, id).map((r) => (r.kind === 'alarm' ? r.event : r.kind)))
        .toEqual(['raise', 'acknowledge', 'clear']);
      const audit = auditOf(wall.got, id);
      // Numbers continue, past the gap a kill leaves; none is used twice.
      expect(audit[2].seq).toBeGreaterThan(audit[1].seq);
    } finally {
      clearInterval(stream);
    }
  });
});
