/**
 * The twin document ("twin as code"). This zod schema is the single source: the TypeScript types,
 * the load-time validation and the generated `twin.schema.json` all come from it.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../lib/duration';

const id = z
  .string()
  .regex(/^[A-Za-z0-9_.{}-]+$/, 'use letters, digits, "_", "-", "." (and {capture} in signal ids)')
  .describe('Identifier: letters, digits, "_", "-", "."');
const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const durationMessage = 'expected a duration such as "500ms", "5s", "2m", "1h" or a number of seconds';
const duration = z
  .union([z.string().regex(DURATION_PATTERN, durationMessage), z.number().nonnegative(durationMessage)])
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
    mqtt: z.literal([5, '3.1.1'], 'expected 5 or "3.1.1"').default(5).describe('MQTT protocol version: 5 or "3.1.1"'),
    subscribe: z
      .array(
        z.union([
          z.string().min(1).describe('Topic filter'),
          z
            .object({
              topic: z.string().min(1).describe('Topic filter'),
              qos: z.literal([0, 1], 'expected QoS 0 or 1').default(0).describe('Subscription QoS: 0 or 1'),
            })
            .strict(),
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
  .strict()
  .describe('The MQTT broker and the topics to subscribe to');

export const assetSchema = z
  .object({
    id: id.describe('Asset id; scene nodes are addressed as "<asset id>/<glTF node name>"'),
    model: z
      .string()
      .regex(/^[^\s/\\][^\\]*\.(glb|gltf)$/i, 'expected a relative path to a .glb or .gltf file')
      .refine((p) => !p.split('/').includes('..'), 'model paths may not leave the twin folder')
      .describe('Path of a .glb or .gltf file, relative to the twin folder'),
    label: z.string().optional().describe('Display name'),
    position: vec3.default([0, 0, 0]).describe('Position [x, y, z] in scene units (metres)'),
    rotation: vec3.default([0, 0, 0]).describe('Euler angles in degrees (XYZ)'),
    scale: z.union([z.number().positive(), vec3]).default(1).describe('Scale: one factor for all axes, or [x, y, z]'),
  })
  .strict();

export const signalSchema = z
  .object({
    id: id.describe('Signal id; may use {name} captured by +name in the topic'),
    topic: z.string().min(1).describe('Topic pattern; "+" or "+name" matches one level, "#" the rest'),
    decoder: z
      .enum(['json', 'number', 'boolean', 'text'])
      .default('json')
      .describe('How the payload is read: json, number, boolean or text'),
    path: z.string().optional().describe('Path into a JSON payload, e.g. "bearing.temp" or "readings[0].value"'),
    label: z.string().optional().describe('Display name; may use {name} captured by +name in the topic'),
    unit: z.string().optional().describe('Unit shown with the value, e.g. "°C"'),
    range: z.tuple([z.number(), z.number()]).optional().describe('Expected [low, high] of the value'),
    period: duration
      .optional()
      .describe('Expected update period ("2s", "500ms" or seconds); used to mark values stale'),
  })
  .strict();

const colorStop = z.tuple([z.number(), colorSchema]);

export const effectSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('colorThresholds'),
        stops: z.array(colorStop).min(1).describe('[value, colour]: from this value upwards, this colour'),
        below: colorSchema.default('normal').describe('Colour below the first stop'),
      })
      .strict()
      .describe('Colours the node by the highest stop the value has reached'),
    z
      .object({
        kind: z.literal('colorRamp'),
        stops: z.array(colorStop).min(2).describe('[value, colour] points, interpolated between'),
      })
      .strict()
      .describe('Colours the node with a colour blended between stops'),
    z
      .object({
        kind: z.literal('spin'),
        axis: z.enum(['x', 'y', 'z']).default('y').describe('Axis to spin around'),
        rpmPerUnit: z.number().default(1).describe('Revolutions per minute per unit of the signal'),
        maxRpm: z.number().positive().default(120).describe('Drawn speed limit, so fast rotors stay readable'),
      })
      .strict()
      .describe('Spins the node at a speed given by the value'),
    z
      .object({
        kind: z.literal('scale'),
        axis: z.enum(['x', 'y', 'z']).default('y').describe('Axis to scale'),
        range: z.tuple([z.number(), z.number()]).describe('Signal values mapped to scale 0..1'),
      })
      .strict()
      .describe('Scales the node along one axis, like a fill level'),
    z
      .object({
        kind: z.literal('visible'),
        when: z
          .enum(['truthy', 'falsy'])
          .default('truthy')
          .describe('Shown when the value is non-zero (truthy) or zero (falsy)'),
      })
      .strict()
      .describe('Shows or hides the node'),
  ])
  .describe('What the signal does to the node');

export const bindingSchema = z
  .object({
    signal: z.string().min(1).describe('Concrete signal id, e.g. "pump1.temp" for a signal "{pump}.temp"'),
    node: z
      .string()
      .regex(/^[^/]+\/.+$/, 'expected "<asset id>/<node name>"')
      .describe('Scene node: "<asset id>/<glTF node name>"'),
    effect: effectSchema,
  })
  .strict();

export const prioritySchema = z.enum(['low', 'medium', 'high', 'urgent']);

export const ruleSchema = z
  .object({
    id: id.describe('Rule id; also the alarm id'),
    when: z.string().min(1).describe('Condition, e.g. "pump1.temp > 95"'),
    for: duration.optional().describe('On-delay: the condition must hold this long ("5s", "500ms" or seconds)'),
    deadband: z.number().nonnegative().default(0).describe('Hysteresis before the alarm clears'),
    priority: prioritySchema.default('medium').describe('Alarm priority: low, medium, high or urgent'),
    message: z.string().min(1).describe('Alarm text shown to the operator'),
    asset: z.string().optional().describe('Scene node the alarm belongs to ("<asset id>/<node>")'),
  })
  .strict();

export const viewSchema = z
  .object({
    id: id.describe('View id'),
    label: z.string().optional().describe('Display name; the id when absent'),
    camera: z
      .object({
        position: vec3.describe('Camera position [x, y, z]'),
        target: vec3.describe('Point the camera looks at [x, y, z]'),
      })
      .strict(),
  })
  .strict();

export const panelSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('trend'),
      title: z.string().describe('Panel title'),
      signals: z.array(z.string()).min(1).describe('Concrete signal ids to draw'),
      window: duration.default('5m').describe('Time span shown ("5m", "1h" or seconds)'),
    })
    .strict()
    .describe('A chart of recent values'),
  z
    .object({
      kind: z.literal('values'),
      title: z.string().describe('Panel title'),
      signals: z.array(z.string()).min(1).describe('Concrete signal ids to list'),
    })
    .strict()
    .describe('A table of current values'),
]);

export const commandSchema = z
  .object({
    id: id.describe('Command id'),
    label: z.string().describe('Button text'),
    topic: z
      .string()
      .min(1)
      .refine((t) => !/[+#]/.test(t), 'a command topic cannot contain wildcards')
      .describe('Topic to publish to (no wildcards)'),
    payload: z.unknown().describe('Message to publish (any JSON value)'),
    confirm: z.boolean().default(true).describe('Ask the operator to confirm before publishing'),
  })
  .strict();

export const twinSchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema for editors, e.g. "../twin.schema.json"'),
    id: id.describe('Twin id; also the folder name under models/'),
    title: z.string().min(1).describe('Display name of the twin'),
    description: z.string().optional().describe('A sentence or two about the twin'),
    connection: connectionSchema,
    assets: z.array(assetSchema).default([]).describe('glTF models placed in the scene'),
    signals: z.array(signalSchema).default([]).describe('Values and the topics they come from'),
    bindings: z.array(bindingSchema).default([]).describe('Signal -> scene node -> visual effect'),
    rules: z.array(ruleSchema).default([]).describe('Conditions over signals that raise alarms'),
    views: z.array(viewSchema).default([]).describe('Camera presets; the first is the initial view'),
    panels: z.array(panelSchema).default([]).describe('Trend and value panels'),
    commands: z.array(commandSchema).default([]).describe('Messages the operator may publish'),
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
