/**
 * A first signal definition from what the topic browser has seen: the id and label from the topic
 * and path, the unit from the field's name (conservatively: only words that say it), the range from
 * the values seen with a margin, and a template ("{pump}.temp" on "plant/+pump/telemetry") when the
 * topic holds a wildcard capture. Every guess is a starting point the form shows for editing. Pure.
 */
import { idPart } from '../twin/importers/common';
import { parseTopicPattern, captureNames } from '../lib/topicPattern';
import type { PayloadDecoder, LeafKind } from './payloadPaths';

/** Words of a field or topic name: "bearingTemp_C" -> ["bearing", "temp", "c"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9%]+/)
    .filter((w) => w !== '');
}

/** A unit suffix or word that names its unit outright ("temp_c", "power_kw", "level_pct"). */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  degc: '°C',
  celsius: '°C',
  degf: '°F',
  fahrenheit: '°F',
  kelvin: 'K',
  pct: '%',
  percent: '%',
  '%': '%',
  kpa: 'kPa',
  mbar: 'mbar',
  bar: 'bar',
  psi: 'psi',
  pa: 'Pa',
  kw: 'kW',
  mw: 'MW',
  kwh: 'kWh',
  rpm: 'rpm',
  hz: 'Hz',
  mm: 'mm',
  volts: 'V',
  volt: 'V',
  voltage: 'V',
  amps: 'A',
  ampere: 'A',
  lux: 'lx',
  ppm: 'ppm',
  db: 'dB',
  m3h: 'm³/h',
};

/** Quantities whose usual unit in a plant is clear enough to offer. */
const QUANTITY_WORDS: Readonly<Record<string, string>> = {
  temp: '°C',
  temperature: '°C',
  pressure: 'bar',
  press: 'bar',
  humidity: '%',
  rh: '%',
  speed: 'rpm',
  frequency: 'Hz',
  freq: 'Hz',
  power: 'kW',
  energy: 'kWh',
  current: 'A',
  flow: 'm³/h',
  vibration: 'mm/s',
};

/** Single-letter suffixes only after a quantity word ("temp_c", not a field called "c"). */
const SUFFIX_LETTERS: Readonly<Record<string, string>> = { c: '°C', f: '°F', k: 'K', v: 'V', a: 'A', w: 'W' };

/**
 * The unit a field's name says, or undefined. The last word decides ("bearing_temp" °C), a unit word
 * anywhere wins over a quantity word ("temp_f" °F), booleans and text never get a unit.
 */
export function guessUnit(name: string, kind: LeafKind = 'number'): string | undefined {
  if (kind !== 'number') return undefined;
  const words = nameWords(name);
  for (let i = words.length - 1; i >= 0; i--) {
    const unit = UNIT_WORDS[words[i]];
    if (unit !== undefined) return unit;
  }
  for (let i = words.length - 1; i >= 0; i--) {
    const unit = QUANTITY_WORDS[words[i]];
    if (unit === undefined) continue;
    const suffix = words[i + 1] !== undefined ? SUFFIX_LETTERS[words[i + 1]] : undefined;
    return suffix ?? unit;
  }
  return undefined;
}

/** A step of 1, 2 or 5 times a power of ten, about a quarter of the span. */
function niceStep(span: number): number {
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  // The tolerance keeps 0.1 / 0.1 (1.0000000000000002) a step of 1.
  return (m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * power;
}

/**
 * A range from the values seen: a margin of a quarter of the span on each side, rounded outwards to
 * a round step, not below 0 when nothing seen was; booleans [0, 1]; percentages within [0, 100]
 * become [0, 100]. Undefined when nothing was seen.
 */
export function guessRange(
  min: number,
  max: number,
  options: { kind?: LeafKind; unit?: string } = {},
): [number, number] | undefined {
  if (options.kind === 'boolean') return [0, 1];
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return undefined;
  if (options.unit === '%' && min >= 0 && max <= 100) return [0, 100];
  const span = max - min > 0 ? max - min : Math.abs(max) > 0 ? Math.abs(max) : 1;
  const step = niceStep(span);
  // The epsilon keeps 1.1 / 0.1 (10.999999999999998) from rounding a whole step outwards.
  let low = Math.floor((min - span / 4) / step + 1e-9) * step;
  const high = Math.ceil((max + span / 4) / step - 1e-9) * step;
  if (min >= 0 && low < 0) low = 0;
  // Cut floating dust (0.30000000000000004).
  const clean = (v: number) => Number(v.toPrecision(12));
  return [clean(low), clean(high)];
}

/** Topic levels that say nothing about what is measured (left out of ids). */
const GENERIC_LEVELS = new Set([
  'telemetry',
  'data',
  'state',
  'status',
  'value',
  'values',
  'sensor',
  'sensors',
  'measurement',
  'measurements',
  'metrics',
  'tele',
  'json',
  'ddata',
  'ndata',
  'dbirth',
  'nbirth',
]);

export interface SignalSource {
  /** The topic or pattern (with "+name" captures) the signal reads. */
  topic: string;
  /** The JSON path or Sparkplug metric ("" for the whole payload). */
  path: string;
  decoder: PayloadDecoder;
  kind: LeafKind;
  /** Extremes of the values seen, when any. */
  min?: number;
  max?: number;
}

/** A signal definition as the schema writes it (the form edits it before it goes into the draft). */
export interface GuessedSignal {
  id: string;
  topic: string;
  decoder: PayloadDecoder;
  path?: string;
  metric?: string;
  label: string;
  unit?: string;
  range?: [number, number];
}

/**
 * The id from the topic's last telling level (a capture as "{name}") and the path's words:
 * "plant/north/pump1/telemetry" + "bearing.temp" -> "pump1.bearing.temp";
 * "plant/+pump/telemetry" + "temp" -> "{pump}.temp". Never empty; only id characters.
 */
export function guessId(topic: string, path: string): string {
  const levels = topic.split('/').filter((l) => l !== '#' && l !== '+');
  let subject = '';
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i];
    if (level.startsWith('+')) {
      subject = `{${level.slice(1)}}`;
      break;
    }
    if (!GENERIC_LEVELS.has(level.toLowerCase()) && level !== '') {
      subject = idPart(level);
      break;
    }
  }
  const parts = path
    .split(/[.[\]/]+/)
    .filter((p) => p !== '')
    .map(idPart);
  return [subject, ...parts].filter((p) => p !== '').join('.') || 'signal';
}

