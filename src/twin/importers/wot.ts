/**
 * A W3C WoT Thing Description (TD 1.1) with MQTT forms (the WoT MQTT binding's `mqv:` terms) as a
 * starting twin: properties and events become signals (the topic from `mqv:filter`, `mqv:topic` or
 * the href's path; a JSON path per field of an object schema; unit, range and states from the data
 * schema), writable properties and actions become commands (the topic, parameters with limits from
 * the input schema). Whatever does not fit (HTTP or CoAP forms, arrays, alternatives, URI variables,
 * security schemes) is a note at its JSON path, never dropped silently.
 */
import {
  Ids,
  finishTwin,
  idPart,
  isObject,
  jsonPayloadOf,
  pathOf,
  twinIdFrom,
  unitSymbol,
  webSocketUrl,
  type Command,
  type ImportNote,
  type ImportResult,
  type Param,
  type Signal,
} from './common';

export interface WotOptions {
  /** The twin's id; default from the TD's title. */
  id?: string;
  /** The twin's title; default the TD's title. */
  title?: string;
  /** The broker's WebSocket URL for the twin; default the forms' broker with ws:// (mqtts: wss://). */
  broker?: string;
}

type Schema = Record<string, unknown>;
type Where = PropertyKey[];

const READ_OPS = new Set(['readproperty', 'observeproperty', 'subscribeevent']);
const WRITE_OPS = new Set(['writeproperty', 'invokeaction']);
/** The op a form has when it names none (TD 1.1, 5.3.4.2 default values). */
const DEFAULT_OPS: Record<string, string[]> = {
  properties: ['readproperty', 'writeproperty'],
  events: ['subscribeevent', 'unsubscribeevent'],
  actions: ['invokeaction'],
};
/** Deepest object nesting turned into JSON paths; deeper fields are noted. */
const MAX_DEPTH = 3;
/** A field name a value path can hold: no ".", "[" or "]". */
const PATH_NAME = /^[^.[\]]+$/;

interface MqttForm {
  broker: string;
  /** Where the value is read (subscribed), when the form reads. */
  readTopic?: string;
  /** Where a write or an invocation is published, when the form writes. */
  writeTopic?: string;
  qos: 0 | 1 | 2 | undefined;
  contentType: string;
}

/** A form read for one direction: its topic is that direction's. */
type Reading = MqttForm & { readTopic: string };
type Writing = MqttForm & { writeTopic: string };

