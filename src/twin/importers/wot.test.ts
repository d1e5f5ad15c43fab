import { describe, expect, it } from 'vitest';
import gasSensor from './fixtures/gas-sensor.td.json';
import { twinFromThingDescription } from './wot';
import { validateTwin } from '../validate';
import { Engine } from '../../engine/engine';
import { buildMessage, checkParams, resolveCommand } from '../../engine/commands';
import type { TwinInput } from '../schema';

function imported(td: unknown, options = {}) {
  const result = twinFromThingDescription(td, options);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result)}`);
  return result;
}

function engineFor(twin: TwinInput): Engine {
  const result = validateTwin(twin);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return new Engine(result.twin);
}

describe('twinFromThingDescription: the WoT MQTT binding’s gas sensor', () => {
  it('makes a signal per observed property and event field, with states, units and ranges', () => {
    const { twin } = imported(gasSensor);
    expect(validateTwin(twin).ok).toBe(true);
    expect(twin.id).toBe('gas-sensor');
    expect(twin.title).toBe('Gas Sensor');
    expect(twin.signals).toEqual([
      {
        id: 'status',
        topic: 'application/deviceid/sensor/operation',
        label: 'Sensor Status',
        map: { unknown: 0, warmup: 1, normal: 2, fault: 3 },
      },
      {
        id: 'concentration',
        topic: 'application/deviceid/sensor/concentration',
        label: 'Gas Concentration',
        unit: 'ppm',
        range: [-1, 65535],
      },
      {
        id: 'valve',
        topic: 'application/deviceid/valve/0/state',
        label: 'Valve',
        map: { unknown: 0, closed: 1, opened: 2, failure: 3 },
      },
      {
        id: 'threshold',
        topic: 'application/deviceid/sensor/threshold',
        label: 'Alarm threshold',
        unit: 'ppm',
        range: [0, 5000],
      },
      {
        id: 'overheating.temperature',
        topic: 'application/deviceid/events/overheating',
        label: 'Overheating temperature',
        path: 'temperature',
        unit: '°C',
      },
    ]);
    expect(twin.connection).toMatchObject({
      url: 'ws://broker.example:1883',
      subscribe: expect.arrayContaining([{ topic: 'application/deviceid/events/overheating', qos: 0 }]),
    });
  });

  it('makes commands from the writable property and the actions, with parameters from their schemas', () => {
    const { twin } = imported(gasSensor);
    expect(twin.commands).toEqual([
      {
        id: 'threshold.set',
        label: 'Set Alarm threshold',
        topic: 'application/deviceid/sensor/threshold/set',
        qos: 1,
        payload: '{value}',
        params: [{ id: 'value', label: 'Alarm threshold', kind: 'number', min: 0, max: 5000, unit: 'ppm' }],
      },
      { id: 'mute', label: 'Mute', topic: 'application/deviceid/sensor/mute', payload: '' },
      {
        id: 'changeValveStatus',
        label: 'Change Valve Status',
        topic: 'application/deviceid/valve/0/command',
        payload: '"{value}"',
        params: [{ id: 'value', label: 'Value', kind: 'enum', values: ['open', 'close'] }],
      },
    ]);
  });

  it('publishes what the Thing Description asks for: JSON numbers, JSON strings, an empty message', () => {
    const result = validateTwin(imported(gasSensor).twin);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const send = (id: string, inputs: Record<string, string>) => {
      const command = resolveCommand(result.twin, id);
      const values = command && checkParams(command.def, inputs);
      if (!command || !values?.ok) throw new Error(`cannot send ${id}`);
      return buildMessage(command, values.values, 'r1');
    };
    expect(send('threshold.set', { value: '300' })).toEqual({
      topic: 'application/deviceid/sensor/threshold/set',
      payload: '300',
    });
    expect(send('changeValveStatus', { value: 'open' })).toEqual({
      topic: 'application/deviceid/valve/0/command',
      payload: '"open"',
    });
    expect(send('mute', {})).toEqual({ topic: 'application/deviceid/sensor/mute', payload: '' });
    const command = resolveCommand(result.twin, 'threshold.set');
    expect(command && checkParams(command.def, { value: '9000' }).ok).toBe(false); // above the TD's maximum
  });

  it('reads what the device publishes: states, numbers and event fields', () => {
    const { twin } = imported(gasSensor);
    const engine = engineFor(twin);
    engine.handleMessage('application/deviceid/sensor/operation', '"fault"');
    engine.handleMessage('application/deviceid/sensor/concentration', '412');
    engine.handleMessage('application/deviceid/events/overheating', '{"temperature": 81.5, "since": "10:00"}');
    expect(engine.value('status')).toBe(3);
    expect(engine.value('concentration')).toBe(412);
    expect(engine.value('overheating.temperature')).toBe(81.5);
    expect(engine.stats().rejected).toEqual({});
  });

  it('reports the HTTP form and the free text it leaves out, and the broker it guessed, each at its JSON path', () => {
    const { notes } = imported(gasSensor);
    expect(notes).toEqual([
      {
        path: '$.properties.threshold.forms[2]',
        message: 'not imported: a form for https (only MQTT forms become signals and commands)',
      },
      {
        path: '$.events.overheating.data.properties.since',
        message: 'not imported: free text (a signal holds numbers, true/false and named states from an enum)',
      },
      { path: '$', message: expect.stringContaining('the twin connects to ws://broker.example:1883') },
    ]);
    expect(imported(gasSensor, { broker: 'wss://plant.example/mqtt' }).notes).toHaveLength(2);
  });
});

describe('twinFromThingDescription: TD 1.1 style forms', () => {
  /** Shaped like the TD 1.1 specification's MQTT examples: the topic in the href, mqv:controlPacket. */
  const toaster = {
    '@context': ['https://www.w3.org/2022/wot/td/v1.1', { mqv: 'http://www.example.org/mqtt-binding#' }],
    title: 'Toaster',
    base: 'mqtts://iot.platform.example:8883',
    securityDefinitions: { basic_sc: { scheme: 'basic' }, oauth: { scheme: 'oauth2', flow: 'client' } },
    security: ['basic_sc', 'oauth'],
    properties: {
      telemetry: {
        type: 'object',
        readOnly: true,
        properties: {
          'heater temp': { type: 'number', unit: 'qudt:DEG_C', minimum: 0 },
          slots: { type: 'array', items: { type: 'integer' } },
          'cpu.load': { type: 'number' },
          mode: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        },
        forms: [
          { href: 'toaster/telemetry', op: ['readproperty', 'observeproperty'], 'mqv:controlPacket': 'mqv:subscribe' },
        ],
      },
      power: {
        type: 'boolean',
        forms: [
          { href: 'mqtts://iot.platform.example:8883/toaster/power', 'mqv:controlPacket': 'mqv:subscribe' },
          { href: 'mqtts://other.example:8883/toaster/power/set', op: 'writeproperty' },
        ],
      },
      firmware: { type: 'string', forms: [{ href: 'coap://toaster.local/firmware' }] },
    },
    actions: {
      toast: {
        title: 'Toast',
        input: {
          type: 'object',
          properties: {
            level: { type: 'integer', minimum: 1, maximum: 7, title: 'Browning level' },
            bagel: { type: 'boolean' },
          },
        },
        output: { type: 'string' },
        forms: [{ href: 'toaster/toast', op: 'invokeaction', 'mqv:qos': 2 }],
      },
      rename: { input: { type: 'string' }, forms: [{ href: 'toaster/name' }] },
      cycle: { forms: [{ href: 'toaster/+/cycle' }] },
    },
    events: {
      overheating: {
        data: { type: 'integer' },
        forms: [{ href: 'mqtts://iot.platform.example:8883/toaster/overheating', op: 'subscribeevent' }],
      },
      ding: { forms: [{ href: 'toaster/ding', op: 'subscribeevent' }] },
    },
    forms: [{ href: 'toaster/#', op: 'observeallproperties' }],
  };

  it('takes topics from the href path (with base), JSON paths from object fields, and QoS and inputs from actions', () => {
    const { twin } = imported(toaster, { id: 'kitchen' });
    expect(twin.id).toBe('kitchen');
    expect(twin.connection?.url).toBe('wss://iot.platform.example:8883');
    expect(twin.connection?.credentials).toBe('prompt');
    expect(twin.signals).toEqual([
      {
        id: 'telemetry.heater_temp',
        topic: 'toaster/telemetry',
        label: 'telemetry heater temp',
        path: 'heater temp',
        unit: '°C',
      },
      { id: 'power', topic: 'toaster/power', label: 'power' },
      { id: 'overheating', topic: 'toaster/overheating', label: 'overheating' },
    ]);
    expect(twin.commands).toEqual([
      {
        id: 'toast',
        label: 'Toast',
        topic: 'toaster/toast',
        qos: 1,
        payload: { level: '{level}', bagel: '{bagel}' },
        params: [
          { id: 'level', label: 'Browning level', kind: 'number', min: 1, max: 7, step: 1 },
          { id: 'bagel', label: 'bagel', kind: 'boolean' },
        ],
      },
    ]);
    const engine = engineFor(twin);
    engine.handleMessage('toaster/telemetry', '{"heater temp": 212.5, "slots": [1, 2]}');
    engine.handleMessage('toaster/power', 'true');
    expect(engine.value('telemetry.heater_temp')).toBe(212.5);
    expect(engine.value('power')).toBe(1);
  });

  it('reports everything it leaves out, line by line, never silently', () => {
    const { notes } = imported(toaster);
    expect(notes.map((n) => `${n.path}: ${n.message}`)).toEqual([
      '$.properties.telemetry.properties["heater temp"]: range not set: a range needs both "minimum" and "maximum", minimum below maximum',
      '$.properties.telemetry.properties.slots: not imported: an array value (a signal holds one value; add one per element with a path "[0]")',
      '$.properties.telemetry.properties["cpu.load"]: not imported: a field name with ".", "[" or "]" cannot be written as a value path',
      '$.properties.telemetry.properties.mode.oneOf: not imported: "oneOf" schemas (a value of several shapes) are not turned into signals',
      '$.properties.power.forms[1]: not imported: a form on another broker (mqtts://other.example:8883; the twin uses mqtts://iot.platform.example:8883)',
      '$.properties.firmware.forms[0]: not imported: a form for coap (only MQTT forms become signals and commands)',
      '$.events.ding: not imported: an event without "data" carries no value to show',
      '$.actions.toast.input: QoS 2 is published with QoS 1 (the dashboard publishes at 0 or 1)',
      '$.actions.toast.output: not used: the broker’s acknowledgement confirms the command (add a reply)',
      '$.actions.rename.input: not imported: a string input (parameters are numbers, booleans or choices); the command is left out',
      '$.actions.cycle.forms[0]: not imported (publish): a publish topic cannot hold wildcards ("toaster/+/cycle")',
      '$.forms[0]: not used: the Thing’s own forms (all properties at once); each affordance’s form is used',
      '$.securityDefinitions.basic_sc: basic: the twin asks for the broker user name and password at start (credentials "prompt")',
      '$.securityDefinitions.oauth: not imported: the "oauth2" scheme (the twin connects with a user name and password, or none; see docs/connecting.md)',
      "$: the twin connects to wss://iot.platform.example:8883: the forms' broker over WebSockets on the same port; give its WebSocket URL with --broker if that differs",
    ]);
  });

  it('refuses what is not a Thing Description, and one without MQTT forms', () => {
    expect(twinFromThingDescription([1, 2])).toMatchObject({
      ok: false,
      error: 'a Thing Description is a JSON object',
    });
    expect(twinFromThingDescription({ name: 'x' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a Thing Description'),
    });
    const http = twinFromThingDescription({
      title: 'Lamp',
      properties: { on: { type: 'boolean', forms: [{ href: 'http://lamp.local/on' }] } },
    });
    expect(http).toEqual({
      ok: false,
      error: 'no MQTT forms: nothing to subscribe to or publish (see the notes)',
      notes: [
        {
          path: '$.properties.on.forms[0]',
          message: 'not imported: a form for http (only MQTT forms become signals and commands)',
        },
      ],
    });
  });

  it('keeps hostile names as plain text in labels and ids of id characters only', () => {
    const { twin } = imported({
      title: '<img src=x onerror=alert(1)>',
      properties: {
        '<b>x</b>': {
          type: 'number',
          title: '<script>alert(1)</script>',
          forms: [{ href: 'mqtt://b/t/x', op: 'observeproperty' }],
        },
      },
    });
    expect(twin.signals?.[0]).toMatchObject({ id: 'b_x_b', label: '<script>alert(1)</script>' });
    expect(twin.id).toBe('img-src-x-onerror-alert-1');
  });
});
