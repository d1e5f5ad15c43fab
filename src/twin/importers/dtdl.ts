/**
 * A DTDL v3 (or v2) Interface as a starting twin. DTDL says what a device has (telemetry, properties,
 * commands, their schemas and units) but not where it publishes, so the topics come from patterns
 * given on the command line: `{name}` the content's name, `{interface}` the interface's name (the
 * last part of its DTMI), `{kind}` "telemetry", "property" or "command", and `+capture` levels for
 * one twin covering many devices. Telemetry and properties become signals (number, boolean or text
 * from the schema, unit symbols from `unit`, an Object's fields as JSON paths, an Enum's states),
 * writable properties setpoint commands and commands commands. Relationships, Components, Maps and
 * Arrays are notes at their JSON path.
 */
import { parseTopicPattern, captureNames } from '../../lib/topicPattern';
import {
  Ids,
  finishTwin,
  idPart,
  isObject,
  jsonPayloadOf,
  pathOf,
  twinIdFrom,
  unitSymbol,
  type Command,
  type ImportNote,
  type ImportResult,
  type Param,
  type Signal,
} from './common';

export interface DtdlOptions {
  /** Where telemetry and properties are read: a topic pattern with {name}, {interface}, {kind}. */
  topic: string;
  /** Where commands and property writes are published; default the topic pattern + "/set" (+ "/{name}" when it has no {name}). */
  commandTopic?: string;
  /** A JSON path template inside each message ("{name}" for one message with every value); default the whole message. */
  path?: string;
  /** The broker's WebSocket URL (ws:// or wss://). */
  broker: string;
  id?: string;
  title?: string;
}

type Json = Record<string, unknown>;
type Where = PropertyKey[];

const NUMBER_SCHEMAS = new Set([
  'double',
  'float',
  'integer',
  'long',
  'byte',
  'short',
  'unsignedByte',
  'unsignedShort',
  'unsignedInteger',
  'unsignedLong',
  'decimal',
]);
const INTEGER_SCHEMAS = new Set([
  'integer',
  'long',
  'byte',
  'short',
  'unsignedByte',
  'unsignedShort',
  'unsignedInteger',
  'unsignedLong',
]);
const TEXT_SCHEMAS = new Set(['string', 'date', 'dateTime', 'time', 'duration', 'uuid', 'bytes', 'scaledDecimal']);
const PLACEHOLDERS = new Set(['name', 'interface', 'kind']);
const MAX_DEPTH = 3;
const PATH_NAME = /^[^.[\]]+$/;

/**
 * Checks a topic pattern option: its placeholders and its wildcards. Null when fine, else why not.
 * A read topic may leave {name} out when the value path names it (one message with every value).
 */
export function topicPatternProblem(pattern: string, publish: boolean, pathNamesIt = false): string | null {
  for (const m of pattern.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.has(m[1])) return `unknown placeholder "{${m[1]}}" (use {name}, {interface}, {kind})`;
  }
  if (!pattern.includes('{name}') && (publish || !pathNamesIt)) {
    return publish
      ? 'the pattern needs {name}, or every command would publish to one topic'
      : 'the pattern needs {name} (or --path with {name}), or every value would read the same message';
  }
  const parsed = parseTopicPattern(pattern.replace(/\{(\w+)\}/g, 'x'));
  if (!parsed.ok) return parsed.error;
  if (publish && pattern.split('/').some((l) => l === '+' || l === '#')) {
    return 'a command topic cannot hold "+" or "#" (a "+capture" level is filled from the signal)';
  }
  return null;
}

const fill = (pattern: string, values: Record<string, string>) =>
  pattern.replace(/\{(name|interface|kind)\}/g, (_, key: string) => values[key]);

/** The interface's own name: "dtmi:com:example:Thermostat;1" → "Thermostat". */
function interfaceName(iface: Json): string {
  const id = typeof iface['@id'] === 'string' ? iface['@id'] : '';
  return /:([^:;]+)(?:;[\d.]+)?$/.exec(id)?.[1] ?? (text(iface.displayName) || 'Interface');
}

