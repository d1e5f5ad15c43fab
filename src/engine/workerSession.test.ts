import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineSession, FLUSH_INTERVAL_MS } from './workerSession';
import type { ConnectionOptions } from './connection';
import { KIND_TEXT, type FromWorker } from './protocol';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { demoTwin, makeTwin } from './testTwins';

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
