/**
 * The binding form's model, read from the schema (src/twin/schema.ts effectSchema) so a new effect
 * or parameter shows up in the form without a second list to keep: which effects exist, the fields
 * of each with their kind, default and description, a starting effect for a signal, and the effect
 * as written to twin.json (fields left at their default are not written). Pure: no React, no DOM.
 */
import type { z } from 'zod';
import { colorSchema, effectSchema, type Effect } from '../twin/schema';

/** What a field is edited as. */
export type FieldKind =
  | { type: 'enum'; options: string[] }
  | { type: 'number' }
  | { type: 'string' }
  /** Two numbers: a range, angles, distances. */
  | { type: 'pair' }
  /** [x, y, z] */
  | { type: 'vec3' }
  /** A colour: a state name or "#rrggbb". */
  | { type: 'color' }
  /** [value, colour] rows, at least `min`. */
  | { type: 'stops'; min: number };

export interface EffectField {
  name: string;
  kind: FieldKind;
  /** False when the field may be left out (no default and not required). */
  required: boolean;
  /** The schema's default, when it has one. */
  default?: unknown;
  description: string;
}

export interface EffectKind {
  kind: Effect['kind'];
  description: string;
  fields: EffectField[];
}

/** The colour state names (the ISA-101 palette), in the schema's order. */
export const COLOR_STATES: readonly string[] = (
  (colorSchema._zod.def.options[0] as unknown as { options: string[] }).options ?? []
).slice();

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const describe = (schema: unknown): string => (schema as { description?: string }).description ?? '';

function kindOf(schema: unknown): FieldKind | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'enum':
      return { type: 'enum', options: Object.values(def.entries as Record<string, string>) };
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'union':
      return schema === colorSchema ? { type: 'color' } : null;
    case 'tuple': {
      const items = def.items as unknown[];
      if (!items.every((i) => defOf(i).type === 'number')) return null;
      return items.length === 2 ? { type: 'pair' } : items.length === 3 ? { type: 'vec3' } : null;
    }
    case 'array': {
      const min = ((def.checks as { _zod: { def: { check: string; minimum?: number } } }[] | undefined) ?? [])
        .map((c) => c._zod.def)
        .find((c) => c.check === 'min_length')?.minimum;
      return { type: 'stops', min: min ?? 0 };
    }
    default:
      return null;
  }
}

function fieldOf(name: string, schema: unknown): EffectField | null {
  let inner = schema;
  let required = true;
  let fallback: { value: unknown } | null = null;
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'default') {
      fallback = { value: def.defaultValue };
      required = false;
      inner = def.innerType;
    } else if (def.type === 'optional') {
      required = false;
      inner = def.innerType;
    } else break;
  }
  const kind = kindOf(inner);
  if (!kind) return null;
  return {
    name,
    kind,
    required,
    ...(fallback ? { default: structuredClone(fallback.value) } : {}),
    description: describe(schema) || describe(inner),
  };
}

type EffectOption = z.ZodObject<Record<string, z.ZodType>>;

/** Every effect kind with its fields, in the schema's order. */
export const EFFECT_KINDS: readonly EffectKind[] = (effectSchema.options as unknown as EffectOption[]).map((option) => {
  const shape = option.shape;
  const kind = (defOf(shape.kind).values as string[])[0] as Effect['kind'];
  const fields = Object.entries(shape)
    .filter(([name]) => name !== 'kind')
    .map(([name, schema]) => fieldOf(name, schema))
    .filter((f): f is EffectField => f !== null);
  return { kind, description: describe(option), fields };
});

export function effectKind(kind: string): EffectKind | undefined {
  return EFFECT_KINDS.find((k) => k.kind === kind);
}

/** A tidy number for a starting value (no 79.99999999). */
const tidy = (n: number) => Number(n.toPrecision(3));

/**
 * A starting effect of `kind` for a signal with `range` (its expected [low, high], or 0..100): every
 * field at its default, and the fields that have none filled in from the range (a threshold at 80 %
 * of it, a ramp across it, a fill over it).
 */
export function startingEffect(kind: Effect['kind'], range: readonly [number, number] = [0, 100]): Effect {
  const spec = effectKind(kind);
  if (!spec) throw new Error(`unknown effect kind "${kind}"`);
  const [low, high] = range;
  const out: Record<string, unknown> = { kind };
  for (const field of spec.fields) {
    if (field.default !== undefined) out[field.name] = structuredClone(field.default);
    else if (!field.required) continue;
    else if (field.kind.type === 'stops')
      out[field.name] =
        field.kind.min >= 2
          ? [
              [tidy(low), 'normal'],
              [tidy(high), 'alarm'],
            ]
          : [[tidy(low + (high - low) * 0.8), 'alarm']];
    else if (field.name === 'range') out[field.name] = [tidy(low), tidy(high)];
    else if (field.kind.type === 'pair') out[field.name] = [0, 1];
    else if (field.kind.type === 'vec3') out[field.name] = [0, 0, 0];
    else if (field.kind.type === 'number') out[field.name] = 0;
    else if (field.kind.type === 'enum') out[field.name] = field.kind.options[0];
    else if (field.kind.type === 'color') out[field.name] = 'normal';
    else out[field.name] = '';
  }
  return out as Effect;
}

/**
 * The effect as twin.json gets it: fields equal to their schema default and empty optional text
 * left out, so the file says only what was chosen.
 */
export function writtenEffect(effect: Record<string, unknown>): Record<string, unknown> {
  const spec = effectKind(String(effect.kind));
  if (!spec) return effect;
  const out: Record<string, unknown> = { kind: effect.kind };
  for (const field of spec.fields) {
    const value = effect[field.name];
    if (value === undefined) continue;
    if (field.default !== undefined && JSON.stringify(value) === JSON.stringify(field.default)) continue;
    if (!field.required && value === '') continue;
    out[field.name] = value;
  }
  return out;
}

/** Changes an effect to another kind, keeping the fields both have (stops, axis, range) where they still fit. */
export function changeKind(
  effect: Record<string, unknown>,
  kind: Effect['kind'],
  range?: readonly [number, number],
): Effect {
  const next = startingEffect(kind, range) as Record<string, unknown>;
  const spec = effectKind(kind);
  for (const field of spec?.fields ?? []) {
    const old = effect[field.name];
    if (old === undefined) continue;
    if (field.kind.type === 'stops' && (!Array.isArray(old) || old.length < field.kind.min)) continue;
    if (field.kind.type === 'enum' && !field.kind.options.includes(String(old))) continue;
    next[field.name] = structuredClone(old);
  }
  return next as Effect;
}