/** displayName / description: a string, or a language map ({"en": "..."}; English first). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    const en = value.en ?? Object.values(value)[0];
    return typeof en === 'string' ? en : '';
  }
  return '';
}

const types = (item: Json): string[] =>
  typeof item['@type'] === 'string' ? [item['@type']] : Array.isArray(item['@type']) ? item['@type'].map(String) : [];

export function twinFromDtdl(doc: unknown, options: DtdlOptions): ImportResult {
  const notes: ImportNote[] = [];
  const note = (where: Where, message: string) => notes.push({ path: pathOf(...where), message });
  const list = Array.isArray(doc) ? doc : [doc];
  const interfaces = list
    .map((item, i) => ({ item, where: Array.isArray(doc) ? [i] : [] }))
    .filter((x): x is { item: Json; where: number[] } => isObject(x.item) && types(x.item).includes('Interface'));
  if (interfaces.length === 0) return { ok: false, error: 'not a DTDL Interface: no "@type": "Interface"', notes };

  // Default: "<topic>/set", or "<topic>/{name}" when the topic carries every value in one message.
  const commandTopic =
    options.commandTopic ?? `${options.topic}/${options.topic.includes('{name}') ? 'set' : '{name}'}`;
  const captures = (() => {
    const parsed = parseTopicPattern(options.topic.replace(/\{(\w+)\}/g, 'x'));
    return parsed.ok ? captureNames(parsed.levels) : [];
  })();
  // One twin for many devices: every id starts with the topic's captures ("{site}.temperature").
  const idPrefix = captures.map((c) => `{${c}}.`).join('');
  // The command topic may name the captures as "+site" (as the topic does) or "{site}".
  const publishTopic = (values: Record<string, string>) =>
    fill(commandTopic, values).replace(/(^|\/)\+(\w+)(?=\/|$)/g, '$1{$2}');

  const ids = new Ids();
  const signals: Signal[] = [];
  const commands: Command[] = [];
  const many = interfaces.length > 1;

  for (const { item: iface, where } of interfaces) {
    const name = interfaceName(iface);
    const schemas = new Map<string, Json>();
    (Array.isArray(iface.schemas) ? iface.schemas : []).forEach((s) => {
      if (isObject(s) && typeof s['@id'] === 'string') schemas.set(s['@id'], s);
    });
    const resolve = (schema: unknown): unknown =>
      typeof schema === 'string' && schemas.has(schema) ? schemas.get(schema) : schema;
    if (iface.extends !== undefined) {
      note(
        [...where, 'extends'],
        'not followed: import the interfaces it extends too (their contents are not in this file)',
      );
    }
    const contents = Array.isArray(iface.contents) ? iface.contents : [];
    contents.forEach((content, c) => {
      const at: Where = [...where, 'contents', c];
      if (!isObject(content) || typeof content.name !== 'string') {
        note(at, 'not imported: a content without a "name"');
        return;
      }
      const kinds = types(content);
      const cname = content.name;
      const label = text(content.displayName) || cname;
      const id = `${idPrefix}${many ? `${idPart(name)}.` : ''}${idPart(cname)}`;
      const semantic = kinds.filter(
        (k) => !['Telemetry', 'Property', 'Command', 'Relationship', 'Component'].includes(k),
      );
      const unit = typeof content.unit === 'string' ? unitSymbol(content.unit) : undefined;
      if (semantic.length > 0 && unit === undefined) {
        note(at, `semantic type ${semantic.join(', ')} without "unit": no unit set`);
      }
      if (kinds.includes('Telemetry') || kinds.includes('Property')) {
        const kind = kinds.includes('Telemetry') ? 'telemetry' : 'property';
        const topic = fill(options.topic, { name: cname, interface: name, kind });
        const path = options.path === undefined ? '' : fill(options.path, { name: cname, interface: name, kind });
        const made = signalsFrom(
          resolve(content.schema),
          [...at, 'schema'],
          id,
          path,
          label,
          topic,
          unit,
          resolve,
          note,
          0,
        );
        for (const s of made) signals.push({ ...s, id: ids.take(s.id) });
        if (kind === 'property' && content.writable === true) {
          const param = paramFrom(resolve(content.schema), [...at, 'schema'], 'value', label, unit, resolve, note);
          if (param) {
            commands.push({
              id: ids.take(`${id}.set`),
              label: `Set ${label}`,
              topic: publishTopic({ name: cname, interface: name, kind: 'property' }),
              payload: jsonPayloadOf(param),
              params: [param],
            });
          }
        }
      } else if (kinds.includes('Command')) {
        const command = commandFrom(content, at, resolve, note);
        if (command) {
          commands.push({
            id: ids.take(id),
            label,
            topic: publishTopic({ name: cname, interface: name, kind: 'command' }),
            ...command,
          });
        }
      } else if (kinds.includes('Relationship')) {
        note(at, 'not imported: a Relationship (links between twins are not part of a twin.json)');
      } else if (kinds.includes('Component')) {
        note(
          at,
          `not imported: a Component (${typeof content.schema === 'string' ? content.schema : 'inline'}); import its interface on its own with its topic pattern`,
        );
      } else {
        note(at, `not imported: unknown content type ${kinds.join(', ') || '(none)'}`);
      }
    });
  }

  const first = interfaces[0].item;
  const title = options.title ?? (text(first.displayName) || interfaceName(first));
  return finishTwin(
    {
      id: options.id ?? twinIdFrom(title, 'dtdl'),
      title,
      description: `Imported from the DTDL interface ${interfaces.map((i) => (typeof i.item['@id'] === 'string' ? i.item['@id'] : interfaceName(i.item))).join(', ')}. Add assets, bindings and rules.`,
      brokerUrl: options.broker,
      signals,
      commands,
    },
    notes,
  );
}

type Resolve = (schema: unknown) => unknown;
type Note = (w: Where, m: string) => void;

function signalsFrom(
  schema: unknown,
  where: Where,
  id: string,
  path: string,
  label: string,
  topic: string,
  unit: string | undefined,
  resolve: Resolve,
  note: Note,
  depth: number,
): Signal[] {
  const base = (): Signal => {
    const s: Signal = { id, topic, label };
    if (path) s.path = path;
    if (unit) s.unit = unit;
    return s;
  };
  if (typeof schema === 'string') {
    if (NUMBER_SCHEMAS.has(schema) || schema === 'boolean') return [base()];
    if (TEXT_SCHEMAS.has(schema)) {
      note(
        where,
        `not imported: "${schema}" is text (a signal holds numbers, true/false and named states from an Enum)`,
      );
      return [];
    }
    note(where, `not imported: the schema "${schema}" (not defined in this interface)`);
    return [];
  }
  if (!isObject(schema)) {
    note(where, 'not imported: no schema');
    return [];
  }
  const kinds = types(schema);
  if (kinds.includes('Enum')) {
    const values = Array.isArray(schema.enumValues) ? schema.enumValues.filter(isObject) : [];
    const signal = base();
    if (schema.valueSchema === 'string') {
      // The message carries the enumValue text; named states become numbers in list order for rules.
      signal.map = Object.fromEntries(
        values.filter((v) => typeof v.enumValue === 'string').map((v, i) => [v.enumValue as string, i]),
      );
    } else {
      note(
        where,
        `an integer Enum: shown as its numbers (${values.map((v) => `${String(v.enumValue)} = ${String(v.name)}`).join(', ')})`,
      );
    }
    return [signal];
  }
  if (kinds.includes('Object')) {
    if (depth >= MAX_DEPTH) {
      note(where, `not imported: Objects nested deeper than ${MAX_DEPTH} levels`);
      return [];
    }
    const out: Signal[] = [];
    (Array.isArray(schema.fields) ? schema.fields : []).forEach((field, f) => {
      const at = [...where, 'fields', f];
      if (!isObject(field) || typeof field.name !== 'string') return note(at, 'not imported: a field without a "name"');
      if (!PATH_NAME.test(field.name))
        return note(at, 'not imported: a field name with ".", "[" or "]" cannot be a value path');
      const fieldUnit = typeof field.unit === 'string' ? unitSymbol(field.unit) : unit;
      const fieldLabel = `${label} ${text(field.displayName) || field.name}`;
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      out.push(
        ...signalsFrom(
          resolve(field.schema),
          [...at, 'schema'],
          `${id}.${idPart(field.name)}`,
          fieldPath,
          fieldLabel,
          topic,
          fieldUnit,
          resolve,
          note,
          depth + 1,
        ),
      );
    });
    return out;
  }
  note(
    where,
    `not imported: a ${kinds.join(', ') || 'complex'} schema (a signal holds one value; Maps and Arrays have no fixed fields)`,
  );
  return [];
}

function paramFrom(
  schema: unknown,
  where: Where,
  id: string,
  label: string,
  unit: string | undefined,
  resolve: Resolve,
  note: Note,
): Param | null {
  schema = resolve(schema);
  if (typeof schema === 'string' && NUMBER_SCHEMAS.has(schema)) {
    const param: Param & { kind: 'number' } = { id, label, kind: 'number' };
    if (INTEGER_SCHEMAS.has(schema)) param.step = 1;
    if (unit) param.unit = unit;
    return param;
  }
  if (schema === 'boolean') return { id, label, kind: 'boolean' };
  if (isObject(schema) && types(schema).includes('Enum') && schema.valueSchema === 'string') {
    const values = (Array.isArray(schema.enumValues) ? schema.enumValues : [])
      .map((v) => (isObject(v) ? v.enumValue : undefined))
      .filter((v): v is string => typeof v === 'string' && v !== '');
    if (values.length > 0) return { id, label, kind: 'enum', values };
  }
  const what =
    typeof schema === 'string' ? `"${schema}"` : isObject(schema) ? types(schema).join(', ') || 'complex' : 'missing';
  note(
    where,
    `not imported: a ${what} value to send (parameters are numbers, booleans or string Enums); the command is left out`,
  );
  return null;
}

/** A command's payload and parameters from its request: a scalar or an Object of scalars. */
function commandFrom(
  content: Json,
  at: Where,
  resolve: Resolve,
  note: Note,
): Pick<Command, 'payload' | 'params'> | null {
  if (content.response !== undefined) {
    note([...at, 'response'], 'not used: the broker’s acknowledgement confirms the command (add a reply)');
  }
  const request = content.request;
  if (request === undefined) return { payload: '' };
  if (!isObject(request) || typeof request.name !== 'string') {
    note([...at, 'request'], 'not imported: a request without a "name"; the command is left out');
    return null;
  }
  const schema = resolve(request.schema);
  const unit = typeof request.unit === 'string' ? unitSymbol(request.unit) : undefined;
  if (isObject(schema) && types(schema).includes('Object')) {
    const params: Param[] = [];
    const payload: Record<string, string> = {};
    const ids = new Ids();
    ids.take('requestId');
    const fields = Array.isArray(schema.fields) ? schema.fields : [];
    for (const [f, field] of fields.entries()) {
      if (!isObject(field) || typeof field.name !== 'string') {
        note(
          [...at, 'request', 'schema', 'fields', f],
          'not imported: a field without a "name"; the command is left out',
        );
        return null;
      }
      const id = ids.take(idPart(field.name));
      const fieldUnit = typeof field.unit === 'string' ? unitSymbol(field.unit) : undefined;
      const param = paramFrom(
        field.schema,
        [...at, 'request', 'schema', 'fields', f, 'schema'],
        id,
        text(field.displayName) || field.name,
        fieldUnit,
        resolve,
        note,
      );
      if (!param) return null;
      params.push(param);
      payload[field.name] = `{${id}}`;
    }
    return { payload, params };
  }
  const id = idPart(request.name) === 'requestId' ? 'value' : idPart(request.name);
  const param = paramFrom(
    schema,
    [...at, 'request', 'schema'],
    id,
    text(request.displayName) || request.name,
    unit,
    resolve,
    note,
  );
  return param ? { payload: jsonPayloadOf(param), params: [param] } : null;
}
