/**
 * The twin document ("twin as code"). This zod schema is the single source: the TypeScript types,
 * the load-time validation and the generated `twin.schema.json` all come from it.
 */
// First: no eval under a strict CSP (see the module).
import './zodNoEval';
import { z } from 'zod';
import { DURATION_PATTERN } from '../lib/duration';

const id = z
  .string()
  .regex(/^[A-Za-z0-9_.{}-]+$/, 'use letters, digits, "_", "-", "." (and {capture} in signal ids)')
  .describe('Identifier: letters, digits, "_", "-", "."');
/** Unit conversions a signal may ask for ("from->to"); the arithmetic lives in src/engine/units.ts. */
export const UNIT_CONVERSIONS = [
  '°F->°C',
  '°C->°F',
  'K->°C',
  '°C->K',
  'psi->bar',
  'bar->psi',
  'kPa->bar',
  'bar->kPa',
  'Pa->kPa',
  'mbar->bar',
  'gpm->m³/h',
  'm³/h->l/s',
  'l/s->m³/h',
  'hp->kW',
  'kW->hp',
  'ft->m',
  'in->mm',
  'rad/s->rpm',
  'Hz->rpm',
] as const;
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
    mqtt: z
      .literal([5, '3.1.1'], 'expected 5 or "3.1.1"')
      .default(5)
      .describe('MQTT protocol version: 5 or "3.1.1"; a broker that refuses 5 is connected with 3.1.1'),
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
    session: z
      .enum(['clean', 'persistent'])
      .optional()
      .describe(
        'Default "clean". "persistent": the broker keeps the session (and QoS 1 messages) while the dashboard is away',
      ),
    sessionExpiry: duration
      .optional()
      .describe('MQTT 5, persistent sessions: how long the broker keeps the session after a disconnect (default 1h)'),
    reconnect: z
      .object({
        initial: duration.optional().describe('Wait before the first retry (default 1s)'),
        max: duration.optional().describe('Longest wait between retries (default 30s)'),
      })
      .strict()
      .optional()
      .describe('Reconnect backoff: the wait doubles from initial up to max, with jitter'),
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
    area: z
      .string()
      .min(1)
      .optional()
      .describe('Area of the site this asset stands in; the asset tree groups site > area > asset > equipment'),
    position: vec3.default([0, 0, 0]).describe('Position [x, y, z] in scene units (metres)'),
    rotation: vec3.default([0, 0, 0]).describe('Euler angles in degrees (XYZ)'),
    scale: z.union([z.number().positive(), vec3]).default(1).describe('Scale: one factor for all axes, or [x, y, z]'),
    instances: z
      .lazy(() => instancesSchema)
      .optional()
      .describe('Place the model many times as GPU instances (a field of panels, racks), each with its own signals'),
  })
  .strict();

/** Signals read an HTTP source with the topic "$http/<source id>" (a `$` topic no broker wildcard matches). */
export const HTTP_TOPIC_PREFIX = '$http/';

/** An HTTP endpoint polled periodically; its body goes through the signal decoders like a message. */
export const httpSourceSchema = z
  .object({
    id: id.describe('Source id; signals read it with the topic "$http/<id>"'),
    kind: z.literal('http').describe('Polled over HTTP(S) with GET'),
    url: z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'expected an http:// or https:// URL')
      .refine((u) => !/\/\/[^/]*@/.test(u), 'credentials must not be written in the URL')
      .describe('The endpoint, http:// or https://'),
    every: duration.default('60s').describe('Poll interval ("30s", "5m" or seconds)'),
  })
  .strict();

