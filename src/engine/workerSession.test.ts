import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineSession, FLUSH_INTERVAL_MS, LATE_FLUSH_MS, REQUEST_TIMEOUT_MS, SERVICE_GRACE_MS } from './workerSession';
import type { ConnectionOptions } from './connection';
import { KIND_TEXT, type FromWorker } from './protocol';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { demoTwin, makeTwin } from './testTwins';
import { MAX_POSTED_READINGS } from './batchSplit';

const PUMP_TOPIC = 'plant/north/pumps/pump1/telemetry';
const payload = (temp: number) =>
  new TextEncoder().encode(`{"running":true,"rpm":1480,"flow":52.3,"bearing":{"temp":${temp}}}`);

function setup() {
  const posted: { message: FromWorker; transfer?: Transferable[] }[] = [];
  let options: ConnectionOptions | null = null;
  const close = vi.fn(async () => {});
  const hostClose = vi.fn();
  const session = new EngineSession(
    { post: (message, transfer) => posted.push({ message, transfer }), close: hostClose },
    {
      openConnection: (o) => {
        options = o;
        o.onStatus({ state: 'connecting', url: o.brokerUrl ?? o.connection.url });
        return { url: o.connection.url, close, publish: async () => ({ ok: true }) };
      },
    },
  );
  const types = () => posted.map((p) => p.message.type);
  const deliver = (topic: string, bytes: Uint8Array) => options!.onMessage(topic, bytes);
  return { session, posted, types, deliver, close, hostClose, options: () => options! };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('EngineSession', () => {
  it('starts the connection from the twin and forwards its status', () => {
    const s = setup();
    s.session.handle({
      type: 'start',
      twin: demoTwin(),
      brokerUrl: 'ws://broker:1',
      credentials: { username: 'u', password: 'p' },
    });
    expect(s.options()).toMatchObject({ brokerUrl: 'ws://broker:1', credentials: { username: 'u', password: 'p' } });
    expect(s.posted[0].message).toEqual({ type: 'connection', status: { state: 'connecting', url: 'ws://broker:1' } });
    expect(s.types()).toContain('stats');
  });

  it('posts signals before the batch that uses them, at most once per frame, with the buffer transferred', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.posted.length = 0;
    for (let i = 0; i < 50; i++) s.deliver(PUMP_TOPIC, payload(60 + i));
    expect(s.posted).toEqual([]); // nothing per message
    vi.advanceTimersByTime(0);
    expect(s.types()).toEqual(['signals', 'batch']);
    const batch = s.posted[1];
    if (batch.message.type !== 'batch') throw new Error('expected a batch');
    expect(batch.message.count).toBe(200);
    expect(batch.transfer).toEqual([batch.message.samples.buffer]);

    // More data right after a flush waits for the rest of the frame.
    s.posted.length = 0;
    s.deliver(PUMP_TOPIC, payload(70));
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS - 1);
    expect(s.posted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(s.types()).toEqual(['batch']); // known signals: no 'signals' message
  });

  it('posts a long-held flush in parts the page applies as tasks of their own, nothing lost', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.posted.length = 0;
    // 1,100 messages of four readings before the flush timer runs: a worker kept off a core.
    for (let i = 0; i < 1100; i++) s.deliver(PUMP_TOPIC, payload(i));
    vi.advanceTimersByTime(0);
    expect(s.types()).toEqual(['signals', 'batch', 'batch']);
    const parts = s.posted.slice(1).map((p) => {
      if (p.message.type !== 'batch') throw new Error('expected a batch');
      expect(p.transfer).toEqual([p.message.samples.buffer]);
      return p.message;
    });
    expect(parts.map((b) => b.count)).toEqual([MAX_POSTED_READINGS, 4400 - MAX_POSTED_READINGS]);
    // The bearing temperatures arrive in the order published: 0, 1, ..., 1099.
    const signals = s.posted[0].message.type === 'signals' ? s.posted[0].message.added : [];
    const bearing = signals.find((a) => a.id === 'pump1.temp')!.index;
    const temps = parts.flatMap((b) => {
      const out: number[] = [];
      for (let k = 0; k < b.count; k++) if (b.samples[k * 3] === bearing) out.push(b.samples[k * 3 + 1]);
      return out;
    });
    expect(temps).toEqual(Array.from({ length: 1100 }, (_, i) => i));
  });

  it('fills again the batch buffers the page hands back', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    const batchBuffers = () =>
      s.posted.flatMap((p) => (p.message.type === 'batch' ? [p.message.samples.buffer as ArrayBuffer] : []));
    for (let round = 0; round < 2; round++) {
      s.deliver(PUMP_TOPIC, payload(60 + round));
      vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    }
    const [first] = batchBuffers();
    s.session.handle({ type: 'recycle', buffer: first });
    for (let round = 0; round < 2; round++) {
      s.deliver(PUMP_TOPIC, payload(70 + round));
      vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    }
    const buffers = batchBuffers();
    expect(buffers).toHaveLength(4);
    expect(buffers[3]).toBe(first);
    const last = s.posted.filter((p) => p.message.type === 'batch').at(-1)!.message;
    if (last.type !== 'batch') throw new Error('expected a batch');
    expect(Array.from(last.samples)).toContain(71);
  });

  it('flushes from the message path when the flush timer is late (a busy worker holds it back)', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    vi.advanceTimersByTime(0);
    s.posted.length = 0;
    s.deliver(PUMP_TOPIC, payload(60)); // schedules the next flush, due now (nothing flushed before)
    // The worker stays busy with messages: the clock moves, the timer does not get to run.
    vi.setSystemTime(Date.now() + LATE_FLUSH_MS - 1);
    s.deliver(PUMP_TOPIC, payload(61));
    expect(s.posted).toEqual([]); // due, but the timer may still come: a burst stays one batch
    vi.setSystemTime(Date.now() + 1);
    s.deliver(PUMP_TOPIC, payload(62));
    expect(s.types()).toEqual(['signals', 'batch']);
    const batch = s.posted[1].message;
    if (batch.type !== 'batch') throw new Error('expected a batch');
    expect(batch.count).toBe(12); // three messages of four signals, none lost
    // The stale timer posts nothing more.
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS * 2);
    expect(s.types()).toEqual(['signals', 'batch']);
  });

  it('raises a delayed alarm by ticking, without new messages, and posts the list once', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.deliver(PUMP_TOPIC, payload(97));
    vi.advanceTimersByTime(100);
    s.posted.length = 0;
    vi.advanceTimersByTime(3000);
    const alarms = s.posted.filter((p) => p.message.type === 'alarms');
    expect(alarms).toHaveLength(1);
    expect(alarms[0].message.type === 'alarms' && alarms[0].message.alarms.map((a) => a.id)).toEqual([
      'pump1.hot',
      'pump1.overheat',
    ]);
  });

  it('acknowledges alarms and posts the changed list', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.deliver(PUMP_TOPIC, payload(90));
    vi.advanceTimersByTime(3500);
    s.posted.length = 0;
    s.session.handle({ type: 'acknowledge', alarmId: 'pump1.hot', operator: 'ana' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    const last = s.posted.find((p) => p.message.type === 'alarms')?.message;
    expect(last?.type === 'alarms' && last.alarms[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana' });
  });

  it('posts stats once a second', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.posted.length = 0;
    s.deliver('nobody/listens', new Uint8Array([1]));
    vi.advanceTimersByTime(3000);
    const stats = s.posted.filter((p) => p.message.type === 'stats');
    expect(stats).toHaveLength(3);
    expect(stats[2].message.type === 'stats' && stats[2].message.stats.rejected).toEqual({ 'unknown-topic': 1 });
  });

  it('stops: disconnects, posts nothing more and ends the worker', async () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: demoTwin() });
    s.deliver(PUMP_TOPIC, payload(60));
    s.session.handle({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.close).toHaveBeenCalledOnce();
    expect(s.hostClose).toHaveBeenCalledOnce();
    s.posted.length = 0;
    s.deliver(PUMP_TOPIC, payload(61));
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.posted).toEqual([]);
  });

  it('reports a twin the engine cannot run as an error', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: makeTwin({ signals: [{ id: 'a', topic: 'a', path: 'x..y' }] }) });
    expect(s.posted).toEqual([
      { message: { type: 'error', message: expect.stringMatching(/cannot run.*x\.\.y/) }, transfer: undefined },
    ]);
  });
});

