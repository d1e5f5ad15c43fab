import { describe, expect, it } from 'vitest';
import demoText from '../../models/pump-station/twin.json?raw';
import formatDoc from '../../docs/twin-format.md?raw';
import { jsonPath, validateTwin, validateTwinText, type TwinProblem } from './validate';

/** A fresh, mutable copy of the demo twin (models/pump-station/twin.json). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const demo = (): Doc => JSON.parse(demoText);

/** The problems of the demo twin after `change`; fails the test if the result is valid. */
function problemsAfter(change: (doc: Doc) => void): TwinProblem[] {
  const doc = demo();
  change(doc);
  const result = validateTwin(doc);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.problems;
}

/** Exactly one problem, at `path`, whose message contains `message`. */
function expectOnly(problems: TwinProblem[], path: string, message: string): void {
  expect(problems).toEqual([{ path, message: expect.stringContaining(message) }]);
}

/** A minimal valid twin, for tests about defaults and the smallest documents. */
const minimal = () => ({
  id: 'mini',
  title: 'Mini',
  connection: { url: 'ws://127.0.0.1:9001', subscribe: ['site/#'] },
  assets: [{ id: 'a', model: 'a.glb' }],
  signals: [{ id: '{dev}.temp', topic: 'site/+dev/temp', decoder: 'number' as const }],
});

describe('validateTwinText: the demo twin', () => {
  it('accepts models/pump-station/twin.json', () => {
    const result = validateTwinText(demoText);
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.twin.id).toBe('pump-station');
  });

  it('fills in defaults the document leaves out', () => {
    const result = validateTwinText(demoText);
    if (!result.ok) throw new Error('demo twin rejected');
    const { twin } = result;
    expect(twin.connection.keepalive).toBe(30);
    expect(twin.assets[0].rotation).toEqual([0, 0, 0]);
    expect(twin.assets[0].scale).toBe(1);
    expect(twin.signals[0].decoder).toBe('json');
  });

  it('gives a minimal document every default: MQTT 5, no credentials, empty lists', () => {
    const result = validateTwin(minimal());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.twin.connection).toMatchObject({ mqtt: 5, credentials: 'none', keepalive: 30 });
    expect(result.twin).toMatchObject({ bindings: [], rules: [], views: [], panels: [], commands: [] });
  });

  it('accepts the complete example in docs/twin-format.md', () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(formatDoc)?.[1];
    expect(example).toBeDefined();
    const result = validateTwinText(example ?? '');
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('accepts a byte-order mark before the JSON', () => {
    expect(validateTwinText(`\uFEFF${demoText}`).ok).toBe(true);
  });
});

describe('validateTwinText: bad JSON', () => {
  it('reports a syntax error at "$" with its line and column', () => {
    const text = '{\n  "id": "x",\n  "title": "X"\n  "connection": {}\n}';
    const result = validateTwinText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].path).toBe('$');
    expect(result.problems[0].message).toBe(
      'not valid JSON at line 4, column 3: expected "," or "}" after a property value, found "\\""',
    );
  });

  it.each([
    ['{"a": 1,}', 'line 1, column 8: trailing comma'],
    ['{"a": }', 'line 1, column 7: expected a value, found "}"'],
    ['{"a": tru}', 'line 1, column 7: expected a value, found "tru"'],
    ['', 'line 1, column 1: expected a value, found the end of the text'],
    ['{\n  "a": "b', 'line 2, column 8: unterminated string'],
    ["{'a': 1}", 'line 1, column 2: strings must use double quotes'],
    ['// comment\n{}', 'line 1, column 1: comments are not allowed in JSON'],
    ['{"a": 01}', 'line 1, column 7: invalid number "01"'],
    ['{} {}', 'line 1, column 4: expected the end of the text after the JSON value'],
  ])('points at the error in %j', (text, message) => {
    const result = validateTwinText(text);
    expect(result.ok ? [] : result.problems).toEqual([{ path: '$', message: expect.stringContaining(message) }]);
  });

  it(
    'gives a line and column for every broken variant of the demo twin that JSON.parse rejects',
    { timeout: 60_000 },
    () => {
      // Deterministic damage: delete, duplicate or replace one character at many places.
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      let rejected = 0;
      for (let n = 0; n < 400; n++) {
        const at = Math.floor(next() * demoText.length);
        const op = n % 3;
        const damaged =
          op === 0
            ? demoText.slice(0, at) + demoText.slice(at + 1)
            : op === 1
              ? demoText.slice(0, at) + demoText[at] + demoText.slice(at)
              : demoText.slice(0, at) + '{]:,"x'[Math.floor(next() * 6)] + demoText.slice(at + 1);
        let parses = true;
        try {
          JSON.parse(damaged);
        } catch {
          parses = false;
        }
        const result = validateTwinText(damaged);
        if (parses) {
          expect(result.ok || result.problems.every((p) => !p.message.startsWith('not valid JSON'))).toBe(true);
        } else {
          rejected++;
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.problems).toHaveLength(1);
            expect(result.problems[0].path).toBe('$');
            expect(result.problems[0].message).toMatch(/^not valid JSON at line \d+, column \d+: /);
          }
        }
      }
      expect(rejected).toBeGreaterThan(100);
    },
  );
});

