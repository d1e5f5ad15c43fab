import { describe, expect, it } from 'vitest';
import { twinSchema, type Twin, type TwinInput } from '../twin/schema';
import {
  CommandTracker,
  buildMessage,
  checkParams,
  commandAllowedIn,
  commandsForPart,
  parseParam,
  resolveCommand,
  screenMode,
} from './commands';

const RESPONSES = 'twinview/v1/t/responses/me';

function twin(commands: TwinInput['commands'], mqtt: 5 | '3.1.1' = 5): Twin {
  return twinSchema.parse({
    id: 't',
    title: 'Test',
    connection: { url: 'ws://127.0.0.1:9001', mqtt, subscribe: ['#'] },
    signals: [
      { id: '{pump}.temp', topic: 'plant/pumps/+pump/telemetry', path: 'temp' },
      { id: 'valve1.position', topic: 'plant/valve1/telemetry', path: 'position' },
    ],
    commands,
  });
}

const pumpStart = {
  id: '{pump}.start',
  label: 'Start {pump}',
  topic: 'plant/pumps/{pump}/cmd',
  payload: { action: 'start', id: '{requestId}' },
  reply: { via: 'topic' as const, topic: 'plant/pumps/{pump}/cmd/ack', match: 'id', ok: 'ok', reason: 'reason' },
  timeout: '5s',
};
const setpoint = {
  id: 'valve1.setpoint',
  label: 'Set valve 1 opening',
  node: 'station/Valve1',
  topic: 'plant/valve1/cmd',
  payload: { action: 'setpoint', value: '{setpoint}', note: 'to {setpoint} %' },
  params: [{ id: 'setpoint', kind: 'number' as const, min: 0, max: 80, unit: '%' }],
  reply: { via: 'response-topic' as const, ok: 'ok', reason: 'reason' },
};

