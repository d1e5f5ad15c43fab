import { describe, expect, it } from 'vitest';
import thermostat from './fixtures/thermostat.dtdl.json';
import { topicPatternProblem, twinFromDtdl, type DtdlOptions } from './dtdl';
import { validateTwin } from '../validate';
import { Engine } from '../../engine/engine';
import type { TwinInput } from '../schema';

const BROKER = 'ws://127.0.0.1:9001';

function imported(doc: unknown, options: Omit<DtdlOptions, 'broker'>) {
  const result = twinFromDtdl(doc, { broker: BROKER, ...options });
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result)}`);
  return result;
}

function engineFor(twin: TwinInput): Engine {
  const result = validateTwin(twin);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return new Engine(result.twin);
}

describe('twinFromDtdl: the DTDL v3 thermostat', () => {
  it('makes signals of telemetry and properties with unit symbols, Object fields and Enum states', () => {
    const { twin } = imported(thermostat, { topic: 'plant/{interface}/{name}' });
    expect(twin.id).toBe('thermostat');
    expect(twin.signals).toEqual([
      { id: 'temperature', topic: 'plant/Thermostat/temperature', label: 'Temperature', unit: '°C' },
      { id: 'targetTemperature', topic: 'plant/Thermostat/targetTemperature', label: 'Target Temperature', unit: '°C' },
      {
        id: 'maxTempSinceLastReboot',
        topic: 'plant/Thermostat/maxTempSinceLastReboot',
        label: 'maxTempSinceLastReboot',
        unit: '°C',
      },
      {
        id: 'deviceStatus',
        topic: 'plant/Thermostat/deviceStatus',
        label: 'deviceStatus',
        map: { offline: 0, online: 1, heating: 2 },
      },
      { id: 'accelerometer.x', topic: 'plant/Thermostat/accelerometer', label: 'accelerometer x', path: 'x' },
      { id: 'accelerometer.y', topic: 'plant/Thermostat/accelerometer', label: 'accelerometer y', path: 'y' },
      { id: 'accelerometer.z', topic: 'plant/Thermostat/accelerometer', label: 'accelerometer z', path: 'z' },
    ]);
    expect(twin.panels).toEqual([{ kind: 'values', title: 'Thermostat', signals: twin.signals?.map((s) => s.id) }]);
  });

  it('makes a setpoint command of the writable property and a command with its request as the parameter', () => {
    const { twin } = imported(thermostat, {
      topic: 'plant/{interface}/{name}',
      commandTopic: 'plant/{interface}/{name}/cmd',
    });
    expect(twin.commands).toEqual([
      {
        id: 'targetTemperature.set',
        label: 'Set Target Temperature',
        topic: 'plant/Thermostat/targetTemperature/cmd',
        payload: '{value}',
        params: [{ id: 'value', label: 'Target Temperature', kind: 'number', unit: '°C' }],
      },
      {
        id: 'reboot',
        label: 'reboot',
        topic: 'plant/Thermostat/reboot/cmd',
        payload: '{delay}',
        params: [{ id: 'delay', label: 'delay', kind: 'number', step: 1, unit: 's' }],
      },
    ]);
  });

  it('reports the Map, the text request, the response, the Component and the Relationship it leaves out', () => {
    const { notes } = imported(thermostat, { topic: 'plant/{name}' });
    expect(notes.map((n) => `${n.path}: ${n.message}`)).toEqual([
      '$.contents[5].schema: not imported: a Map schema (a signal holds one value; Maps and Arrays have no fixed fields)',
      '$.contents[6].response: not used: the broker’s acknowledgement confirms the command (add a reply)',
      '$.contents[6].request.schema: not imported: a "dateTime" value to send (parameters are numbers, booleans or string Enums); the command is left out',
      '$.contents[8]: not imported: a Component (dtmi:azure:DeviceManagement:DeviceInformation;1); import its interface on its own with its topic pattern',
      '$.contents[9]: not imported: a Relationship (links between twins are not part of a twin.json)',
    ]);
  });

  it('reads values from one message per value, or from one message with every value (--path {name})', () => {
    const perTopic = engineFor(imported(thermostat, { topic: 'plant/{name}' }).twin);
    perTopic.handleMessage('plant/temperature', '21.5');
    perTopic.handleMessage('plant/deviceStatus', '"heating"');
    perTopic.handleMessage('plant/accelerometer', '{"x": 0.1, "y": -0.2, "z": 9.8}');
    expect(perTopic.value('temperature')).toBe(21.5);
    expect(perTopic.value('deviceStatus')).toBe(2);
    expect(perTopic.value('accelerometer.z')).toBe(9.8);

    const { twin } = imported(thermostat, { topic: 'devices/thermo1/messages', path: '{name}' });
    expect(twin.signals?.find((s) => s.id === 'accelerometer.x')).toMatchObject({ path: 'accelerometer.x' });
    expect(twin.commands?.[0].topic).toBe('devices/thermo1/messages/targetTemperature');
    const oneMessage = engineFor(twin);
    oneMessage.handleMessage('devices/thermo1/messages', '{"temperature": 19, "accelerometer": {"x": 3}}');
    expect(oneMessage.value('temperature')).toBe(19);
    expect(oneMessage.value('accelerometer.x')).toBe(3);
  });

  it('covers many devices with a +capture: templated ids, and commands that fill the device in', () => {
    const { twin, notes } = imported(thermostat, { topic: 'site/+room/{name}', commandTopic: 'site/+room/{name}/set' });
    expect(twin.signals?.[0]).toMatchObject({ id: '{room}.temperature', topic: 'site/+room/temperature' });
    expect(twin.commands?.[1]).toMatchObject({ id: '{room}.reboot', topic: 'site/{room}/reboot/set' });
    expect(twin.panels).toEqual([]);
    expect(notes.at(-1)?.message).toContain('no values panel for the templated signals');
    const engine = engineFor(twin);
    engine.handleMessage('site/kitchen/temperature', '22');
    engine.handleMessage('site/attic/temperature', '14');
    expect(engine.value('kitchen.temperature')).toBe(22);
    expect(engine.value('attic.temperature')).toBe(14);
  });
});

describe('twinFromDtdl: other interfaces', () => {
  it('resolves schemas the interface defines, reads integer Enums as numbers, and an Object request as a payload object', () => {
    const pump = {
      '@context': 'dtmi:dtdl:context;3',
      '@id': 'dtmi:com:example:plant:Pump;2',
      '@type': 'Interface',
      displayName: { en: 'Pump', de: 'Pumpe' },
      extends: 'dtmi:com:example:plant:Device;1',
      schemas: [
        {
          '@id': 'dtmi:com:example:plant:Pump:mode;1',
          '@type': 'Enum',
          valueSchema: 'integer',
          enumValues: [
            { name: 'stopped', enumValue: 0 },
            { name: 'running', enumValue: 1 },
          ],
        },
      ],
      contents: [
        { '@type': 'Telemetry', name: 'mode', schema: 'dtmi:com:example:plant:Pump:mode;1' },
        { '@type': ['Telemetry', 'Pressure'], name: 'discharge', schema: 'float' },
        { '@type': 'Telemetry', name: 'running', schema: 'boolean' },
        { '@type': 'Telemetry', name: 'serial', schema: 'string' },
        {
          '@type': 'Command',
          name: 'start',
          request: {
            name: 'settings',
            schema: {
              '@type': 'Object',
              fields: [
                { name: 'speed', schema: 'double', unit: 'revolutionPerMinute' },
                {
                  name: 'direction',
                  schema: {
                    '@type': 'Enum',
                    valueSchema: 'string',
                    enumValues: [
                      { name: 'fwd', enumValue: 'forward' },
                      { name: 'rev', enumValue: 'reverse' },
                    ],
                  },
                },
              ],
            },
          },
        },
        { '@type': 'Command', name: 'stop' },
        { '@type': 'Telemetry', name: 'history', schema: { '@type': 'Array', elementSchema: 'double' } },
      ],
    };
    const { twin, notes } = imported(pump, {
      topic: 'plant/pumps/{name}',
      commandTopic: 'plant/pumps/cmd/{name}',
      title: 'Pumps',
    });
    expect(twin.title).toBe('Pumps');
    expect(twin.signals?.map((s) => s.id)).toEqual(['mode', 'discharge', 'running']);
    expect(twin.commands).toEqual([
      {
        id: 'start',
        label: 'start',
        topic: 'plant/pumps/cmd/start',
        payload: { speed: '{speed}', direction: '{direction}' },
        params: [
          { id: 'speed', label: 'speed', kind: 'number', unit: 'rpm' },
          { id: 'direction', label: 'direction', kind: 'enum', values: ['forward', 'reverse'] },
        ],
      },
      { id: 'stop', label: 'stop', topic: 'plant/pumps/cmd/stop', payload: '' },
    ]);
    expect(notes.map((n) => n.path)).toEqual([
      '$.extends',
      '$.contents[0].schema',
      '$.contents[1]',
      '$.contents[3].schema',
      '$.contents[6].schema',
    ]);
    expect(notes[1].message).toBe('an integer Enum: shown as its numbers (0 = stopped, 1 = running)');
    expect(notes[2].message).toBe('semantic type Pressure without "unit": no unit set');
  });

  it('refuses what is not an Interface', () => {
    expect(twinFromDtdl({ '@type': 'Telemetry' }, { topic: 'a/{name}', broker: BROKER })).toMatchObject({
      ok: false,
      error: 'not a DTDL Interface: no "@type": "Interface"',
    });
    expect(
      twinFromDtdl(
        { '@type': 'Interface', contents: [{ '@type': 'Relationship', name: 'r' }] },
        { topic: 'a/{name}', broker: BROKER },
      ),
    ).toMatchObject({ ok: false, error: expect.stringContaining('nothing to import') });
  });
});

describe('topicPatternProblem', () => {
  it('accepts the placeholders and captures, and says what is wrong with the rest', () => {
    expect(topicPatternProblem('plant/+site/{interface}/{name}', false)).toBeNull();
    expect(topicPatternProblem('plant/{site}/{name}', false)).toBe(
      'unknown placeholder "{site}" (use {name}, {interface}, {kind})',
    );
    expect(topicPatternProblem('plant/all', false)).toContain('needs {name}');
    expect(topicPatternProblem('plant/all', false, true)).toBeNull();
    expect(topicPatternProblem('plant/#/{name}', false)).toBe('"#" must be the last level');
    expect(topicPatternProblem('plant/+/{name}', true)).toContain('cannot hold "+" or "#"');
    expect(topicPatternProblem('plant/+site/{name}', true)).toBeNull();
  });
});