export const signalSchema = z
  .object({
    id: id.describe('Signal id; may use {name} captured by +name in the topic'),
    topic: z.string().min(1).describe('Topic pattern; "+" or "+name" matches one level, "#" the rest'),
    decoder: z
      .enum(['json', 'number', 'boolean', 'text', 'sparkplug'])
      .default('json')
      .describe('How the payload is read: json, number, boolean, text or sparkplug (Sparkplug B protobuf)'),
    path: z.string().optional().describe('Path into a JSON payload, e.g. "bearing.temp" or "readings[0].value"'),
    label: z.string().optional().describe('Display name; may use {name} captured by +name in the topic'),
    unit: z.string().optional().describe('Unit shown with the value, e.g. "°C"'),
    range: z.tuple([z.number(), z.number()]).optional().describe('Expected [low, high] of the value'),
    period: duration
      .optional()
      .describe('Expected update period ("2s", "500ms" or seconds); used to mark values stale'),
    map: z
      .record(z.string(), z.number())
      .optional()
      .describe('Named states to numbers, e.g. {"RUNNING": 1, "STOPPED": 0}; applied to text values'),
    timestamp: z
      .string()
      .optional()
      .describe("json decoder: path of the reading's own time in the payload; default is arrival time"),
    timestampFormat: z
      .enum(['auto', 'iso', 's', 'ms'])
      .optional()
      .describe(
        'Default "auto". How the timestamp is written: ISO 8601 text, epoch seconds, epoch ms, or auto-detected',
      ),
    convert: z.enum(UNIT_CONVERSIONS).optional().describe('Unit conversion applied to the value, e.g. "°F->°C"'),
    metric: z.string().min(1).optional().describe('sparkplug decoder: the metric name, as in the birth certificate'),
    scale: z.number().optional().describe('The value is multiplied by this (after convert)'),

    offset: z.number().optional().describe('Added to the value (after scale)'),
  })
  .strict()
  .superRefine((signal, ctx) => {
    if (signal.decoder === 'sparkplug' && signal.metric === undefined)
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'the sparkplug decoder needs a metric name' });
    if (signal.metric !== undefined && signal.decoder !== 'sparkplug')
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'metric is for the sparkplug decoder' });
    if (signal.timestamp !== undefined && signal.decoder !== 'json')
      ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'a timestamp path needs the json decoder' });
  });

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
    z
      .object({
        kind: z.literal('rotate'),
        axis: z.enum(['x', 'y', 'z']).default('y').describe('Axis to turn about'),
        range: z.tuple([z.number(), z.number()]).describe('Signal values mapped to the angles'),
        angles: z
          .tuple([z.number(), z.number()])
          .default([0, 90])
          .describe('Angles in degrees, added to the model pose, at the two ends of the range'),
      })
      .strict()
      .describe('Turns the node to an angle given by the value, like a valve handle or a dial'),
    z
      .object({
        kind: z.literal('translate'),
        axis: z.enum(['x', 'y', 'z']).default('y').describe('Axis to move along (in the parent node)'),
        range: z.tuple([z.number(), z.number()]).describe('Signal values mapped to the distances'),
        distance: z
          .tuple([z.number(), z.number()])
          .describe('Offsets in scene units (metres), added to the model pose, at the two ends of the range'),
      })
      .strict()
      .describe('Moves the node along an axis, like a lift, a piston or a valve stem'),
    z
      .object({
        kind: z.literal('label'),
        text: z.string().optional().describe("Text before the value; the signal's label when absent"),
        offset: vec3
          .optional()
          .describe(
            "Where the label sits, from the top of the node [x, y, z] in metres; by default just above it (3% of the scene's size)",
          ),
      })
      .strict()
      .describe('A text label with the value and unit that faces the camera'),
  ])
  .describe('What the signal does to the node');

/** Effects an instanced asset can show per instance (colour and visibility live in per-instance buffers). */
export const INSTANCE_EFFECTS = ['colorThresholds', 'colorRamp', 'visible'] as const;

export const instancesSchema = z
  .object({
    rows: z.number().int().positive().describe('Rows of the grid (along z)'),
    columns: z.number().int().positive().describe('Columns of the grid (along x)'),
    spacing: z
      .tuple([z.number().positive(), z.number().positive()])
      .describe('Distance between columns (x) and rows (z), in scene units; the grid is centred on the asset'),
    key: z
      .string()
      .min(1)
      .default('r{row}c{column}')
      .describe('Name of each instance from {row} and {column} (from 0); selection paths are "<asset>/<key>"'),
    colorNode: z
      .string()
      .optional()
      .describe('glTF node of the model that takes the colour effects; every mesh when absent'),
    bindings: z
      .array(
        z
          .object({
            signal: z
              .string()
              .min(1)
              .describe(
                'Signal id per instance; {instance}, {row} and {column} are filled in, e.g. "{instance}.power"',
              ),
            effect: z.lazy(() =>
              effectSchema.refine(
                (e) => (INSTANCE_EFFECTS as readonly string[]).includes(e.kind),
                `instanced assets support the effects ${INSTANCE_EFFECTS.join(', ')}`,
              ),
            ),
          })
          .strict(),
      )
      .default([])
      .describe('Bindings applied to every instance, each with its own signal'),
  })
  .strict();

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

