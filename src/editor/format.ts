/**
 * The saved twin.json's text, formatted stably so Git diffs stay small: fields in the order the
 * schema lists them (src/twin/schema.ts), fields it does not know after them in their own order,
 * 2-space indentation, a short array of plain values on one line when it fits in 120 columns (as
 * prettier writes the hand-made twins: `"position": [0, 0, 0]`), a trailing newline. Formatting its
 * own output again gives the same bytes, and editing one field changes that field's line.
 */
import type { z } from 'zod';
import { twinSchema } from '../twin/schema';

const WIDTH = 120;

type Schema = z.core.$ZodType;
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: Schema[];
  innerType?: Schema;
  getter?: () => Schema;
  in?: Schema;
  valueType?: Schema;
  items?: Schema[];
  discriminator?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
}

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema below wrappers (optional, default, lazy, pipe). */
function unwrap(s: Schema | undefined): Schema | undefined {
  for (let i = 0; s && i < 20; i++) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The literal values a schema accepts (a discriminator field), empty when it is not a literal/enum. */
function literalValues(s: Schema | undefined): unknown[] {
  const u = unwrap(s);
  if (!u) return [];
  const def = defOf(u);
  if (def.type === 'literal') return def.values ?? [];
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  return [];
}

/** Of a union's object options, the one describing this value: by its discriminator, else the most fields in common. */
function pickOption(options: Schema[], value: Record<string, unknown>, discriminator?: string): Schema | undefined {
  const objects = options.map(unwrap).filter((o): o is Schema => !!o && defOf(o).type === 'object');
  if (discriminator && discriminator in value) {
    const hit = objects.find((o) => literalValues(defOf(o).shape?.[discriminator]).includes(value[discriminator]));
    if (hit) return hit;
  }
  let best: Schema | undefined;
  let bestScore = -1;
  for (const o of objects) {
    const shape = defOf(o).shape ?? {};
    let score = 0;
    for (const k of Object.keys(value)) if (k in shape) score++;
    // A literal field that matches (a "kind" without a declared discriminator) counts double.
    for (const [k, v] of Object.entries(value)) if (literalValues(shape[k]).includes(v)) score += 2;
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

/** The schema describing `value` where `schema` is expected (undefined where the schema says nothing). */
function resolve(schema: Schema | undefined, value: unknown): Schema | undefined {
  const u = unwrap(schema);
  if (!u) return undefined;
  const def = defOf(u);
  if (def.type === 'union' && def.options) {
    if (isRecord(value)) return pickOption(def.options, value, def.discriminator);
    if (Array.isArray(value))
      return def.options.map(unwrap).find((o) => o && ['array', 'tuple'].includes(defOf(o).type));
    return undefined;
  }
  return u;
}

/** A copy of the value with object fields in schema order (unknown fields after, as they were). */
export function orderLike(value: unknown, schema: Schema | undefined): unknown {
  const s = resolve(schema, value);
  const def = s ? defOf(s) : undefined;
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      orderLike(item, def?.type === 'array' ? def.element : def?.type === 'tuple' ? def.items?.[i] : undefined),
    );
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const shape = def?.type === 'object' ? (def.shape ?? {}) : {};
  const valueSchema = def?.type === 'record' ? def.valueType : undefined;
  for (const key of Object.keys(shape)) if (key in value) out[key] = orderLike(value[key], shape[key]);
  for (const [key, v] of Object.entries(value)) if (!(key in out)) out[key] = orderLike(v, shape[key] ?? valueSchema);
  return out;
}

const isPlain = (v: unknown) => v === null || typeof v !== 'object';

function write(value: unknown, indent: string, prefixWidth: number): string {
  if (isPlain(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) {
      const flat = `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
      // prefixWidth: the indentation and key before the array; +1 for a trailing comma.
      if (prefixWidth + flat.length + 1 <= WIDTH) return flat;
    }
    return `[\n${value.map((v) => inner + write(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => {
    const head = `${inner}${JSON.stringify(k)}: `;
    return head + write(v, inner, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** twin.json text as the editor saves it. */
export function formatTwin(doc: unknown): string {
  return `${write(orderLike(doc, twinSchema), '', 0)}\n`;
}
