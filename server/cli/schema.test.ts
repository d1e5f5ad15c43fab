import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, caseInsensitive, renderTwinJsonSchema, schemaFileState, twinJsonSchema } from './schema';

const demoFile = new URL('../../models/pump-station/twin.json', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const demo = (): Doc => JSON.parse(readFileSync(demoFile, 'utf8'));

type Schema = Record<string, unknown>;
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default']);

/**
 * A plain JSON Schema (draft-07) check, written for these tests: just the keywords the generated
 * schema uses. An unknown keyword fails loudly, so a change in zod's output cannot slip through unchecked.
 * Returns the JSON paths of the values that fail.
 */
function check(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  for (const [key, rule] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    switch (key) {
      case 'type': {
        const types = Array.isArray(rule) ? rule : [rule];
        const actual =
          value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
        const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
        if (!ok) return [`${path}: expected ${types.join('|')}`];
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).includes(value)) fail(`not one of ${JSON.stringify(rule)}`);
        break;
      case 'const':
        if (value !== rule) fail(`not ${JSON.stringify(rule)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(rule as string, 'u').test(value)) fail(`does not match ${rule}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < (rule as number)) fail('too short');
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (rule as number)) fail('too small');
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (rule as number)) fail('too small');
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (rule as number)) fail('too large');
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (rule as number)) fail('too few items');
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > (rule as number)) fail('too many items');
        break;
      case 'items':
        if (Array.isArray(value)) {
          value.forEach((item, i) => {
            const itemSchema = Array.isArray(rule) ? (rule[i] as Schema | undefined) : (rule as Schema);
            if (itemSchema) errors.push(...check(itemSchema, item, `${path}[${i}]`));
          });
        }
        break;
      case 'additionalItems':
        if (
          rule === false &&
          Array.isArray(value) &&
          Array.isArray(schema.items) &&
          value.length > schema.items.length
        ) {
          fail('too many items');
        }
        break;
      case 'properties':
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          for (const [name, sub] of Object.entries(rule as Record<string, Schema>)) {
            if (name in value) errors.push(...check(sub, (value as Record<string, unknown>)[name], `${path}.${name}`));
          }
        }
        break;
      case 'required':
        if (typeof value === 'object' && value !== null) {
          for (const name of rule as string[]) if (!(name in value)) errors.push(`${path}.${name}: required`);
        }
        break;
      case 'additionalProperties':
        if (rule === false && typeof value === 'object' && value !== null) {
          const known = Object.keys((schema.properties as object | undefined) ?? {});
          for (const name of Object.keys(value)) if (!known.includes(name)) errors.push(`${path}.${name}: not allowed`);
        }
        break;
      case 'anyOf':
      case 'oneOf': {
        const results = (rule as Schema[]).map((sub) => check(sub, value, path));
        const passing = results.filter((r) => r.length === 0).length;
        if (key === 'anyOf' ? passing === 0 : passing !== 1) {
          // Like an editor: report the option that got furthest (fewest errors).
          const best = results.reduce((a, b) => (b.length < a.length ? b : a));
          errors.push(...(passing > 1 ? [`${path}: matches ${passing} options`] : best));
        }
        break;
      }
      default:
        throw new Error(`the ad-hoc checker does not know the keyword "${key}" (at ${path})`);
    }
  }
  return errors;
}