function clock(start = 1000) {
  const c = { t: start, now: () => c.t };
  return c;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('resolving and offering commands', () => {
  it('fills a templated command from a concrete id, label included', () => {
    const r = resolveCommand(twin([pumpStart]), 'pump2.start');
    expect(r).toMatchObject({ id: 'pump2.start', label: 'Start pump2', captures: { pump: 'pump2' } });
    expect(resolveCommand(twin([pumpStart]), 'pump2.stop')).toBeNull();
  });

  it('offers a templated command on a part whose signal carries the capture, and a placed one on its node', () => {
    const t = twin([pumpStart, setpoint]);
    expect(commandsForPart(t, 'station/Pump2_Motor', ['pump2.temp']).map((c) => c.id)).toEqual(['pump2.start']);
    expect(commandsForPart(t, 'station/Valve1', ['valve1.position']).map((c) => c.id)).toEqual(['valve1.setpoint']);
    // A parent of the placed node offers it too; an unrelated part offers nothing.
    expect(commandsForPart(t, 'station', []).map((c) => c.id)).toEqual(['valve1.setpoint']);
    expect(commandsForPart(t, 'station/Tank', ['valve1.position'])).toEqual([]);
  });

  it('offers commands on the operator screen always, on kiosk and embed only when the twin allows it', () => {
    const [def] = twin([pumpStart]).commands;
    expect(screenMode('?twin=x')).toBe('operator');
    expect(screenMode('?mode=kiosk')).toBe('kiosk');
    expect(commandAllowedIn(def, 'operator')).toBe(true);
    expect(commandAllowedIn(def, 'kiosk')).toBe(false);
    expect(commandAllowedIn(def, 'embed')).toBe(false);
    const [allowed] = twin([{ ...pumpStart, modes: ['kiosk'] }]).commands;
    expect(commandAllowedIn(allowed, 'kiosk')).toBe(true);
    expect(commandAllowedIn(allowed, 'embed')).toBe(false);
  });
});

describe('inputs', () => {
  const [num] = twin([setpoint]).commands[0].params;

  it('accepts a number within its limits and says the limits when it is not', () => {
    expect(parseParam(num, '42.5')).toEqual({ ok: true, value: 42.5 });
    expect(parseParam(num, '81')).toEqual({ ok: false, error: 'setpoint must be between 0 and 80 %' });
    expect(parseParam(num, '-1')).toMatchObject({ ok: false });
    for (const bad of ['', 'abc', '0x10', '1e400', ' '])
      expect(parseParam(num, bad)).toEqual({ ok: false, error: 'setpoint must be a number between 0 and 80 %' });
  });

  it('checks steps, enum choices and booleans', () => {
    const t = twin([
      {
        id: 'm',
        label: 'm',
        topic: 'x/cmd',
        payload: { n: '{n}', mode: '{mode}', on: '{on}' },
        params: [
          { id: 'n', kind: 'number', min: 0, step: 5 },
          { id: 'mode', kind: 'enum', values: ['auto', 'manual'] },
          { id: 'on', kind: 'boolean' },
        ],
      },
    ]);
    const def = t.commands[0];
    expect(checkParams(def, { n: '10', mode: 'auto', on: true })).toEqual({
      ok: true,
      values: { n: 10, mode: 'auto', on: true },
    });
    expect(checkParams(def, { n: '7', mode: 'off', on: 'yes' })).toEqual({
      ok: false,
      errors: {
        n: 'n must be in steps of 5',
        mode: 'mode must be one of auto, manual',
        on: 'on must be true or false',
      },
    });
  });
});

describe('building the message', () => {
  it('puts a parameter in as its typed value, and into text as text', () => {
    const cmd = resolveCommand(twin([setpoint]), 'valve1.setpoint')!;
    expect(buildMessage(cmd, { setpoint: 40 }, 'r1')).toEqual({
      topic: 'plant/valve1/cmd',
      payload: '{"action":"setpoint","value":40,"note":"to 40 %"}',
    });
  });

  it('fills the topic from captures and the request id into the payload; a string payload goes as text', () => {
    expect(buildMessage(resolveCommand(twin([pumpStart]), 'pump3.start')!, {}, 'abc')).toEqual({
      topic: 'plant/pumps/pump3/cmd',
      payload: '{"action":"start","id":"abc"}',
    });
    const raw = resolveCommand(twin([{ id: 'on', label: 'On', topic: 'x/cmd', payload: 'ON' }]), 'on')!;
    expect(buildMessage(raw, {}, 'r').payload).toBe('ON');
  });
});

describe('following a request', () => {
  it('sends once per request id: a second submit (a double click) is ignored', () => {
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: clock().now });
    const req = { requestId: 'r1', commandId: 'pump1.start', params: {} };
    expect(tracker.submit(req)?.publish).toMatchObject({ topic: 'plant/pumps/pump1/cmd', qos: 1 });
    expect(tracker.submit(req)).toBeNull();
    tracker.published('r1', { ok: false, reason: 'x' });
    expect(tracker.submit(req)).toBeNull();
  });

  it('is confirmed by the reply whose field carries its request id, and ignores replies to others', () => {
    const c = clock();
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: c.now });
    const sent = tracker.submit({ requestId: 'r1', commandId: 'pump1.start', params: {} })!;
    expect(sent.status.state).toBe('pending');
    expect(tracker.published('r1', { ok: true })).toBeNull(); // still waiting for the device
    const ack = 'plant/pumps/pump1/cmd/ack';
    expect(tracker.isReplyTopic(ack)).toBe(true);
    expect(tracker.isReplyTopic('plant/pumps/pump1/telemetry')).toBe(false);
    expect(tracker.isReplyTopic('plant/pumps/pump1/cmd')).toBe(false); // one level short
    expect(tracker.isReplyTopic(`${ack}/more`)).toBe(false); // one level too many
    expect(tracker.isReplyTopic('plant/pumps/pump1/cmd/acks')).toBe(false); // a longer last level
    expect(tracker.handleMessage(ack, json({ id: 'other', ok: true }))).toBeNull();
    expect(tracker.handleMessage('plant/pumps/pump2/cmd/ack', json({ id: 'r1', ok: true }))).toBeNull();
    c.t += 200;
    expect(tracker.handleMessage(ack, json({ id: 'r1', ok: true }))).toMatchObject({
      requestId: 'r1',
      state: 'confirmed',
      at: 1200,
      payload: '{"action":"start","id":"r1"}',
    });
    expect(tracker.pendingCount).toBe(0);
  });

  it("is rejected with the device's reason", () => {
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: clock().now });
    tracker.submit({ requestId: 'r1', commandId: 'pump1.start', params: {} });
    expect(
      tracker.handleMessage('plant/pumps/pump1/cmd/ack', json({ id: 'r1', ok: false, reason: 'pump1 is tripped' })),
    ).toMatchObject({ state: 'rejected', reason: 'pump1 is tripped' });
  });

  it("is refused with the broker's reason code, and never waits for a reply then", () => {
    const c = clock();
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: c.now });
    tracker.submit({ requestId: 'r1', commandId: 'pump1.start', params: {} });
    expect(
      tracker.published('r1', { ok: false, reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 }),
    ).toMatchObject({ state: 'refused', reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 });
    c.t += 60_000;
    expect(tracker.tick()).toEqual([]);
  });

  it('times out when no reply comes within the timeout, and a late reply changes nothing', () => {
    const c = clock();
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: c.now });
    tracker.submit({ requestId: 'r1', commandId: 'pump1.start', params: {} });
    tracker.published('r1', { ok: true });
    c.t += 4999;
    expect(tracker.tick()).toEqual([]);
    c.t += 1;
    expect(tracker.tick()).toEqual([expect.objectContaining({ state: 'timed-out', reason: 'no reply within 5s' })]);
    expect(tracker.handleMessage('plant/pumps/pump1/cmd/ack', json({ id: 'r1', ok: true }))).toBeNull();
  });

  it('matches an MQTT 5 reply by its correlation data and sends the response topic', () => {
    const tracker = new CommandTracker(twin([setpoint]), { responseTopic: RESPONSES, now: clock().now });
    expect(tracker.replyFilters()).toEqual({ [RESPONSES]: { qos: 1 } });
    const sent = tracker.submit({ requestId: 'r9', commandId: 'valve1.setpoint', params: { setpoint: '30' } })!;
    expect(sent.publish).toMatchObject({
      responseTopic: RESPONSES,
      payload: '{"action":"setpoint","value":30,"note":"to 30 %"}',
    });
    expect(new TextDecoder().decode(sent.publish!.correlationData)).toBe('r9');
    expect(tracker.handleMessage(RESPONSES, json({ ok: true }), new TextEncoder().encode('nope'))).toBeNull();
    expect(tracker.handleMessage(RESPONSES, json({ ok: true }), new TextEncoder().encode('r9'))).toMatchObject({
      state: 'confirmed',
    });
  });

  it('is confirmed by the broker acknowledgement when no reply is declared', () => {
    const tracker = new CommandTracker(twin([{ id: 'p', label: 'P', topic: 'x/cmd', payload: 1 }]), {
      responseTopic: RESPONSES,
      now: clock().now,
    });
    tracker.submit({ requestId: 'r1', commandId: 'p', params: {} });
    expect(tracker.published('r1', { ok: true })).toMatchObject({ state: 'confirmed' });
  });

  it('does not send inputs outside their limits or an unknown command, and says why', () => {
    const tracker = new CommandTracker(twin([setpoint]), { responseTopic: RESPONSES, now: clock().now });
    const out = tracker.submit({ requestId: 'r1', commandId: 'valve1.setpoint', params: { setpoint: '95' } })!;
    expect(out.publish).toBeUndefined();
    expect(out.status).toMatchObject({ state: 'refused', reason: 'not sent: setpoint must be between 0 and 80 %' });
    const unknown = tracker.submit({ requestId: 'r2', commandId: 'nope', params: {} })!;
    expect(unknown.status.reason).toBe('not sent: the twin has no command "nope"');
  });

  it('treats a reply without the ok field as a rejection that says so, and keeps hostile text as text', () => {
    const tracker = new CommandTracker(twin([pumpStart]), { responseTopic: RESPONSES, now: clock().now });
    tracker.submit({ requestId: 'r1', commandId: 'pump1.start', params: {} });
    expect(tracker.handleMessage('plant/pumps/pump1/cmd/ack', json({ id: 'r1' }))).toMatchObject({
      state: 'rejected',
      reason: 'the reply has no "ok" field',
    });
    tracker.submit({ requestId: 'r2', commandId: 'pump1.start', params: {} });
    const hostile = '<img src=x onerror=alert(1)>'.repeat(20);
    const r = tracker.handleMessage('plant/pumps/pump1/cmd/ack', json({ id: 'r2', ok: false, reason: hostile }));
    expect(r?.reason).toBe(hostile.slice(0, 200));
  });
});