export const guidanceSchema = z
  .object({
    cause: z.string().optional().describe('Likely cause, as the alarm rationalisation records it'),
    consequence: z.string().optional().describe('What happens if nobody acts'),
    action: z.string().optional().describe('Corrective action for the operator'),
    command: z.string().optional().describe('Id of a command offered as the suggested action'),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: id.describe('Rule id; also the alarm id'),
    kind: z
      .enum(['condition', 'anomaly', 'forecast'])
      .default('condition')
      .describe('condition (an expression in "when"), anomaly (EWMA band on a signal) or forecast (time to a limit)'),
    when: z
      .string()
      .min(1)
      .optional()
      .describe('Condition expression for kind "condition", e.g. "pump1.temp > 95" (see docs/rules-and-alarms.md)'),
    signal: z.string().optional().describe('Signal watched by an anomaly or forecast rule'),
    sigmas: z.number().positive().default(4).describe('Anomaly: deviations from the EWMA mean that raise'),
    alpha: z.number().gt(0).lte(1).default(0.1).describe('Anomaly: EWMA smoothing factor (0..1]'),
    warmup: z.number().int().nonnegative().default(30).describe('Anomaly: samples before it may raise'),
    limit: z.number().optional().describe('Forecast: the limit whose crossing is predicted'),
    direction: z.enum(['rising', 'falling']).default('rising').describe('Forecast: which way the limit is crossed'),
    window: duration.optional().describe('Forecast: span of the linear trend ("10m")'),
    horizon: duration.optional().describe('Forecast: raise when the limit is predicted within this time ("30m")'),
    for: duration.optional().describe('On-delay: the condition must hold this long ("5s", "500ms" or seconds)'),
    offDelay: duration.optional().describe('Off-delay: the condition must be gone this long before the alarm clears'),
    deadband: z.number().nonnegative().default(0).describe('Hysteresis before the alarm clears'),
    priority: prioritySchema.default('medium').describe('Alarm priority: low, medium, high or urgent'),
    message: z.string().min(1).describe('Alarm text shown to the operator; a forecast may use {eta}'),
    asset: z.string().optional().describe('Scene node the alarm belongs to ("<asset id>/<node>")'),
    latch: z.boolean().default(false).describe('Latched: stays until an operator resets it after it cleared'),
    suppressWhen: z
      .string()
      .min(1)
      .optional()
      .describe('Suppression by design: no alarm while this expression holds (e.g. "pump1.running == 0")'),
    guidance: guidanceSchema.optional().describe('Operator guidance shown with the alarm'),
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

/** A value the operator fills in before a command is sent, with its limits. */
export const commandParamSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: id.describe('Parameter id; the payload uses it as "{id}"'),
      label: z.string().optional().describe('What the operator is asked for; the id when absent'),
      kind: z.literal('number'),
      min: z.number().optional().describe('Smallest value allowed'),
      max: z.number().optional().describe('Largest value allowed'),
      step: z.number().positive().optional().describe('Values must be a multiple of this (1 for whole numbers)'),
      unit: z.string().optional().describe('Unit shown beside the input, e.g. "%"'),
      default: z.number().optional().describe('Value the input starts with'),
    })
    .strict()
    .describe('A number with optional limits'),
  z
    .object({
      id: id.describe('Parameter id; the payload uses it as "{id}"'),
      label: z.string().optional().describe('What the operator is asked for; the id when absent'),
      kind: z.literal('enum'),
      values: z.array(z.string().min(1)).min(1).describe('The choices, sent as written'),
      default: z.string().optional().describe('Choice the input starts with; the first when absent'),
    })
    .strict()
    .describe('One of a list of words'),
  z
    .object({
      id: id.describe('Parameter id; the payload uses it as "{id}"'),
      label: z.string().optional().describe('What the operator is asked for; the id when absent'),
      kind: z.literal('boolean'),
      default: z.boolean().default(false).describe('Value the checkbox starts with'),
    })
    .strict()
    .describe('true or false (a checkbox)'),
]);