describe('models/twin.schema.json', () => {
  const schema = twinJsonSchema();

  it('is up to date with src/twin/schema.ts', async () => {
    expect(await schemaFileState()).toBe('current');
  });

  it('is written exactly as the generator formats it (deterministic, Prettier-formatted)', async () => {
    const first = await renderTwinJsonSchema();
    expect(await renderTwinJsonSchema()).toBe(first);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(first);
  });

  it('is a draft-07 schema with an id and a title, for editors', () => {
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: expect.any(String),
      title: expect.any(String),
      type: 'object',
      additionalProperties: false,
    });
  });

  it('accepts the demo twin', () => {
    expect(check(schema, demo())).toEqual([]);
  });

  it('makes fields with defaults optional, and keeps defaults and descriptions', () => {
    const props = schema.properties as Record<string, Schema>;
    expect(schema.required).toEqual(['id', 'title', 'connection']);
    const connection = props.connection as { required: string[]; properties: Record<string, Schema> };
    expect(connection.required).toEqual(['url', 'subscribe']);
    expect(connection.properties.mqtt.default).toBe(5);
    expect(connection.properties.url.description).toMatch(/ws:\/\/ or wss:\/\//);
    expect(connection.properties.keepalive).not.toHaveProperty('maximum');
  });

  it.each<[string, (d: Doc) => void, string]>([
    ['a missing title', (d) => delete d.title, '$.title: required'],
    ['an http:// broker URL', (d) => (d.connection.url = 'http://x'), '$.connection.url: does not match'],
    ['an unknown field', (d) => (d.assets[0].colour = 'red'), '$.assets[0].colour: not allowed'],
    [
      'an unknown effect kind',
      (d) => (d.bindings[0].effect.kind = 'blink'),
      '$.bindings[0].effect.kind: not "colorThresholds"',
    ],
    ['a bad duration', (d) => (d.rules[0].for = '5 sec'), '$.rules[0].for: does not match'],
    ['a bad colour', (d) => (d.bindings[0].effect.stops[0][1] = 'red'), '$.bindings[0].effect.stops[0][1]'],
    ['a short position', (d) => (d.assets[0].position = [1, 2]), '$.assets[0].position: too few items'],
    ['QoS 2', (d) => (d.connection.subscribe = [{ topic: 'a/#', qos: 2 }]), '$.connection.subscribe[0]'],
  ])('rejects %s, like the validator', (_name, change, expected) => {
    const doc = demo();
    change(doc);
    expect(check(schema, doc).join('\n')).toContain(expected);
  });

  it('accepts model file extensions in any case, as the validator does', () => {
    const doc = demo();
    doc.assets[0].model = 'models/Station.GLB';
    expect(check(schema, doc)).toEqual([]);
  });
});

describe('docs/twin-format.md', () => {
  it('documents every field of the format', () => {
    const doc = readFileSync(new URL('../../docs/twin-format.md', import.meta.url), 'utf8');
    const fields = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as Schema).properties as Record<string, unknown> | undefined;
      for (const name of Object.keys(properties ?? {})) fields.add(name);
      Object.values(node).forEach(walk);
    };
    walk(twinJsonSchema());
    expect(fields.size).toBeGreaterThan(40);
    // As `name`, or as the last part of a dotted name such as `camera.target`.
    const missing = [...fields].filter((name) => !doc.includes(`\`${name}\``) && !doc.includes(`.${name}\``));
    expect(missing).toEqual([]);
  });
});

describe('schemaFileState', () => {
  it('tells a missing, a stale and a current file apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-schema-'));
    const file = join(dir, 'twin.schema.json');
    return (async () => {
      expect(await schemaFileState(file)).toBe('missing');
      writeFileSync(file, JSON.stringify({ ...twinJsonSchema(), title: 'old' }));
      expect(await schemaFileState(file)).toBe('stale');
      writeFileSync(file, '{ not json');
      expect(await schemaFileState(file)).toBe('stale');
      writeFileSync(file, JSON.stringify(twinJsonSchema()));
      expect(await schemaFileState(file)).toBe('current');
    })();
  });
});

describe('caseInsensitive', () => {
  it('spells out both cases of letters outside escapes', () => {
    expect(caseInsensitive('\\.(glb|gltf)$')).toBe('\\.([gG][lL][bB]|[gG][lL][tT][fF])$');
    expect(caseInsensitive('^\\s[^\\\\]')).toBe('^\\s[^\\\\]');
    expect(caseInsensitive('[a-c_]x')).toBe('[a-cA-C_][xX]');
    expect(caseInsensitive('[^q]')).toBe('[^qQ]');
    for (const text of ['Station.GLB', 'a.gltf', 'x.Glb']) {
      expect(new RegExp(caseInsensitive('^[^\\s/\\\\][^\\\\]*\\.(glb|gltf)$')).test(text)).toBe(true);
    }
  });
});
