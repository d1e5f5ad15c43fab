/**
 * Payload decoders, compiled once from the twin's signal definitions. A message's payload is put in
 * a PayloadReader once; every signal that reads it shares the decoded text and the parsed JSON, so
 * a payload read by four signals is decoded and parsed once.
 *
 * Bad input never throws and never yields a value: a decoder returns either a finite number or the
 * RejectReason saying why not. Returning a string constant instead of a result object keeps the hot
 * path free of allocation.
 */
import type { SignalDef } from '../twin/schema';
import type { RejectReason } from './protocol';
import { KIND_BOOLEAN, KIND_NUMBER, KIND_TEXT } from './protocol';
import { parseValuePath, readValuePath, MISSING, type PathStep } from '../lib/valuePath';
import { linearTransform } from './units';
import { parseTimestamp } from './timestamps';
import type { MetricValue } from './sparkplug';

/** Payloads larger than this are rejected before they are decoded. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** A decoded value, or why there is none. */
export type Decoded = number | RejectReason;

/** A decoder's result meaning: the value is text, in `reader.valueText`. */
export const TEXT_VALUE = 'text-value';

/**
 * A decoder's result: a value, why there is none, TEXT_VALUE, or null when the message simply does
 * not carry this signal (a Sparkplug DATA message holds only the metrics that changed): not an error.
 * A decoder that returns a number says in `reader.valueKind` what kind of number (KIND_*).
 */
export type DecodeResult = Decoded | typeof TEXT_VALUE | null;

/** Reads one signal's value from the message in a reader. */
export type ValueDecoder = (reader: PayloadReader) => DecodeResult;

// One decoder for the whole engine: TextDecoder construction is not free.
const utf8 = new TextDecoder('utf-8');

// States of the lazily parsed JSON (plain numbers: a const enum does not survive isolated builds).
const JSON_NOT_PARSED = 0;
const JSON_PARSED = 1;
const JSON_FAILED = 2;

/**
 * One message's payload, decoded lazily and at most once: text on first use, JSON on first use.
 * Reused for every message (reset) so steady-state decoding allocates only what JSON.parse does.
 */
export class PayloadReader {
  private payload: Uint8Array | string = '';
  private decodedText: string | null = null;
  private jsonState = JSON_NOT_PARSED;
  private jsonValue: unknown = undefined;
  /** Size of the payload in bytes (UTF-8 for string payloads). */
  byteLength = 0;
  /** The metrics of a Sparkplug message, by name (set by the engine before decoding), else null. */
  sparkplug: Map<string, MetricValue> | null = null;
  /** Set by a decoder with its value: what kind of value it is (KIND_*). */
  valueKind = KIND_NUMBER;
  /** Set by a decoder that returned TEXT_VALUE: the text. */
  valueText = '';

  constructor(readonly maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES) {}

  /** Puts the next message's payload in the reader and forgets the previous one. */
  reset(payload: Uint8Array | string): this {
    this.payload = payload;
    this.byteLength = typeof payload === 'string' ? utf8Length(payload) : payload.byteLength;
    this.decodedText = typeof payload === 'string' ? payload : null;
    this.jsonState = JSON_NOT_PARSED;
    this.jsonValue = undefined;
    this.sparkplug = null;
    return this;
  }

  get tooLarge(): boolean {
    return this.byteLength > this.maxBytes;
  }

  /** The payload as bytes (binary formats such as Sparkplug). */
  bytes(): Uint8Array {
    return typeof this.payload === 'string' ? new TextEncoder().encode(this.payload) : this.payload;
  }

  /** The payload as text (decoded once). */
  text(): string {
    if (this.decodedText === null) this.decodedText = utf8.decode(this.payload as Uint8Array);
    return this.decodedText;
  }

  /** The payload parsed as JSON (parsed once), or MISSING when it is not valid JSON. */
  json(): unknown {
    if (this.jsonState === JSON_NOT_PARSED) {
      try {
        this.jsonValue = JSON.parse(this.text());
        this.jsonState = JSON_PARSED;
      } catch {
        this.jsonState = JSON_FAILED;
      }
    }
    return this.jsonState === JSON_PARSED ? this.jsonValue : MISSING;
  }

  /** The start of the payload as text, for diagnostics; never decodes more than it shows. */
  sample(maxChars = 200): string {
    if (this.decodedText !== null) return this.decodedText.slice(0, maxChars);
    // At most 4 bytes per character: decoding this prefix is enough.
    const head = (this.payload as Uint8Array).subarray(0, maxChars * 4);
    return utf8.decode(head).slice(0, maxChars);
  }
}

/** UTF-8 size of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE_TEXT = /^[+-]?(?:nan|inf|infinity)$/i;
const BOOLEAN_TEXT: Readonly<Record<string, number>> = { true: 1, false: 0, '1': 1, '0': 0, on: 1, off: 0 };

/** A plain-text number: "42", "-1.5e3", " 7 ". */
export function decodeNumberText(text: string): Decoded {
  const trimmed = text.trim();
  if (NUMBER_TEXT.test(trimmed)) {
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : 'not-finite';
  }
  return NOT_FINITE_TEXT.test(trimmed) ? 'not-finite' : 'wrong-type';
}

/** true/false/1/0/on/off (any case) as 1/0. */
export function decodeBooleanText(text: string): Decoded {
  const key = text.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(BOOLEAN_TEXT, key) ? BOOLEAN_TEXT[key] : 'wrong-type';
}

