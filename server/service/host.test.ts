/**
 * The service host with a stand-in connection: what it publishes, how it applies requests, and that
 * a restart from its state file raises nothing twice. (server/service/service.test.ts runs the CLI
 * against a real Mosquitto.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionOptions, PublishOptions } from '../../src/engine/connection';
import type { AuditRecord, ServiceReply, ServiceStatus } from '../../src/engine/namespace';
import { makeTwin, signal } from '../../src/engine/testTwins';
import { TwinService } from './host';
import { StateStore } from './persistence';

const twin = makeTwin({
  signals: [signal('temp', 'site/temp')],
  rules: [{ id: 'hot', when: 'temp > 50', priority: 'high', message: 'Too hot' }],
});

interface Sent {
  topic: string;
  payload: string;
  options: PublishOptions;
}

/** A service on a stand-in broker connection that is online at once. */
function serviceIn(dir: string) {
  const sent: Sent[] = [];
  const logs: string[] = [];
  let options!: ConnectionOptions;
  const service = new TwinService({
    twin,
    store: new StateStore(dir, twin.id),
    log: (line) => logs.push(line),
    openConnection: (o) => {
      options = o;
      return {
        url: 'ws://stand-in',
        publish: (topic, payload, opts) => {
          sent.push({ topic, payload: String(payload), options: opts });
          return Promise.resolve({ ok: true });
        },
        close: () => Promise.resolve(),
      };
    },
  });
  service.start();
  options.onStatus({ state: 'online', url: 'ws://stand-in', since: Date.now(), resumed: false });
  const send = (topic: string, text: string) => options.onMessage(topic, new TextEncoder().encode(text));
  const audit = () =>
    sent.filter((s) => s.topic === 'twinview/v1/t/audit').map((s) => JSON.parse(s.payload) as AuditRecord);
  return { service, sent, send, audit, logs, options: () => options };
}

const running: TwinService[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

describe('TwinService', () => {
  it('subscribes to requests and leaves an offline will; says online, retained, when connected', () => {
    const s = serviceIn(mkdtempSync(join(tmpdir(), 'svc-')));
    running.push(s.service);
    const o = s.options();
    expect(Object.keys(o.extraSubscriptions ?? {})).toContain('twinview/v1/t/requests/+');
    expect(JSON.parse(o.will!.payload)).toMatchObject({ v: 1, state: 'offline', instance: s.service.instance });
    expect(o.will).toMatchObject({ topic: 'twinview/v1/t/service', retain: true, qos: 1 });
    const status = s.sent.find((m) => m.topic === 'twinview/v1/t/service')!;
    expect(JSON.parse(status.payload) as ServiceStatus).toMatchObject({ state: 'online' });
    expect(status.options.retain).toBe(true);
  });

  it('publishes a raised alarm retained and numbers its audit record', async () => {
    const s = serviceIn(mkdtempSync(join(tmpdir(), 'svc-')));
    running.push(s.service);
    s.send('site/temp', '60');
    await expect.poll(() => s.sent.find((m) => m.topic === 'twinview/v1/t/alarms/hot')?.payload).toContain('"active"');
    await expect.poll(() => s.audit()).toMatchObject([{ seq: 1, kind: 'alarm', event: 'raise', alarmId: 'hot' }]);
  });

  it("applies an acknowledge as the topic's user and replies ok; a bad request gets an error and changes nothing", async () => {
    const s = serviceIn(mkdtempSync(join(tmpdir(), 'svc-')));
    running.push(s.service);
    s.send('site/temp', '60');
    await expect.poll(() => s.service.alarms()[0]?.state).toBe('active');
    s.send('twinview/v1/t/requests/bob', '{"v":1,"id":"x","kind":"acknowledge","alarmId":"hot"');
    s.send('twinview/v1/t/requests/bob', '{"v":1,"id":"y","kind":"shelve","alarmId":"hot"}');
    s.send('twinview/v1/t/requests/alice', '{"v":1,"id":"z","kind":"acknowledge","alarmId":"hot","comment":"on it"}');
    const replies = () =>
      s.sent.filter((m) => m.topic.includes('/replies/')).map((m) => [m.topic, JSON.parse(m.payload) as ServiceReply]);
    await expect.poll(replies).toEqual([
      ['twinview/v1/t/replies/bob', { v: 1, id: '', ok: false, error: 'request is not JSON' }],
      ['twinview/v1/t/replies/bob', { v: 1, id: 'y', ok: false, error: 'unknown request kind "shelve"' }],
      ['twinview/v1/t/replies/alice', { v: 1, id: 'z', ok: true }],
    ]);
    expect(s.service.alarms()[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'alice', comment: 'on it' });
    await expect
      .poll(() => s.audit().map((r) => (r.kind === 'alarm' ? r.event : r.kind)))
      .toEqual(['raise', 'acknowledge']);
  });

  it('restarted from its state, raises nothing again for a condition that still holds, and continues the numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-'));
    const first = serviceIn(dir);
    first.send('site/temp', '60');
    await expect.poll(() => first.service.alarms()[0]?.state).toBe('active');
    await first.service.stop();

    const second = serviceIn(dir);
    running.push(second.service);
    expect(second.logs.join('\n')).not.toMatch(/did not stop cleanly/);
    second.send('site/temp', '61');
    second.send('site/temp', '40');
    await expect.poll(() => second.audit()).toMatchObject([{ seq: 2, event: 'clear', alarmId: 'hot' }]);
    expect(second.service.alarms()[0]).toMatchObject({ state: 'cleared-unacknowledged', value: 60 });
  });

  it('after a kill (no stop), says so and skips sequence numbers the lost second may have used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-'));
    const first = serviceIn(dir);
    first.send('site/temp', '60');
    await expect.poll(() => first.audit().length).toBe(1);
    // Killed: nothing more happens to the first; its state file is whatever was last saved.
    const second = serviceIn(dir);
    running.push(second.service, first.service);
    expect(second.logs.join('\n')).toMatch(/did not stop cleanly/);
    expect(second.service.auditSeq).toBeGreaterThanOrEqual(10_000);
  });
});