describe('validateTwin: the schema', () => {
  it('rejects a document that is not an object', () => {
    expect(validateTwin([])).toEqual({
      ok: false,
      problems: [{ path: '$', message: expect.stringContaining('expected object') }],
    });
  });

  it('rejects a missing title', () => {
    expectOnly(
      problemsAfter((d) => delete d.title),
      '$.title',
      'required field is missing',
    );
  });

  it('rejects a missing connection', () => {
    expectOnly(
      problemsAfter((d) => delete d.connection),
      '$.connection',
      'required field is missing',
    );
  });

  it('rejects a broker URL that is not ws:// or wss://', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.url = 'http://127.0.0.1:9001')),
      '$.connection.url',
      'expected a ws:// or wss:// URL',
    );
  });

  it('rejects credentials written in the broker URL', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.url = 'wss://operator:secret@broker.example:8884/mqtt')),
      '$.connection.url',
      'credentials must not be written in the URL',
    );
  });

  it('rejects an MQTT version other than 5 or "3.1.1"', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.mqtt = 4)),
      '$.connection.mqtt',
      'expected 5 or "3.1.1"',
    );
  });

  it('points inside a subscription object at a bad QoS', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.subscribe = [{ topic: 'plant/north/#', qos: 2 }])),
      '$.connection.subscribe[0].qos',
      'expected QoS 0 or 1',
    );
  });

  it('names the accepted types when a union gets the wrong one', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.subscribe = [42])),
      '$.connection.subscribe[0]',
      'expected string or object, received number',
    );
  });

  it('rejects an unknown field, naming it in the path', () => {
    expectOnly(
      problemsAfter((d) => (d.assets[0].colour = 'red')),
      '$.assets[0].colour',
      'unknown field "colour"',
    );
  });

  it('quotes odd field names in the path', () => {
    expectOnly(
      problemsAfter((d) => (d.views[0]['camera angle'] = 30)),
      '$.views[0]["camera angle"]',
      'unknown field',
    );
  });

  it('rejects an unknown effect kind and lists the known ones', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[0].effect = { kind: 'blink' })),
      '$.bindings[0].effect.kind',
      'unknown kind "blink": expected one of colorThresholds, colorRamp, spin, scale, visible',
    );
  });

  it('rejects an effect without a kind', () => {
    expectOnly(
      problemsAfter((d) => delete d.bindings[1].effect.kind),
      '$.bindings[1].effect.kind',
      'missing "kind"',
    );
  });

  it('rejects an unknown panel kind', () => {
    expectOnly(
      problemsAfter((d) => (d.panels[0].kind = 'gauge')),
      '$.panels[0].kind',
      'unknown kind "gauge": expected one of trend, values',
    );
  });

  it('rejects a colour that is neither a state name nor #rrggbb', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[0].effect.stops[0][1] = 'red')),
      '$.bindings[0].effect.stops[0][1]',
      'expected a state name or a colour like "#ff8800"',
    );
  });

  it('rejects a bad duration', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].for = '5 sec')),
      '$.rules[0].for',
      'expected a duration such as "500ms", "5s"',
    );
  });

  it('rejects a negative number of seconds as a duration, once', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[0].period = -2)),
      '$.signals[0].period',
      'expected a duration',
    );
  });

  it('rejects a model path that leaves the twin folder', () => {
    expectOnly(
      problemsAfter((d) => (d.assets[0].model = '../x.glb')),
      '$.assets[0].model',
      'model paths may not leave the twin folder',
    );
  });

  it('rejects a model that is not .glb or .gltf, or an absolute path', () => {
    expectOnly(
      problemsAfter((d) => (d.assets[0].model = 'station.obj')),
      '$.assets[0].model',
      'expected a relative path to a .glb or .gltf file',
    );
    expectOnly(
      problemsAfter((d) => (d.assets[0].model = '/srv/station.glb')),
      '$.assets[0].model',
      'expected a relative path',
    );
  });

  it('rejects an id with characters outside letters, digits, "_", "-", "."', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].id = 'pump 1 hot')),
      '$.rules[0].id',
      'use letters, digits',
    );
  });

  it('rejects a binding node without "<asset id>/"', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[0].node = 'Pump1_Motor')),
      '$.bindings[0].node',
      'expected "<asset id>/<node name>"',
    );
  });

  it('rejects a position that is not [x, y, z]', () => {
    expectOnly(
      problemsAfter((d) => (d.assets[1].position = [1, 2])),
      '$.assets[1].position',
      'expected array to have >=3 items',
    );
  });

  it('rejects a command without a payload', () => {
    expectOnly(
      problemsAfter((d) => delete d.commands[0].payload),
      '$.commands[0].payload',
      'required field is missing',
    );
  });

  it('accepts a suggestion that names an instance of a templated command ("pump2.start" of "{pump}.start")', () => {
    const doc = demo();
    doc.rules[0].guidance = { command: 'pump3.stop' };
    expect(validateTwin(doc).ok).toBe(true);
  });

  it('rejects a command topic or label placeholder that the command id does not capture', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[0].topic = 'plant/north/pumps/{pmp}/cmd')),
      '$.commands[0].topic',
      '{pmp} is not a capture of the command id "{pump}.start"',
    );
  });

  it('rejects a payload placeholder that is neither a capture, a parameter nor {requestId}', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[2].payload.note = 'to {openning} %')),
      '$.commands[2].payload.note',
      '{openning} is not a capture, parameter or {requestId}',
    );
  });

  it('rejects parameter limits that cannot hold and a default outside them', () => {
    const problems = problemsAfter((d) => {
      d.commands[2].params[0].min = 90;
      d.commands[2].params[0].default = 95;
    });
    expect(problems).toEqual([
      { path: '$.commands[2].params[0].max', message: 'max 80 is below min 90' },
      { path: '$.commands[2].params[0].default', message: 'the default is outside min..max' },
    ]);
  });

  it('rejects a parameter that the payload never sends', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[2].payload = { action: 'setpoint', id: '{requestId}' })),
      '$.commands[2].params',
      'parameter "opening" is not used in the payload',
    );
  });

  it('rejects a reply via a topic without the topic, and a match when the payload sends no {requestId}', () => {
    expectOnly(
      problemsAfter((d) => delete d.commands[0].reply.topic),
      '$.commands[0].reply',
      'a reply "via": "topic" needs the reply "topic"',
    );
    expectOnly(
      problemsAfter((d) => (d.commands[0].payload = { action: 'start' })),
      '$.commands[0].reply.match',
      'the payload must send "{requestId}"',
    );
  });

  it('rejects an MQTT 5 response-topic reply on a twin that speaks MQTT 3.1.1', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[2].reply = { via: 'response-topic', ok: 'ok' })),
      '$.commands[2].reply.via',
      'a Response Topic needs MQTT 5',
    );
  });

  it('rejects a command placed on an unknown asset and an unknown screen mode', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[2].node = 'nowhere/Valve1')),
      '$.commands[2].node',
      'unknown asset "nowhere"',
    );
    expect(problemsAfter((d) => (d.commands[2].modes = ['wall'])).map((p) => p.path)).toEqual([
      '$.commands[2].modes[0]',
    ]);
  });

  it('gives a command the defaults: QoS 1, confirm, 10 s timeout, operator screen only, no parameters', () => {
    const result = validateTwin({ ...minimal(), commands: [{ id: 'x', label: 'X', topic: 'a/b', payload: 1 }] });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.twin.commands[0]).toEqual({
      id: 'x',
      label: 'X',
      topic: 'a/b',
      payload: 1,
      qos: 1,
      confirm: true,
      timeout: '10s',
      modes: [],
      params: [],
    });
  });

  it('rejects a command topic with wildcards', () => {
    expectOnly(
      problemsAfter((d) => (d.commands[0].topic = 'plant/north/+/cmd')),
      '$.commands[0].topic',
      'a command topic cannot contain wildcards',
    );
  });

  it('reports every schema problem at once, not only the first', () => {
    const problems = problemsAfter((d) => {
      delete d.title;
      d.connection.url = 'http://x';
      d.rules[2].priority = 'critical';
    });
    expect(problems.map((p) => p.path)).toEqual(['$.title', '$.connection.url', '$.rules[2].priority']);
  });
});

