/**
 * What a payload offers a signal: the leaves of a JSON payload as value paths in the syntax signals
 * use (src/lib/valuePath.ts: "bearing.temp", "readings[0].value", "[2]"), a plain number or boolean,
 * or the metrics of a Sparkplug B message. Pure; bounded (depth, leaves, array elements) so a huge or
 * hostile payload costs little, and every key a path cannot name is counted, never silently lost.
 */
import { KIND_BOOLEAN, KIND_TEXT } from '../engine/protocol';
import type { MetricValue } from '../engine/sparkplug';
import { decodeBooleanText, decodeNumberText } from '../engine/decode';

export type LeafKind = 'number' | 'boolean' | 'string';

/** One value a signal could read: its path (metric name for Sparkplug; "" for the whole payload). */
export interface PayloadLeaf {
  path: string;
  kind: LeafKind;
  value: number | boolean | string;
}

/** The decoder a signal needs for the payload (the schema's `decoder`). */
export type PayloadDecoder = 'json' | 'number' | 'boolean' | 'text' | 'sparkplug';

export interface PayloadPaths {
  decoder: PayloadDecoder;
  leaves: PayloadLeaf[];
  /** Keys a value path cannot name (empty, or holding ".", "[" or "]"), and values beyond the limits. */
  skipped: number;
}

export interface PathLimits {
  maxLeaves: number;
  maxDepth: number;
  /** Elements of one array listed; the rest are counted as skipped. */
  maxArray: number;
  /** Text values are cut to this many characters. */
  maxText: number;
}

export const DEFAULT_PATH_LIMITS: PathLimits = { maxLeaves: 200, maxDepth: 8, maxArray: 32, maxText: 200 };

/** A field name a value path can hold (the NAME rule of valuePath.ts, whole). */
const PATH_NAME = /^[^.[\]]+$/;

/** The leaves of a parsed JSON value, depth first in document order. */
export function jsonLeafPaths(value: unknown, limits: PathLimits = DEFAULT_PATH_LIMITS): PayloadPaths {
  const leaves: PayloadLeaf[] = [];
  let skipped = 0;
  const visit = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') {
      if (typeof v === 'number' && !Number.isFinite(v)) return;
      if (leaves.length >= limits.maxLeaves) {
        skipped++;
        return;
      }
      const kind: LeafKind = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
      leaves.push({ path, kind, value: typeof v === 'string' ? v.slice(0, limits.maxText) : v });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= limits.maxDepth) {
      skipped++;
      return;
    }
    if (Array.isArray(v)) {
      const n = Math.min(v.length, limits.maxArray);
      skipped += v.length - n;
      for (let i = 0; i < n; i++) visit(v[i], `${path}[${i}]`, depth + 1);
      return;
    }
    // Own keys only (JSON.parse makes "__proto__" an own key; it is read as one, never as the prototype).
    for (const key of Object.keys(v)) {
      if (!PATH_NAME.test(key)) {
        skipped++;
        continue;
      }
      visit((v as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, depth + 1);
    }
  };
  visit(value, '', 0);
  return { decoder: 'json', leaves, skipped };
}

/**
 * A text payload's leaves: JSON when it parses as an object or array (or a JSON number/boolean),
 * else a plain number ("number" decoder), boolean word ("boolean") or text ("text").
 */
export function textPayloadPaths(text: string, limits: PathLimits = DEFAULT_PATH_LIMITS): PayloadPaths {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return jsonLeafPaths(JSON.parse(trimmed), limits);
    } catch {
      // Not JSON after all: read below as text.
    }
  }
  const number = decodeNumberText(trimmed);
  if (typeof number === 'number')
    return { decoder: 'number', leaves: [{ path: '', kind: 'number', value: number }], skipped: 0 };
  const bool = decodeBooleanText(trimmed);
  // "1"/"0" are numbers above; here only words (true/false/on/off).
  if (typeof bool === 'number')
    return { decoder: 'boolean', leaves: [{ path: '', kind: 'boolean', value: bool === 1 }], skipped: 0 };
  return {
    decoder: 'text',
    leaves: [{ path: '', kind: 'string', value: trimmed.slice(0, limits.maxText) }],
    skipped: 0,
  };
}

/** A Sparkplug message's metrics as leaves named by metric; DataSets and Templates are skipped. */
export function sparkplugPaths(metrics: ReadonlyMap<string, MetricValue>): PayloadPaths {
  const leaves: PayloadLeaf[] = [];
  let skipped = 0;
  for (const [name, metric] of metrics) {
    if (metric.value === null) {
      skipped++;
      continue;
    }
    if (typeof metric.value === 'string' || metric.kind === KIND_TEXT)
      leaves.push({ path: name, kind: 'string', value: String(metric.value) });
    else if (metric.kind === KIND_BOOLEAN) leaves.push({ path: name, kind: 'boolean', value: metric.value !== 0 });
    else leaves.push({ path: name, kind: 'number', value: metric.value });
  }
  leaves.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { decoder: 'sparkplug', leaves, skipped };
}

/** A leaf's value as a number where a signal would read one (booleans 1/0), else NaN. */
export function leafNumber(leaf: PayloadLeaf): number {
  return typeof leaf.value === 'number' ? leaf.value : typeof leaf.value === 'boolean' ? (leaf.value ? 1 : 0) : NaN;
}

type SparkplugCodec = typeof import('../engine/sparkplug');
let codec: Promise<SparkplugCodec> | null = null;

/**
 * The Sparkplug decoder (protobufjs and Tahu's schema, a chunk of its own): loaded the first time a
 * Sparkplug topic is seen, not with the page. A failed load may be tried again.
 */
export function loadSparkplugCodec(): Promise<SparkplugCodec> {
  codec ??= import('../engine/sparkplug').catch((err: unknown) => {
    codec = null;
    throw err;
  });
  return codec;
}