describe('EngineSession alarm state', () => {
  const twin = () =>
    makeTwin({
      signals: [{ id: 'v', topic: 'v', decoder: 'number' }],
      rules: [{ id: 'hot', when: 'v > 10', message: 'hot' }],
    });
  const alarmMessages = (posted: { message: FromWorker }[]) =>
    posted.map((p) => p.message).filter((m) => m.type === 'alarms' || m.type === 'audit');

  it('starts with the restored alarm list and posts it without waiting for data', () => {
    const s = setup();
    const saved = {
      id: 'hot',
      message: 'hot',
      priority: 'medium' as const,
      signal: 'v',
      state: 'acknowledged' as const,
      value: 12,
      raisedAt: 5,
      acknowledgedBy: 'ana',
      conditionActive: true,
    };
    s.session.handle({ type: 'start', twin: twin(), restore: { alarms: [saved] } });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(alarmMessages(s.posted)).toEqual([{ type: 'alarms', alarms: [saved] }]);
  });

  it('applies operator actions and posts the new list and the audit entries', () => {
    const s = setup();
    s.session.handle({ type: 'start', twin: twin() });
    s.deliver('v', new TextEncoder().encode('11'));
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    s.posted.length = 0;
    s.session.handle({
      type: 'alarm-action',
      action: { kind: 'shelve', alarmId: 'hot', durationMs: 60_000, operator: 'ana' },
    });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    const [alarms, audit] = alarmMessages(s.posted);
    expect(alarms).toMatchObject({ type: 'alarms', alarms: [{ id: 'hot', state: 'shelved', shelvedBy: 'ana' }] });
    expect(audit).toMatchObject({ type: 'audit', entries: [{ alarmId: 'hot', event: 'shelve', operator: 'ana' }] });
  });
});