/** A label from the id's words: "{pump}.bearing.temp" -> "{pump} bearing temp". */
export function guessLabel(id: string): string {
  return id.split('.').join(' ').replace(/[_-]+/g, ' ').trim();
}

/** Sparkplug: the topic with its message type as "+", so births and data messages both match. */
export function sparkplugPattern(topic: string): string {
  const parts = topic.split('/');
  if (parts[0] !== 'spBv1.0' || parts.length < 4) return topic;
  parts[2] = '+';
  return parts.join('/');
}

/** A signal definition guessed from a source. */
export function guessSignal(source: SignalSource): GuessedSignal {
  const topic = source.decoder === 'sparkplug' ? sparkplugPattern(source.topic) : source.topic;
  const lastLevel = topic.split('/').pop() ?? '';
  const unitName =
    source.path !== ''
      ? (source.path
          .split(/[.[\]/]+/)
          .filter(Boolean)
          .pop() ?? '')
      : lastLevel;
  const unit = guessUnit(unitName, source.kind);
  const range =
    source.min !== undefined && source.max !== undefined
      ? guessRange(source.min, source.max, { kind: source.kind, unit })
      : undefined;
  const id = guessId(topic, source.path);
  const out: GuessedSignal = { id, topic, decoder: source.decoder, label: guessLabel(id) };
  if (source.decoder === 'sparkplug') out.metric = source.path;
  else if (source.decoder === 'json' && source.path !== '') out.path = source.path;
  if (unit !== undefined) out.unit = unit;
  if (range !== undefined) out.range = range;
  return out;
}

/**
 * A template pattern from a concrete topic: the level at `index` becomes "+name". The name is the
 * letters the seen values at that level share ("pump1", "pump2" -> "pump"), else "id".
 */
export function templateTopic(topic: string, index: number, seenValues: readonly string[] = []): string {
  const levels = topic.split('/');
  if (index < 0 || index >= levels.length) return topic;
  const taken = new Set(captureNamesOf(topic));
  let name = captureName(seenValues.length ? seenValues : [levels[index]]);
  for (let n = 2; taken.has(name); n++) name = `${captureName(seenValues)}${n}`;
  levels[index] = `+${name}`;
  return levels.join('/');
}

function captureNamesOf(pattern: string): string[] {
  const parsed = parseTopicPattern(pattern);
  return parsed.ok ? captureNames(parsed.levels) : [];
}

/** The common leading letters of values, as a capture name (letters, digits, "_"; not starting with a digit). */
export function captureName(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const v of values) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const word = prefix.replace(/[^A-Za-z0-9_]+/g, '_').replace(/[\d_]+$/, '');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(word) && word.length >= 2 ? word : 'id';
}

/**
 * The levels of a topic that vary among the seen topics of the same shape (same depth, every other
 * level equal): candidates for a "+name" capture, with the values seen there.
 */
export function varyingLevels(topic: string, seen: readonly string[]): { index: number; values: string[] }[] {
  const levels = topic.split('/');
  const out: { index: number; values: string[] }[] = [];
  for (let index = 0; index < levels.length; index++) {
    const values = new Set<string>();
    for (const other of seen) {
      const o = other.split('/');
      if (o.length !== levels.length) continue;
      if (o.every((l, i) => i === index || l === levels[i])) values.add(o[index]);
    }
    if (values.size > 1) out.push({ index, values: [...values].sort() });
  }
  return out;
}