export function twinFromThingDescription(td: unknown, options: WotOptions = {}): ImportResult {
  const notes: ImportNote[] = [];
  const note = (where: Where, message: string) => notes.push({ path: pathOf(...where), message });
  if (!isObject(td)) return { ok: false, error: 'a Thing Description is a JSON object', notes };
  const affordances = ['properties', 'actions', 'events'].filter((k) => isObject(td[k]));
  if (typeof td.title !== 'string' && affordances.length === 0) {
    return { ok: false, error: 'not a Thing Description: no "title", "properties", "actions" or "events"', notes };
  }
  const thingTitle = typeof td.title === 'string' && td.title.trim() ? td.title.trim() : 'Thing';
  const base = typeof td.base === 'string' ? td.base : undefined;

  let broker: string | undefined;
  /** The affordance's MQTT forms (on the twin's broker); every other form is noted. */
  const mqttForms = (kind: string, name: string, forms: unknown): { form: MqttForm; index: number }[] => {
    const out: { form: MqttForm; index: number }[] = [];
    (Array.isArray(forms) ? forms : []).forEach((raw, index) => {
      const where = [kind, name, 'forms', index];
      const form = readForm(raw, kind, base, (m) => note(where, m));
      if (!form) return;
      broker ??= form.broker;
      if (form.broker !== broker) {
        note(where, `not imported: a form on another broker (${form.broker}; the twin uses ${broker})`);
        return;
      }
      out.push({ form, index });
    });
    if (!Array.isArray(forms) || forms.length === 0) note([kind, name], 'not imported: no forms');
    return out;
  };

  const ids = new Ids();
  const signals: Signal[] = [];
  const commands: Command[] = [];

  const readAffordance = (kind: 'properties' | 'events', name: string, affordance: Schema) => {
    const forms = mqttForms(kind, name, affordance.forms);
    const reading = forms.find((f) => f.form.readTopic !== undefined);
    for (const f of forms) {
      if (f !== reading && f.form.readTopic !== undefined)
        note([kind, name, 'forms', f.index], 'not used for reading: an earlier form gives the topic');
    }
    const label = typeof affordance.title === 'string' ? affordance.title : name;
    if (reading) {
      checkUriVariables(affordance, [kind, name], note);
      const schema = kind === 'events' ? affordance.data : affordance;
      const where: Where = kind === 'events' ? [kind, name, 'data'] : [kind, name];
      if (kind === 'events' && !isObject(schema)) {
        note([kind, name], 'not imported: an event without "data" carries no value to show');
      } else {
        const made = signalsFrom(schema as Schema, where, idPart(name), '', label, reading.form as Reading, note, 0);
        for (const s of made) signals.push({ ...s, id: ids.take(s.id) });
      }
    }
    if (kind === 'properties') {
      const writing = forms.find((f) => f.form.writeTopic !== undefined);
      const writable = affordance.readOnly !== true;
      if (writing && writable) {
        const command = commandFrom(affordance, [kind, name], writing.form as Writing, note);
        if (command) commands.push({ ...command, id: ids.take(`${idPart(name)}.set`), label: `Set ${label}` });
      } else if (writing) {
        note([kind, name, 'forms', writing.index], 'not imported: a write form on a readOnly property');
      }
    }
  };

  for (const kind of ['properties', 'events'] as const) {
    for (const [name, affordance] of Object.entries(isObject(td[kind]) ? td[kind] : {})) {
      if (isObject(affordance)) readAffordance(kind, name, affordance);
      else note([kind, name], 'not imported: not an object');
    }
  }
  for (const [name, action] of Object.entries(isObject(td.actions) ? td.actions : {})) {
    if (!isObject(action)) {
      note(['actions', name], 'not imported: not an object');
      continue;
    }
    const forms = mqttForms('actions', name, action.forms);
    const writing = forms.find((f) => f.form.writeTopic !== undefined);
    for (const f of forms) {
      if (f !== writing) note(['actions', name, 'forms', f.index], 'not used: only one publish form is needed');
    }
    if (!writing) continue;
    checkUriVariables(action, ['actions', name], note);
    const input = isObject(action.input) ? action.input : undefined;
    const command = commandFrom(input, ['actions', name, 'input'], writing.form as Writing, note);
    if (!command) continue;
    if (action.output !== undefined) {
      note(['actions', name, 'output'], 'not used: the broker’s acknowledgement confirms the command (add a reply)');
    }
    const label = typeof action.title === 'string' ? action.title : name;
    commands.push({ ...command, id: ids.take(idPart(name)), label });
  }

  (Array.isArray(td.forms) ? td.forms : []).forEach((_, i) =>
    note(['forms', i], 'not used: the Thing’s own forms (all properties at once); each affordance’s form is used'),
  );
  const credentials = securityNotes(td, note);

  if (broker === undefined) {
    return { ok: false, error: 'no MQTT forms: nothing to subscribe to or publish (see the notes)', notes };
  }
  const url = options.broker ?? webSocketUrl(broker);
  if (options.broker === undefined) {
    note(
      [],
      `the twin connects to ${url}: the forms' broker over WebSockets on the same port; ` +
        'give its WebSocket URL with --broker if that differs',
    );
  }
  return finishTwin(
    {
      id: options.id ?? twinIdFrom(thingTitle, 'thing'),
      title: options.title ?? thingTitle,
      description: `Imported from the WoT Thing Description "${thingTitle}"${typeof td.id === 'string' ? ` (${td.id})` : ''}. Add assets, bindings and rules.`,
      brokerUrl: url,
      credentials,
      signals,
      commands,
    },
    notes,
  );
}