describe('EngineSession text values', () => {
  it('posts text beside the numeric batch, and each signal kind once', () => {
    const s = setup();
    const twin = makeTwin({
      signals: [{ id: 'mode', topic: 'spBv1.0/g/+/n/d', decoder: 'sparkplug', metric: 'Mode' }],
      rules: [],
    });
    s.session.handle({ type: 'start', twin });
    s.posted.length = 0;
    const birth = encodePayload({ seq: 0, metrics: [{ name: 'Mode', alias: 1, type: 'String', value: 'AUTO' }] });
    s.deliver('spBv1.0/g/DBIRTH/n/d', birth);
    vi.advanceTimersByTime(0);
    const batch = s.posted.find((p) => p.message.type === 'batch')!.message;
    expect(batch).toMatchObject({
      count: 1,
      texts: [{ index: 0, text: 'AUTO' }],
      kinds: [{ index: 0, kind: KIND_TEXT }],
    });
  });
});

describe('EngineSession with the alarm service (shared alarms)', () => {
  const twin = () =>
    makeTwin({
      signals: [{ id: 'v', topic: 'v', decoder: 'number' }],
      rules: [{ id: 'hot', when: 'v > 10', message: 'hot' }],
    });
  const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
  const online = { v: 1, state: 'online', since: 500_000, instance: 'run-1' };
  const serviceAlarm = {
    id: 'hot',
    message: 'hot',
    priority: 'high',
    signal: 'v',
    state: 'acknowledged',
    value: 42,
    raisedAt: 900_000,
    acknowledgedAt: 950_000,
    acknowledgedBy: 'bo',
  };

  function sharedSetup(credentials?: { username: string; password: string }) {
    const posted: FromWorker[] = [];
    let options: ConnectionOptions | null = null;
    const published: { topic: string; payload: string; options: unknown }[] = [];
    let publishResult: { ok: true } | { ok: false; reason: string } = { ok: true };
    const session = new EngineSession(
      { post: (message) => posted.push(message) },
      {
        openConnection: (o) => {
          options = o;
          return {
            url: o.connection.url,
            close: async () => {},
            publish: async (topic, payload, opts) => {
              published.push({ topic, payload: String(payload), options: opts });
              return publishResult;
            },
          };
        },
      },
    );
    session.handle({ type: 'start', twin: twin(), credentials });
    const deliver = (topic: string, payload: unknown) => options!.onMessage(topic, enc(payload));
    const goOnline = () => options!.onStatus({ state: 'online', url: 'ws://x', since: 1, resumed: false });
    const of = <T extends FromWorker['type']>(type: T) =>
      posted.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
    const lastAlarms = () => of('alarms').at(-1)?.alarms;
    return {
      session,
      posted,
      published,
      deliver,
      goOnline,
      of,
      lastAlarms,
      options: () => options!,
      refusePublishes: (reason: string) => (publishResult = { ok: false, reason }),
      acceptPublishes: () => (publishResult = { ok: true }),
    };
  }

  it("subscribes the twin's status, alarms, audit and the replies of its user beside the twin's filters", () => {
    expect(Object.keys(sharedSetup().options().extraSubscriptions!)).toEqual([
      'twinview/v1/t/service',
      'twinview/v1/t/alarms/+',
      'twinview/v1/t/audit',
      'twinview/v1/t/replies/+',
    ]);
    const withUser = sharedSetup({ username: 'ana', password: 'p' }).options().extraSubscriptions!;
    expect(Object.keys(withUser)).toContain('twinview/v1/t/replies/ana');
    expect(Object.values(withUser).every((o) => o.qos === 1)).toBe(true);
  });

  it('follows the retained alarms while the service is online, not its own engine', () => {
    const s = sharedSetup();
    expect(s.of('alarm-mode')).toEqual([{ type: 'alarm-mode', mode: { kind: 'local', reason: 'checking' } }]);
    s.deliver('twinview/v1/t/alarms/hot', serviceAlarm);
    s.deliver('twinview/v1/t/service', online);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.of('alarm-mode').at(-1)?.mode).toEqual({ kind: 'shared', since: 500_000, instance: 'run-1' });
    expect(s.lastAlarms()).toEqual([serviceAlarm]);
    // What the page's engine would raise on its own is not shown: the service's list is the list.
    s.deliver('v', '5');
    vi.advanceTimersByTime(1000);
    s.deliver('twinview/v1/t/alarms/hot', '');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.lastAlarms()).toEqual([]);
    // Telemetry is still telemetry; the namespace is never taken for it.
    expect(s.of('stats').at(-1)?.stats.rejected).toEqual({});
  });

  it('evaluates locally and says the service is absent when no status comes after connecting', () => {
    const s = sharedSetup();
    s.goOnline();
    vi.advanceTimersByTime(SERVICE_GRACE_MS);
    expect(s.of('alarm-mode').at(-1)?.mode).toEqual({ kind: 'local', reason: 'absent' });
    s.deliver('v', '11');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.lastAlarms()).toMatchObject([{ id: 'hot', state: 'active', value: 11 }]);
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', operator: 'ana', requestId: 'r1' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.published).toEqual([]);
    expect(s.of('request-result')).toEqual([{ type: 'request-result', requestId: 'r1', ok: true }]);
    expect(s.lastAlarms()).toMatchObject([{ id: 'hot', state: 'acknowledged', acknowledgedBy: 'ana' }]);
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', operator: 'ana', requestId: 'r2' });
    expect(s.of('request-result').at(-1)).toMatchObject({
      requestId: 'r2',
      ok: false,
      error: expect.stringMatching(/does not apply/),
    });
  });

  it('publishes actions as requests on the user topic and reports the reply, ok or not', async () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/t/service', online);
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', operator: 'ana', comment: 'seen', requestId: 'r1' });
    s.session.handle({
      type: 'alarm-action',
      action: { kind: 'shelve', alarmId: 'hot', durationMs: 60_000, operator: 'ana' },
      requestId: 'r2',
    });
    expect(s.published.map((p) => p.topic)).toEqual(['twinview/v1/t/requests/ana', 'twinview/v1/t/requests/ana']);
    expect(JSON.parse(s.published[0].payload)).toEqual({
      v: 1,
      id: 'r1',
      kind: 'acknowledge',
      alarmId: 'hot',
      comment: 'seen',
      operator: 'ana',
    });
    expect(JSON.parse(s.published[1].payload)).toEqual({
      v: 1,
      id: 'r2',
      kind: 'alarm-action',
      action: { kind: 'shelve', alarmId: 'hot', durationMs: 60_000, operator: 'ana' },
    });
    expect(s.published[0].options).toMatchObject({ qos: 1, responseTopic: 'twinview/v1/t/replies/ana' });
    expect(s.of('request-result')).toEqual([]); // waiting for the service
    s.deliver('twinview/v1/t/replies/ana', { v: 1, id: 'r1', ok: true });
    s.deliver('twinview/v1/t/replies/bo', { v: 1, id: 'someone-else', ok: true });
    s.deliver('twinview/v1/t/replies/ana', { v: 1, id: 'r2', ok: false, error: 'shelve does not apply' });
    expect(s.of('request-result')).toEqual([
      { type: 'request-result', requestId: 'r1', ok: true },
      { type: 'request-result', requestId: 'r2', ok: false, error: 'shelve does not apply' },
    ]);
    // A reply heard twice is reported once.
    s.deliver('twinview/v1/t/replies/ana', { v: 1, id: 'r1', ok: true });
    expect(s.of('request-result')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS);
    expect(s.of('request-result')).toHaveLength(2);
  });

  it('uses the MQTT user name for the request topic when the page has credentials', () => {
    const s = sharedSetup({ username: 'mqtt-ana', password: 'p' });
    s.deliver('twinview/v1/t/service', online);
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', operator: 'typed name', requestId: 'r1' });
    expect(s.published[0].topic).toBe('twinview/v1/t/requests/mqtt-ana');
  });

  it('reports a request the broker refused, and one the service never answered', async () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/t/service', online);
    s.refusePublishes('the broker refused it (Not authorized)');
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', requestId: 'r1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.of('request-result')).toEqual([
      {
        type: 'request-result',
        requestId: 'r1',
        ok: false,
        error: 'the request was not sent: the broker refused it (Not authorized)',
      },
    ]);
    expect(s.published[0].topic).toBe('twinview/v1/t/requests/operator');
    s.acceptPublishes();
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', requestId: 'r2' });
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS);
    expect(s.of('request-result').at(-1)).toMatchObject({
      requestId: 'r2',
      ok: false,
      error: expect.stringMatching(/^no answer from the alarm service/),
    });
  });

  it('carries on locally from the shared state when the service goes offline, and the shared list replaces the local one when it is back', () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/t/alarms/hot', { ...serviceAlarm, conditionActive: true });
    s.deliver('twinview/v1/t/service', online);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    s.deliver('twinview/v1/t/service', { v: 1, state: 'offline', instance: 'run-1' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.of('alarm-mode').at(-1)?.mode).toEqual({ kind: 'local', reason: 'offline' });
    // Acknowledged by bo on the service stays acknowledged here.
    expect(s.lastAlarms()).toMatchObject([{ id: 'hot', state: 'acknowledged', acknowledgedBy: 'bo' }]);
    // Local acting: back to normal, raised again, acknowledged by this screen.
    s.deliver('v', '1');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    s.deliver('v', '20');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    s.session.handle({ type: 'acknowledge', alarmId: 'hot', operator: 'ana', requestId: 'local' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.lastAlarms()).toMatchObject([{ id: 'hot', state: 'acknowledged', acknowledgedBy: 'ana', value: 20 }]);
    expect(s.published).toEqual([]);

    // The service is back with its own view: that is the list, once, and the local ack is not replayed.
    const back = { ...serviceAlarm, state: 'active', acknowledgedAt: undefined, acknowledgedBy: undefined };
    s.deliver('twinview/v1/t/alarms/hot', back);
    s.deliver('twinview/v1/t/service', { ...online, instance: 'run-2' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.lastAlarms()).toEqual([JSON.parse(JSON.stringify(back))]);
    expect(s.published).toEqual([]);
  });

  it("shows the service's audit: what its alarms say, then its records, each transition once", () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/t/service', online);
    s.deliver('twinview/v1/t/alarms/hot', serviceAlarm);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.of('audit').flatMap((m) => m.entries)).toEqual([
      { t: 900_000, alarmId: 'hot', event: 'raise', state: 'active', priority: 'high', value: 42 },
      { t: 950_000, alarmId: 'hot', event: 'acknowledge', state: 'acknowledged', priority: 'high', operator: 'bo' },
    ]);
    // The record of that acknowledgement adds nothing; a new transition does.
    const record = { v: 1, kind: 'alarm', seq: 7, alarmId: 'hot', priority: 'high', operator: 'bo' };
    s.deliver('twinview/v1/t/audit', { ...record, t: 950_000, event: 'acknowledge', state: 'acknowledged' });
    s.deliver('twinview/v1/t/audit', { ...record, t: 990_000, event: 'comment', state: 'acknowledged', comment: 'ok' });
    s.deliver('twinview/v1/t/audit', { v: 1, kind: 'command', seq: 8, t: 1, commandId: 'c' });
    s.deliver('twinview/v1/t/audit', 'not json');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(
      s
        .of('audit')
        .flatMap((m) => m.entries)
        .map((e) => e.event),
    ).toEqual(['raise', 'acknowledge', 'comment']);
  });

  it('also carries on from the shared state when the retained status is removed', () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/t/alarms/hot', { ...serviceAlarm, conditionActive: true });
    s.deliver('twinview/v1/t/service', online);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    s.deliver('twinview/v1/t/service', '');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.of('alarm-mode').at(-1)?.mode).toEqual({ kind: 'local', reason: 'absent' });
    expect(s.lastAlarms()).toMatchObject([{ id: 'hot', state: 'acknowledged', acknowledgedBy: 'bo' }]);
  });

  it('ignores what is malformed or of another twin', () => {
    const s = sharedSetup();
    s.deliver('twinview/v1/other/service', online);
    s.deliver('twinview/v1/t/service', '{"v":2,"state":"online","instance":"x"}');
    s.deliver('twinview/v1/t/service', 'garbage');
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.of('alarm-mode')).toHaveLength(1);
    s.deliver('twinview/v1/t/service', online);
    s.deliver('twinview/v1/t/alarms/hot', { ...serviceAlarm, id: 'not-hot' });
    s.deliver('twinview/v1/t/alarms/cold', { id: 'cold', state: 'burning' });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(s.lastAlarms()).toEqual([]);
  });
});