describe('validateTwin: references between parts', () => {
  it('rejects a binding to an unknown signal', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[0].signal = 'pump1.temperature')),
      '$.bindings[0].signal',
      'unknown signal "pump1.temperature"',
    );
  });

  it('matches concrete ids against template signals: pump1.temp matches {pump}.temp, pump1.tmp does not', () => {
    const accepted = demo();
    accepted.bindings[0].signal = 'pump7.temp';
    expect(validateTwin(accepted).ok).toBe(true);
    expectOnly(
      problemsAfter((d) => (d.bindings[0].signal = 'pump1.tmp')),
      '$.bindings[0].signal',
      'unknown signal "pump1.tmp"',
    );
  });

  it('rejects a binding to an unknown asset and lists the assets', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[0].node = 'plant/Pump1_Motor')),
      '$.bindings[0].node',
      'unknown asset "plant" (assets: station, fan)',
    );
  });

  it('rejects a rule over an unknown signal', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].when = 'pump1.pressure > 6')),
      '$.rules[0].when',
      'unknown signal "pump1.pressure"',
    );
  });

  it('checks every signal of an expression, and suppressWhen like when', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].when = 'pump1.temp > 95 && avg(tank9.level, 1m) > 90')),
      '$.rules[0].when',
      'unknown signal "tank9.level"',
    );
    expectOnly(
      problemsAfter((d) => (d.rules[0].suppressWhen = 'pump1.running = 0')),
      '$.rules[0].suppressWhen',
      'use "==" to compare at character 15',
    );
  });

  it('asks anomaly and forecast rules for a known signal, a forecast for a limit, and a condition for "when"', () => {
    expectOnly(
      problemsAfter((d) => {
        d.rules[0].kind = 'anomaly';
        d.rules[0].signal = 'pump1.pressure';
      }),
      '$.rules[0].signal',
      'unknown signal "pump1.pressure"',
    );
    expectOnly(
      problemsAfter((d) => {
        d.rules[0].kind = 'forecast';
        d.rules[0].signal = 'pump1.temp';
      }),
      '$.rules[0]',
      'a forecast rule needs "limit"',
    );
    expectOnly(
      problemsAfter((d) => delete d.rules[0].when),
      '$.rules[0]',
      'a condition rule needs "when"',
    );
  });

  it('rejects guidance that names an unknown command', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].guidance = { action: 'stop it', command: 'pump1.explode' })),
      '$.rules[0].guidance.command',
      'unknown command "pump1.explode"',
    );
  });

  it('rejects a rule condition with a syntax error, giving the character', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].when = 'pump1.temp >> 95')),
      '$.rules[0].when',
      'expected a value, found ">" at character 13',
    );
    expectOnly(
      problemsAfter((d) => (d.rules[0].when = 'pump1.temp = 95')),
      '$.rules[0].when',
      'use "==" to compare at character 12',
    );
  });

  it('accepts node names as exporters write them (spaces, ".", ":", "[", "]"), which the scene finds', () => {
    const doc = demo();
    doc.bindings[0].node = 'station/Pump 1/Motor.001';
    doc.rules[0].asset = 'station/Pump:1[a]';
    expect(validateTwin(doc).ok).toBe(true);
  });

  it('accepts ancestors in a node path and rejects empty node names', () => {
    const doc = demo();
    doc.bindings[0].node = 'station/Pump1/Pump1_Motor';
    expect(validateTwin(doc).ok).toBe(true);
    expectOnly(
      problemsAfter((d) => (d.bindings[0].node = 'station//Pump1_Motor')),
      '$.bindings[0].node',
      'empty node name',
    );
  });

  it('rejects a rule whose asset is unknown', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[0].asset = 'plant/Pump1')),
      '$.rules[0].asset',
      'unknown asset "plant"',
    );
  });

  it('rejects a panel showing an unknown signal', () => {
    expectOnly(
      problemsAfter((d) => d.panels[2].signals.push('pump1.vibration')),
      '$.panels[2].signals[8]',
      'unknown signal "pump1.vibration"',
    );
  });

  it('rejects duplicate signal ids, pointing at the second', () => {
    expectOnly(
      problemsAfter((d) => d.signals.push({ ...d.signals[4] })),
      '$.signals[7].id',
      'duplicate id "tank1.level" (first at $.signals[4])',
    );
  });

  it('rejects duplicate rule ids', () => {
    expectOnly(
      problemsAfter((d) => (d.rules[1].id = 'pump1.hot')),
      '$.rules[1].id',
      'duplicate id "pump1.hot" (first at $.rules[0])',
    );
  });

  it('rejects duplicate asset, view and command ids', () => {
    expect(problemsAfter((d) => (d.assets[1].id = 'station')).map((p) => p.path)).toContain('$.assets[1].id');
    expectOnly(
      problemsAfter((d) => (d.views[2].id = 'overview')),
      '$.views[2].id',
      'duplicate id',
    );
    expectOnly(
      problemsAfter((d) => (d.commands[2].id = '{pump}.start')),
      '$.commands[2].id',
      'duplicate id',
    );
  });

  it('rejects a signal id placeholder that the topic does not capture', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[0].id = '{pmp}.temp')),
      '$.signals[0].id',
      '"{pmp}" is not captured by the topic (write "+pmp" in the topic)',
    );
  });

  it('rejects a label placeholder that the topic does not capture', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[0].label = '{unit} bearing temperature')),
      '$.signals[0].label',
      '"{unit}" is not captured by the topic',
    );
  });

  it('rejects a signal topic that no subscription covers', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[4].topic = 'plant/south/tank1/telemetry')),
      '$.signals[4].topic',
      'no subscription in $.connection.subscribe covers "plant/south/tank1/telemetry"',
    );
  });

  it('rejects a malformed signal topic', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[4].topic = 'plant/north/#/telemetry')),
      '$.signals[4].topic',
      '"#" must be the last level',
    );
    expectOnly(
      problemsAfter((d) => (d.signals[0].topic = 'plant/+pump/+pump/telemetry')),
      '$.signals[0].topic',
      '"+pump" is captured twice',
    );
  });

  it('rejects a named capture in a subscription filter', () => {
    expectOnly(
      problemsAfter((d) => (d.connection.subscribe = ['plant/north/#', 'plant/+site/#'])),
      '$.connection.subscribe[1]',
      'subscription filters use plain "+"',
    );
  });

  it('rejects a payload path with a decoder other than json', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[4].decoder = 'number')),
      '$.signals[4].path',
      'a path needs the json decoder, not "number"',
    );
  });

  it('rejects a malformed payload path, giving the character', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[0].path = 'bearing..temp')),
      '$.signals[0].path',
      'at character 9',
    );
  });

  it('rejects a signal range whose low is not below its high', () => {
    expectOnly(
      problemsAfter((d) => (d.signals[0].range = [120, 0])),
      '$.signals[0].range',
      'range must be [low, high] with low < high',
    );
  });

  it('rejects threshold stops out of order, pointing at the stop', () => {
    expectOnly(
      problemsAfter(
        (d) =>
          (d.bindings[0].effect.stops = [
            [95, 'alarm'],
            [80, 'warning'],
          ]),
      ),
      '$.bindings[0].effect.stops[1]',
      'stops must be in increasing order of value',
    );
  });

  it('rejects ramp stops with a repeated value', () => {
    expectOnly(
      problemsAfter(
        (d) =>
          (d.bindings[0].effect = {
            kind: 'colorRamp',
            stops: [
              [0, 'info'],
              [0, 'alarm'],
            ],
          }),
      ),
      '$.bindings[0].effect.stops[1]',
      'increasing order',
    );
  });

  it('rejects a scale effect whose range has two equal values', () => {
    expectOnly(
      problemsAfter((d) => (d.bindings[6].effect.range = [50, 50])),
      '$.bindings[6].effect.range',
      'range needs two different values',
    );
  });

  it('reports every reference problem at once and hands back no twin', () => {
    const doc = demo();
    doc.bindings[0].signal = 'nope';
    doc.rules[0].when = 'nope > 1';
    const result = validateTwin(doc);
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: '$.bindings[0].signal', message: 'unknown signal "nope"' },
        { path: '$.rules[0].when', message: 'unknown signal "nope"' },
      ],
    });
    expect('twin' in result).toBe(false);
  });
});

describe('jsonPath', () => {
  it('writes identifiers with dots, indices in brackets and other keys quoted', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['bindings', 2, 'effect', 'stops', 0, 1])).toBe('$.bindings[2].effect.stops[0][1]');
    expect(jsonPath(['$schema', 'a b', 'x-y'])).toBe('$.$schema["a b"]["x-y"]');
  });
});