/** A JSON value where a number is needed: numbers (finite) and booleans (1/0) only. */
export function jsonToNumber(value: unknown): Decoded {
  if (value === MISSING) return 'missing-path';
  if (typeof value === 'number') return Number.isFinite(value) ? value : 'not-finite';
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 'wrong-type';
}

/** Compiles a path for the json decoder; throws on a malformed path (a twin problem, not input). */
export function compilePath(path: string | undefined): PathStep[] {
  if (path === undefined) return [];
  const parsed = parseValuePath(path);
  if (!parsed.ok) throw new Error(`path "${path}": ${parsed.error} at character ${parsed.position + 1}`);
  return parsed.steps;
}

/** The decoder for one signal definition. Throws only for a malformed `path` in the twin. */
export function compileDecoder(
  signal: Pick<SignalDef, 'decoder' | 'path' | 'map' | 'convert' | 'scale' | 'offset' | 'metric'>,
): ValueDecoder {
  const raw = compileRawDecoder(signal);
  const [factor, offset] = linearTransform(signal);
  if (factor === 1 && offset === 0) return raw;
  return (reader) => {
    const v = raw(reader);
    if (typeof v !== 'number') return v;
    // A scaled or converted value is a measurement, whatever the source's integer type.
    if (reader.valueKind !== KIND_BOOLEAN) reader.valueKind = KIND_NUMBER;
    const out = v * factor + offset;
    return Number.isFinite(out) ? out : 'not-finite';
  };
}

function compileRawDecoder(signal: Pick<SignalDef, 'decoder' | 'path' | 'map' | 'metric'>): ValueDecoder {
  const states = signal.map ? stateTable(signal.map) : null;
  switch (signal.decoder) {
    case 'json': {
      const steps = compilePath(signal.path);
      return (reader) => {
        if (reader.tooLarge) return 'too-large';
        const doc = reader.json();
        if (doc === MISSING) return 'bad-json';
        const value = steps.length === 0 ? doc : readValuePath(doc, steps);
        reader.valueKind = typeof value === 'boolean' ? KIND_BOOLEAN : KIND_NUMBER;
        if (states !== null && typeof value === 'string') return lookupState(states, value);
        return jsonToNumber(value);
      };
    }
    case 'number':
    case 'text':
      return (reader) => {
        if (reader.tooLarge) return 'too-large';
        const text = reader.text();
        reader.valueKind = KIND_NUMBER;
        if (states !== null) {
          const state = lookupState(states, text);
          if (state !== 'wrong-type') return state;
        }
        return decodeNumberText(text);
      };
    case 'boolean':
      return (reader) => {
        reader.valueKind = KIND_BOOLEAN;
        return reader.tooLarge ? 'too-large' : decodeBooleanText(reader.text());
      };
    case 'sparkplug': {
      const name = signal.metric ?? '';
      return (reader) => {
        if (reader.tooLarge) return 'too-large';
        if (reader.sparkplug === null) return 'bad-payload'; // not a Sparkplug message
        const metric = reader.sparkplug.get(name);
        if (metric === undefined) return null;
        const value = metric.value;
        if (value === null) return 'wrong-type'; // a DataSet, Template, ...: not one value
        if (typeof value === 'string') {
          // Text is shown as text, unless the twin names its states (then it is that state's number).
          if (states !== null) {
            reader.valueKind = KIND_NUMBER;
            return lookupState(states, value);
          }
          reader.valueKind = KIND_TEXT;
          reader.valueText = value;
          return TEXT_VALUE;
        }
        reader.valueKind = metric.kind;
        return Number.isFinite(value) ? value : 'not-finite';
      };
    }
  }
}

/** Named states, matched exactly first and then ignoring case and surrounding spaces. */
interface StateTable {
  exact: Map<string, number>;
  folded: Map<string, number>;
}

function stateTable(map: Record<string, number>): StateTable {
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const [name, value] of Object.entries(map)) {
    exact.set(name, value);
    folded.set(name.trim().toLowerCase(), value);
  }
  return { exact, folded };
}

/** A state name's number, or 'wrong-type' for a name the twin does not list. */
export function lookupState(table: StateTable, text: string): Decoded {
  const value = table.exact.get(text) ?? table.folded.get(text.trim().toLowerCase());
  if (value === undefined) return 'wrong-type';
  return Number.isFinite(value) ? value : 'not-finite';
}

/**
 * The reader of a signal's payload timestamp, or null when the signal uses arrival time. It returns
 * epoch ms, or NaN when the payload has no usable timestamp (the engine then uses arrival time).
 */
export function compileTimestamp(
  signal: Pick<SignalDef, 'decoder' | 'timestamp' | 'timestampFormat' | 'metric'>,
): ((reader: PayloadReader) => number) | null {
  if (signal.decoder === 'sparkplug') {
    // Sparkplug carries its own timestamps (per metric, else per payload).
    const name = signal.metric ?? '';
    return (reader) => reader.sparkplug?.get(name)?.timestamp ?? NaN;
  }
  if (signal.timestamp === undefined || signal.decoder !== 'json') return null;
  const steps = compilePath(signal.timestamp);
  const format = signal.timestampFormat ?? 'auto';
  return (reader) => {
    const doc = reader.json();
    if (doc === MISSING) return NaN;
    return parseTimestamp(readValuePath(doc, steps), format);
  };
}
