/**
 * What the importers (W3C WoT Thing Descriptions, DTDL interfaces) share: the notes they report,
 * ids from free text, unit symbols, and the finished twin (connection, subscriptions, a values
 * panel) checked by the twin validator. Pure: the CLI reads and writes the files.
 */
import type { TwinInput } from '../schema';
import { jsonPath, validateTwin, type TwinProblem } from '../validate';
import { toMqttFilter } from '../../lib/topicPattern';

/** Something of the source document that did not become part of the twin, or became it with a caveat. */
export interface ImportNote {
  /** JSON path into the source document ("$.properties.status.forms[1]"). */
  path: string;
  message: string;
}

export type Signal = NonNullable<TwinInput['signals']>[number];
export type Command = NonNullable<TwinInput['commands']>[number];
export type Param = NonNullable<Command['params']>[number];

export type ImportResult =
  | { ok: true; twin: TwinInput; notes: ImportNote[] }
  /** The document is not what the importer reads, or nothing of it could be imported. */
  | { ok: false; error: string; notes: ImportNote[] }
  /** The twin made does not validate: a bug in the importer, reported rather than written. */
  | { ok: false; error: string; notes: ImportNote[]; problems: TwinProblem[] };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const pathOf = (...segments: PropertyKey[]): string => jsonPath(segments);

/** An id level from free text: letters, digits, "_", "-"; anything else becomes "_"; never empty. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** A twin id from free text (a title, a folder): id characters only, never empty. */
export function twinIdFrom(text: string, fallback: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .toLowerCase() || fallback
  );
}

/** Hands out ids, "_2", "_3" on a repeat, so two affordances with one sanitized name stay apart. */
export class Ids {
  private readonly used = new Set<string>();

  take(id: string): string {
    let out = id;
    for (let n = 2; this.used.has(out); n++) out = `${id}_${n}`;
    this.used.add(out);
    return out;
  }
}

/**
 * Unit symbols for the names standards use: DTDL's unit names ("degreeCelsius", "kilowattHour"),
 * QUDT and OM names in WoT documents ("qudt:DEG_C", "om:degree_Celsius"), plain words ("celsius").
 * Keys are lower case without separators; a name not listed is kept as written.
 */
const UNITS: Record<string, string> = {
  degreecelsius: '°C',
  celsius: '°C',
  degc: '°C',
  degreefahrenheit: '°F',
  fahrenheit: '°F',
  degf: '°F',
  kelvin: 'K',
  k: 'K',
  percent: '%',
  percentage: '%',
  watt: 'W',
  w: 'W',
  kilowatt: 'kW',
  kilow: 'kW',
  megawatt: 'MW',
  watthour: 'Wh',
  kilowatthour: 'kWh',
  kilowhr: 'kWh',
  megawatthour: 'MWh',
  volt: 'V',
  v: 'V',
  millivolt: 'mV',
  kilovolt: 'kV',
  ampere: 'A',
  a: 'A',
  milliampere: 'mA',
  hertz: 'Hz',
  hz: 'Hz',
  pascal: 'Pa',
  pa: 'Pa',
  kilopascal: 'kPa',
  kilopa: 'kPa',
  bar: 'bar',
  millibar: 'mbar',
  psi: 'psi',
  metre: 'm',
  meter: 'm',
  m: 'm',
  centimetre: 'cm',
  centimeter: 'cm',
  millimetre: 'mm',
  millimeter: 'mm',
  kilometre: 'km',
  kilometer: 'km',
  litre: 'L',
  liter: 'L',
  l: 'L',
  cubicmetre: 'm³',
  cubicmeter: 'm³',
  m3: 'm³',
  litrepersecond: 'L/s',
  litrepermin: 'L/min',
  litreperminute: 'L/min',
  cubicmetreperhour: 'm³/h',
  m3perhr: 'm³/h',
  revolutionperminute: 'rpm',
  rpm: 'rpm',
  revpermin: 'rpm',
  second: 's',
  sec: 's',
  millisecond: 'ms',
  minute: 'min',
  hour: 'h',
  day: 'd',
  kilogram: 'kg',
  kg: 'kg',
  gram: 'g',
  tonne: 't',
  metrepersecond: 'm/s',
  meterpersecond: 'm/s',
  kilometreperhour: 'km/h',
  kilometerperhour: 'km/h',
  newton: 'N',
  newtonmetre: 'N·m',
  lux: 'lx',
  decibel: 'dB',
  db: 'dB',
  degreeofarc: '°',
  degree: '°',
  radian: 'rad',
  partspermillion: 'ppm',
  ppm: 'ppm',
  voltampere: 'VA',
  kilovoltampere: 'kVA',
};

/** A unit symbol for a unit name; the name itself (prefix such as "qudt:" dropped) when unknown. */
export function unitSymbol(name: string): string {
  const bare = name.replace(/^(?:qudt|om|unit|om2|uo):/i, '');
  return UNITS[bare.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? bare;
}

/** "mqtt://host:1883" → "ws://host:1883" (the browser speaks MQTT over WebSockets); ws(s) kept. */
export function webSocketUrl(broker: string): string {
  return broker.replace(/^mqtt:/i, 'ws:').replace(/^mqtts:/i, 'wss:');
}

/**
 * The twin around imported signals and commands: a connection subscribing to every signal's topic
 * (as MQTT filters, once each), a values panel of the signals, and the validator's verdict.
 */
export function finishTwin(
  parts: {
    id: string;
    title: string;
    description: string;
    brokerUrl: string;
    credentials?: 'none' | 'prompt';
    signals: Signal[];
    commands: Command[];
  },
  notes: ImportNote[],
): ImportResult {
  if (parts.signals.length === 0 && parts.commands.length === 0) {
    return { ok: false, error: 'nothing to import: no signal or command could be made (see the notes)', notes };
  }
  const filters = [...new Set(parts.signals.map((s) => toMqttFilter(s.topic)))];
  // A values panel lists concrete signals; templates ("{site}.temperature") have no value of their own.
  const listed = parts.signals.filter((s) => !s.id.includes('{')).map((s) => s.id);
  if (listed.length < parts.signals.length) {
    notes.push({
      path: '$',
      message: 'no values panel for the templated signals: list concrete ids ("north.temperature") in a panel',
    });
  }
  const twin: TwinInput = {
    $schema: '../twin.schema.json',
    id: parts.id,
    title: parts.title,
    description: parts.description,
    connection: {
      url: parts.brokerUrl,
      mqtt: 5,
      // A twin of commands alone still needs a subscription; its commands' replies come on their own.
      subscribe: (filters.length ? filters : [`${parts.commands[0].topic}/#`]).map((topic) => ({
        topic,
        qos: 0 as const,
      })),
      credentials: parts.credentials ?? 'none',
    },
    signals: parts.signals,
    commands: parts.commands,
    panels: listed.length ? [{ kind: 'values', title: parts.title, signals: listed }] : [],
  } as TwinInput;
  const check = validateTwin(twin);
  if (!check.ok) return { ok: false, error: 'the twin made does not validate', notes, problems: check.problems };
  return { ok: true, twin, notes };
}

/**
 * The payload template sending one parameter as a JSON message: a number or boolean as itself
 * ("{value}" becomes 42 or true), a choice as a JSON string ("\"{value}\"" sends "open" with its
 * quotes: a bare string payload is sent as plain text).
 */
export function jsonPayloadOf(param: Param): string {
  return param.kind === 'enum' ? `"{${param.id}}"` : `{${param.id}}`;
}