/** How a command's reply from the device is recognised (docs/twin-format.md#commands). */
export const commandReplySchema = z
  .object({
    via: z
      .enum(['response-topic', 'topic'])
      .describe(
        'response-topic: MQTT 5 Response Topic and Correlation Data; topic: a reply topic (MQTT 3.1.1 devices)',
      ),
    topic: z
      .string()
      .min(1)
      .refine((t) => !/[+#]/.test(t), 'a reply topic cannot contain wildcards (use {capture} from the command id)')
      .optional()
      .describe(
        "via topic: where the device answers, may use the id's {captures}; via response-topic: the Response " +
          'Topic sent (default: one per dashboard under twinview/v1/<twin>/responses/)',
      ),
    match: z
      .string()
      .min(1)
      .optional()
      .describe('via topic: the reply field that carries the request id (the payload sends it as "{requestId}")'),
    ok: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Reply field that says whether the device did it (true: confirmed, false: rejected); absent: any reply confirms',
      ),
    reason: z.string().min(1).optional().describe("Reply field with the device's reason for a rejection"),
  })
  .strict();

export const COMMAND_MODES = ['kiosk', 'embed'] as const;

export const commandSchema = z
  .object({
    id: id.describe('Command id; may use captures ("{pump}.start") filled from a part\'s signal or a suggestion'),
    label: z.string().describe('What the command is called, may use the id\'s {captures} ("Start {pump}")'),
    topic: z
      .string()
      .min(1)
      .refine((t) => !/[+#]/.test(t), 'a command topic cannot contain wildcards')
      .describe("Topic to publish to (no wildcards); may use the id's {captures}"),
    payload: z
      .unknown()
      .describe('Message to publish (any JSON value); strings may use {captures}, {parameters} and {requestId}'),
    params: z.array(commandParamSchema).default([]).describe('Values the operator fills in, with their limits'),
    node: z
      .string()
      .regex(/^[^/]+\/.+$/, 'expected "<asset id>/<node name>"')
      .optional()
      .describe('Scene node whose inspector offers the command ("<asset id>/<node>")'),
    qos: z
      .literal([0, 1], 'expected 0 or 1')
      .default(1)
      .describe('MQTT QoS of the publish; 1: the broker acknowledges it'),
    confirm: z
      .boolean()
      .default(true)
      .describe('Ask the operator to confirm (showing topic and payload) before sending'),
    reply: commandReplySchema
      .optional()
      .describe("How the device's reply is recognised; absent: the broker's acknowledgement confirms"),
    timeout: duration.default('10s').describe('How long to wait for the reply before the command is marked timed out'),
    modes: z
      .array(z.enum(COMMAND_MODES))
      .default([])
      .describe('Screens besides the operator\'s that may send it: "kiosk", "embed" (default: none)'),
  })
  .strict();

/** The wall display (`?mode=kiosk`): which views it cycles through and how long an alarm holds the screen. */
export const kioskSchema = z
  .object({
    playlist: z
      .array(id)
      .min(1)
      .optional()
      .describe('View ids the kiosk cycles through, in order (default: every view of the twin)'),
    cycle: duration.default('30s').describe('How long the kiosk shows each view of the playlist'),
    takeover: duration
      .default('30s')
      .describe('How long a new high or urgent alarm holds the screen before the playlist resumes'),
  })
  .strict();

/** The embedded dashboard (`?mode=embed`): what the host page may do through the postMessage API. */
export const embedSchema = z
  .object({
    hostMayAcknowledge: z
      .boolean()
      .default(false)
      .describe('Whether the embedding page may acknowledge alarms (an "acknowledge" message); default false'),
  })
  .strict();

export const twinSchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema for editors, e.g. "../twin.schema.json"'),
    id: id.describe('Twin id; best the name of its folder (the folder is what ?twin= opens)'),
    title: z.string().min(1).describe('Display name of the twin'),
    description: z.string().optional().describe('A sentence or two about the twin'),
    connection: connectionSchema,
    assets: z.array(assetSchema).default([]).describe('glTF models placed in the scene'),
    signals: z.array(signalSchema).default([]).describe('Values and the topics they come from'),
    bindings: z.array(bindingSchema).default([]).describe('Signal -> scene node -> visual effect'),
    rules: z.array(ruleSchema).default([]).describe('Conditions over signals that raise alarms'),
    views: z.array(viewSchema).default([]).describe('Camera presets; the first is the initial view'),
    panels: z.array(panelSchema).default([]).describe('Trend and value panels'),
    commands: z
      .array(commandSchema)
      .default([])
      .describe('Messages an operator may publish back to the plant, with parameters, confirmation and reply'),
    sources: z
      .array(httpSourceSchema)
      .default([])
      .describe('HTTP endpoints polled for slow data; signals read them with the topic "$http/<source id>"'),
    kiosk: kioskSchema.optional().describe('The wall display (?mode=kiosk): a playlist of views and alarm takeover'),
    embed: embedSchema.optional().describe('The embedded dashboard (?mode=embed): what the host page may do'),
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
export type Guidance = z.output<typeof guidanceSchema>;
export type View = Twin['views'][number];
export type Panel = Twin['panels'][number];
export type Command = Twin['commands'][number];
export type CommandParam = Command['params'][number];
export type CommandReply = NonNullable<Command['reply']>;
export type Kiosk = NonNullable<Twin['kiosk']>;
export type ColorSpec = z.output<typeof colorSchema>;
