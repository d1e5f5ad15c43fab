/**
 * The twin document ("twin as code"). This zod schema is the single source: the TypeScript types,
 * the load-time validation and the generated `twin.schema.json` all come from it.
 */
import { z } from 'zod';
import { isDuration } from '../lib/duration';

const id = z
  .string()
  .regex(/^[A-Za-z0-9_.{}-]+$/, 'use letters, digits, "_", "-", "." (and {capture} in signal ids)')
  .describe('Identifier: letters, digits, "_", "-", "."');
const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const duration = z
  .union([z.string(), z.number().nonnegative()])
  .refine(isDuration, 'expected a duration such as "500ms", "5s", "2m" or a number of seconds')
  .describe('Duration: "500ms", "5s", "2m", "1h" or seconds as a number');

/** A named colour state of the ISA-101 palette, or a CSS hex colour. */
export const colorSchema = z
  .union([
    z.enum(['normal', 'warning', 'alarm', 'critical', 'info', 'off']),
    z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a state name or a colour like "#ff8800"'),
  ])
  .describe('A state name (normal, warning, alarm, critical, info, off) or "#rrggbb"');

export const connectionSchema = z
  .object({
    url: z
      .string()
      .regex(/^wss?:\/\/[^\s]+$/, 'expected a ws:// or wss:// URL')
      .refine((u) => !/\/\/[^/]*@/.test(u), 'credentials must not be written in the URL')
      .describe('Broker WebSocket URL, ws:// or wss://'),
    mqtt: z
      .union([z.literal(5), z.literal('3.1.1')])
      .default(5)
      .describe('MQTT protocol version: 5 or "3.1.1"'),
    subscribe: z
      .array(
        z.union([
          z.string().min(1),
          z.object({ topic: z.string().min(1), qos: z.union([z.literal(0), z.literal(1)]).default(0) }).strict(),
        ]),
      )
      .min(1, 'subscribe to at least one topic filter')
      .describe('Topic filters to subscribe to (MQTT wildcards + and # allowed)'),
    credentials: z
      .enum(['none', 'prompt', 'host'])
      .default('none')
      .describe('How credentials are obtained: none, asked at start (prompt), or given by the embedding host'),
    clientId: z.string().min(1).optional().describe('Fixed client id; default is generated per browser'),
    keepalive: z.number().int().positive().default(30).describe('Keepalive in seconds'),
  })
  .strict();

export const assetSchema = z
  .object({
    id,
    model: z
      .string()
      .regex(/^[^\s/\\][^\\]*\.(glb|gltf)$/i, 'expected a relative path to a .glb or .gltf file')
      .refine((p) => !p.split('/').includes('..'), 'model paths may not leave the twin folder'),
    label: z.string().optional(),
    position: vec3.default([0, 0, 0]),
    rotation: vec3.default([0, 0, 0]).describe('Euler angles in degrees (XYZ)'),
    scale: z.union([z.number().positive(), vec3]).default(1),
  })
  .strict();

export const signalSchema = z
  .object({
    id: id.describe('Signal id; may use {name} captured by +name in the topic'),
    topic: z.string().min(1).describe('Topic pattern; "+" or "+name" matches one level, "#" the rest'),
    decoder: z.enum(['json', 'number', 'boolean', 'text']).default('json'),
    path: z
      .string()
      .optional()
      .describe('Path into a JSON payload, e.g. "bearing.temp" or "readings[0].value"'),
    label: z.string().optional(),
    unit: z.string().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
    period: duration.optional().describe('Expected update period; used to mark values stale'),
  })
  .strict();

const colorStop = z.tuple([z.number(), colorSchema]);

export const effectSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('colorThresholds'),
      stops: z.array(colorStop).min(1).describe('[value, colour]: from this value upwards, this colour'),
      below: colorSchema.default('normal').describe('Colour below the first stop'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('colorRamp'),
      stops: z.array(colorStop).min(2).describe('[value, colour] points, interpolated between'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('spin'),
      axis: z.enum(['x', 'y', 'z']).default('y'),
      rpmPerUnit: z.number().default(1).describe('Revolutions per minute per unit of the signal'),
      maxRpm: z.number().positive().default(120).describe('Drawn speed limit, so fast rotors stay readable'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('scale'),
      axis: z.enum(['x', 'y', 'z']).default('y'),
      range: z.tuple([z.number(), z.number()]).describe('Signal values mapped to scale 0..1'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('visible'),
      when: z.enum(['truthy', 'falsy']).default('truthy'),
    })
    .strict(),
]);

export const bindingSchema = z
  .object({
    signal: z.string().min(1),
    node: z.string().regex(/^[^/]+\/.+$/, 'expected "<asset id>/<node name>"'),
    effect: effectSchema,
  })
  .strict();

export const prioritySchema = z.enum(['low', 'medium', 'high', 'urgent']);

export const ruleSchema = z
  .object({
    id,
    when: z.string().min(1).describe('Condition, e.g. "pump1.temp > 95"'),
    for: duration.optional().describe('On-delay: the condition must hold this long'),
    deadband: z.number().nonnegative().default(0).describe('Hysteresis before the alarm clears'),
    priority: prioritySchema.default('medium'),
    message: z.string().min(1),
    asset: z.string().optional().describe('Scene node the alarm belongs to ("<asset id>/<node>")'),
  })
  .strict();

export const viewSchema = z
  .object({
    id,
    label: z.string().optional(),
    camera: z.object({ position: vec3, target: vec3 }).strict(),
  })
  .strict();

export const panelSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('trend'),
      title: z.string(),
      signals: z.array(z.string()).min(1),
      window: duration.default('5m'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('values'),
      title: z.string(),
      signals: z.array(z.string()).min(1),
    })
    .strict(),
]);

export const commandSchema = z
  .object({
    id,
    label: z.string(),
    topic: z.string().min(1).refine((t) => !/[+#]/.test(t), 'a command topic cannot contain wildcards'),
    payload: z.unknown(),
    confirm: z.boolean().default(true),
  })
  .strict();

export const twinSchema = z
  .object({
    $schema: z.string().optional(),
    id: id.describe('Twin id; also the folder name under models/'),
    title: z.string().min(1),
    description: z.string().optional(),
    connection: connectionSchema,
    assets: z.array(assetSchema).default([]),
    signals: z.array(signalSchema).default([]),
    bindings: z.array(bindingSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    views: z.array(viewSchema).default([]),
    panels: z.array(panelSchema).default([]),
    commands: z.array(commandSchema).default([]),
  })
  .strict();

export type Twin = z.output<typeof twinSchema>;
export type TwinInput = z.input<typeof twinSchema>;
export type Connection = Twin['connection'];
export type Asset = Twin['assets'][number];
export type SignalDef = Twin['signals'][number];
export type Binding = Twin['bindings'][number];
export type Effect = Binding['effect'];
export type Rule = Twin['rules'][number];
export type Priority = z.output<typeof prioritySchema>;
export type View = Twin['views'][number];
export type Panel = Twin['panels'][number];
export type Command = Twin['commands'][number];
export type ColorSpec = z.output<typeof colorSchema>;