/** An MQTT form's broker, topic and direction; null (with a note) for any other form. */
function readForm(raw: unknown, kind: string, base: string | undefined, note: (m: string) => void): MqttForm | null {
  if (!isObject(raw) || typeof raw.href !== 'string') {
    note('not imported: a form without "href"');
    return null;
  }
  const href = /^[a-z][a-z0-9+.-]*:/i.test(raw.href) || base === undefined ? raw.href : joinBase(base, raw.href);
  const url = /^(mqtts?):\/\/([^/?#]+)(\/[^?#]*)?/i.exec(href);
  if (!url) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1] ?? 'relative';
    note(`not imported: a form for ${scheme.toLowerCase()} (only MQTT forms become signals and commands)`);
    return null;
  }
  const broker = `${url[1].toLowerCase()}://${url[2]}`;
  const hrefTopic = decodeURIComponent((url[3] ?? '').replace(/^\//, ''));
  const ops = typeof raw.op === 'string' ? [raw.op] : Array.isArray(raw.op) ? raw.op.map(String) : DEFAULT_OPS[kind];
  const packet = typeof raw['mqv:controlPacket'] === 'string' ? raw['mqv:controlPacket'].toLowerCase() : '';
  // The control packet, when given, decides the direction; otherwise the operations do.
  const reads = packet.endsWith('subscribe') || (!packet && ops.some((o) => READ_OPS.has(o)));
  const writes = packet.endsWith('publish') || (!packet && ops.some((o) => WRITE_OPS.has(o)));
  const filter = typeof raw['mqv:filter'] === 'string' ? raw['mqv:filter'] : undefined;
  const topicTerm = typeof raw['mqv:topic'] === 'string' ? raw['mqv:topic'] : undefined;
  const usable = (topic: string, publish: boolean): string | undefined => {
    const what = publish ? 'publish' : 'subscribe';
    if (topic === '') note(`not imported (${what}): no topic (mqv:filter, mqv:topic or a path in href)`);
    else if (/[{}]/.test(topic)) note(`not imported (${what}): the topic "${topic}" has URI variables`);
    else if (publish && /[+#]/.test(topic))
      note(`not imported (publish): a publish topic cannot hold wildcards ("${topic}")`);
    else return topic;
    return undefined;
  };
  const readTopic = reads ? usable(filter ?? topicTerm ?? hrefTopic, false) : undefined;
  const writeTopic = writes ? usable(topicTerm ?? hrefTopic, true) : undefined;
  if (!reads && !writes) note(`not imported: its op (${ops.join(', ')}) neither reads nor writes a value`);
  if (readTopic === undefined && writeTopic === undefined) return null;
  const contentType = typeof raw.contentType === 'string' ? raw.contentType.split(';')[0].trim() : 'application/json';
  const qosTerm = raw['mqv:qos'];
  const qosText =
    typeof qosTerm === 'string' || typeof qosTerm === 'number' ? String(qosTerm).replace(/^quality:/, '') : '';
  const qos = qosText === '0' ? 0 : qosText === '1' ? 1 : qosText === '2' ? 2 : undefined;
  return { broker, readTopic, writeTopic, qos, contentType };
}

function joinBase(base: string, href: string): string {
  return `${base.replace(/\/+$/, '')}/${href.replace(/^\/+/, '')}`;
}

function checkUriVariables(affordance: Schema, where: Where, note: (w: Where, m: string) => void): void {
  if (isObject(affordance.uriVariables)) {
    note([...where, 'uriVariables'], 'not used: URI variables have no place in an MQTT topic here');
  }
}

const typeOf = (schema: Schema): string | undefined =>
  typeof schema.type === 'string' ? schema.type : schema.enum !== undefined ? 'string' : undefined;

/**
 * Signals for a data schema read from `form`: one for a scalar, one per field (with a JSON path) for
 * an object, down to MAX_DEPTH; arrays, alternatives and deeper objects are noted.
 */
function signalsFrom(
  schema: Schema,
  where: Where,
  id: string,
  path: string,
  label: string,
  form: Reading,
  note: (w: Where, m: string) => void,
  depth: number,
): Signal[] {
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    if (schema[key] !== undefined) {
      note([...where, key], `not imported: "${key}" schemas (a value of several shapes) are not turned into signals`);
      return [];
    }
  }
  const type = typeOf(schema);
  if (type === 'object') {
    if (form.contentType !== 'application/json') {
      note(where, `not imported: an object in "${form.contentType}" (only JSON objects have paths)`);
      return [];
    }
    if (depth >= MAX_DEPTH) {
      note(where, `not imported: objects nested deeper than ${MAX_DEPTH} levels`);
      return [];
    }
    const out: Signal[] = [];
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [field, sub] of Object.entries(properties)) {
      const at = [...where, 'properties', field];
      if (!PATH_NAME.test(field)) {
        note(at, 'not imported: a field name with ".", "[" or "]" cannot be written as a value path');
      } else if (isObject(sub)) {
        const subLabel = `${label} ${typeof sub.title === 'string' ? sub.title : field}`;
        out.push(
          ...signalsFrom(
            sub,
            at,
            `${id}.${idPart(field)}`,
            path ? `${path}.${field}` : field,
            subLabel,
            form,
            note,
            depth + 1,
          ),
        );
      }
    }
    if (Object.keys(properties).length === 0) note(where, 'not imported: an object schema without "properties"');
    return out;
  }
  if (type === 'array') {
    note(where, 'not imported: an array value (a signal holds one value; add one per element with a path "[0]")');
    return [];
  }
  if (type === 'null') {
    note(where, 'not imported: a "null" value carries nothing to show');
    return [];
  }
  if (type === 'string' && !Array.isArray(schema.enum)) {
    note(where, 'not imported: free text (a signal holds numbers, true/false and named states from an enum)');
    return [];
  }
  const decoder = decoderFor(form.contentType, type);
  if (decoder === null) {
    note(where, `not imported: content type "${form.contentType}" (JSON and plain text are read)`);
    return [];
  }
  const signal: Signal = { id, topic: form.readTopic, label };
  if (decoder !== 'json') signal.decoder = decoder;
  if (path) signal.path = path;
  if (typeof schema.unit === 'string' && schema.unit.trim()) signal.unit = unitSymbol(schema.unit.trim());
  if (type === 'number' || type === 'integer') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
    const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
    if (min !== undefined && max !== undefined && min < max) signal.range = [min, max];
    else if (min !== undefined || max !== undefined) {
      note(where, 'range not set: a range needs both "minimum" and "maximum", minimum below maximum');
    }
  }
  if (Array.isArray(schema.enum)) {
    const states = schema.enum.filter((v): v is string => typeof v === 'string');
    if (states.length === schema.enum.length && states.length > 0) {
      // Named states become numbers in list order, so rules can compare them ("status == 3").
      signal.map = Object.fromEntries(states.map((s, i) => [s, i]));
    } else {
      note([...where, 'enum'], 'states not set: only an enum of strings becomes named states');
    }
  }
  if (type === undefined) note(where, 'no "type": imported as whatever the payload holds');
  return [signal];
}

function decoderFor(contentType: string, type: string | undefined): Signal['decoder'] | null {
  if (contentType === 'application/json' || contentType.endsWith('+json')) return 'json';
  if (contentType === 'text/plain')
    return type === 'number' || type === 'integer' ? 'number' : type === 'boolean' ? 'boolean' : 'text';
  return null;
}

/**
 * A command publishing to `form`'s topic with parameters from the input schema: a number (limits,
 * step 1 for integers, unit), a boolean, a string enum, or an object of those (one parameter per
 * field, the payload an object of them). No input: an empty message. Anything else is noted and
 * no command is made (the twin has no free-text parameter).
 */
function commandFrom(
  input: Schema | undefined,
  where: Where,
  form: Writing,
  note: (w: Where, m: string) => void,
): Omit<Command, 'id' | 'label'> | null {
  const base: Omit<Command, 'id' | 'label' | 'payload'> = { topic: form.writeTopic };
  if (form.qos !== undefined) base.qos = form.qos === 0 ? 0 : 1;
  if (form.qos === 2) note(where, 'QoS 2 is published with QoS 1 (the dashboard publishes at 0 or 1)');
  if (input === undefined || (typeOf(input) === undefined && input.properties === undefined)) {
    return { ...base, payload: '' };
  }
  if (typeOf(input) === 'object') {
    const params: Param[] = [];
    const payload: Record<string, string> = {};
    const ids = new Ids();
    ids.take('requestId');
    for (const [field, sub] of Object.entries(isObject(input.properties) ? input.properties : {})) {
      const id = ids.take(idPart(field));
      const label = isObject(sub) && typeof sub.title === 'string' ? sub.title : field;
      const param = isObject(sub) ? paramFrom(sub, [...where, 'properties', field], note, id, label) : null;
      if (!param) return null;
      params.push(param);
      payload[field] = `{${id}}`;
    }
    return { ...base, payload, params };
  }
  const param = paramFrom(input, where, note, 'value', typeof input.title === 'string' ? input.title : 'Value');
  if (!param) return null;
  const json = form.contentType === 'application/json' || form.contentType.endsWith('+json');
  return { ...base, payload: json ? jsonPayloadOf(param) : '{value}', params: [param] };
}

function paramFrom(
  schema: Schema,
  where: Where,
  note: (w: Where, m: string) => void,
  id: string,
  label: string,
): Param | null {
  const type = typeOf(schema);
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v): v is string => typeof v === 'string' && v !== '');
    if (values.length === schema.enum.length && values.length > 0) return { id, label, kind: 'enum', values };
    note([...where, 'enum'], 'not imported: only an enum of strings becomes a choice; the command is left out');
    return null;
  }
  if (type === 'number' || type === 'integer') {
    const param: Param & { kind: 'number' } = { id, label, kind: 'number' };
    if (typeof schema.minimum === 'number') param.min = schema.minimum;
    if (typeof schema.maximum === 'number') param.max = schema.maximum;
    if (type === 'integer') param.step = 1;
    if (typeof schema.unit === 'string' && schema.unit.trim()) param.unit = unitSymbol(schema.unit.trim());
    return param;
  }
  if (type === 'boolean') return { id, label, kind: 'boolean' };
  note(
    where,
    `not imported: a ${type ?? 'untyped'} input (parameters are numbers, booleans or choices); the command is left out`,
  );
  return null;
}

/** Notes for security schemes; basic (user name and password) becomes credentials asked at start. */
function securityNotes(td: Schema, note: (w: Where, m: string) => void): 'none' | 'prompt' {
  const definitions = isObject(td.securityDefinitions) ? td.securityDefinitions : {};
  const used =
    typeof td.security === 'string' ? [td.security] : Array.isArray(td.security) ? td.security.map(String) : [];
  let credentials: 'none' | 'prompt' = 'none';
  for (const name of used) {
    const definition = definitions[name];
    const scheme = isObject(definition) && typeof definition.scheme === 'string' ? definition.scheme : 'unknown';
    if (scheme === 'nosec') continue;
    if (scheme === 'basic') {
      credentials = 'prompt';
      note(
        ['securityDefinitions', name],
        'basic: the twin asks for the broker user name and password at start (credentials "prompt")',
      );
    } else {
      note(
        ['securityDefinitions', name],
        `not imported: the "${scheme}" scheme (the twin connects with a user name and password, or none; see docs/connecting.md)`,
      );
    }
  }
  return credentials;
}
