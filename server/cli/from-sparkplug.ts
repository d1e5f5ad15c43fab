/**
 * `twin from-sparkplug <broker url>`: listens for Sparkplug B birth certificates for a few seconds and
 * writes a starting twin.json with one signal per device metric (numbers, booleans and text, each
 * shown as what it is from its birth's datatype) and a values panel per device. The twin validates
 * as written; add assets, bindings and rules to it.
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { decodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { parseSparkplugTopic, SPARKPLUG_NAMESPACE } from '../../src/engine/sparkplug';
import type { TwinInput } from '../../src/twin/schema';
import { validateTwin } from '../../src/twin/validate';
import { brokerUrlFlag, numberFlag, UsageError } from '../flags';
import { EXIT_OK, EXIT_PROBLEMS, plural, type CliCommand, type CliIo } from './command';

/** What a birth certificate says: which node/device has which metrics of which type. */
export interface SeenBirth {
  group: string;
  node: string;
  device: string | null;
  metrics: { name: string; type: string }[];
}

const NUMERIC = new Set([
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'DateTime',
]);
const TEXT = new Set(['String', 'Text']);

/** An id level from a Sparkplug name: letters, digits, "_", "-"; anything else becomes "_". */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** A twin id from free text (a folder or group name): id characters only, never empty. */
export function twinIdFrom(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'sparkplug';
}

/**
 * A starting twin from the births seen: one signal per device (or node) metric, and one values
 * panel per device (or node) listing its signals.
 */
export function twinFromBirths(births: SeenBirth[], brokerUrl: string, id = 'sparkplug'): TwinInput {
  const groups = [...new Set(births.map((b) => b.group))].sort();
  const signals: NonNullable<TwinInput['signals']> = [];
  const panels: NonNullable<TwinInput['panels']> = [];
  const seen = new Set<string>();
  for (const b of [...births].sort((x, y) => key(x).localeCompare(key(y)))) {
    const level = b.device === null ? `+/${b.node}` : `+/${b.node}/${b.device}`;
    const panelSignals: string[] = [];
    for (const m of b.metrics) {
      if (m.name === 'bdSeq' || m.name.startsWith('Node Control/') || m.name.startsWith('Properties/')) continue;
      if (!NUMERIC.has(m.type) && !TEXT.has(m.type)) continue;
      const sid = [b.node, b.device, ...m.name.split('/')]
        .filter((p): p is string => p !== null)
        .map(idPart)
        .join('.');
      if (seen.has(sid)) continue;
      seen.add(sid);
      panelSignals.push(sid);
      // No `map` for text metrics: they are shown as text; add one to give states numbers for rules.
      signals.push({
        id: sid,
        topic: `${SPARKPLUG_NAMESPACE}/${b.group}/${level}`,
        decoder: 'sparkplug',
        metric: m.name,
        label: `${b.device ?? b.node} ${m.name}`,
      });
    }
    if (panelSignals.length > 0) {
      panels.push({ kind: 'values', title: b.device ?? `${b.node} (edge node)`, signals: panelSignals });
    }
  }
  return {
    $schema: '../twin.schema.json',
    id,
    title: `Sparkplug: ${groups.join(', ') || 'no groups seen'}`,
    description: `Generated from Sparkplug B birth certificates on ${brokerUrl}. Add assets, bindings and rules.`,
    connection: {
      url: brokerUrl.replace(/^mqtt:/, 'ws:').replace(/^mqtts:/, 'wss:'),
      mqtt: 5,
      subscribe: groups.map((g) => ({ topic: `${SPARKPLUG_NAMESPACE}/${g}/#`, qos: 0 as const })),
      credentials: 'none',
    },
    signals,
    panels,
  } as TwinInput;
}

function key(b: SeenBirth): string {
  return `${b.group}/${b.node}/${b.device ?? ''}`;
}

const HELP = `Usage: npm run twin -- from-sparkplug <broker url> [--seconds S] [--out FILE] [--group G] [--id ID]

Subscribes to spBv1.0/# (or one group) for S seconds (default 5), collects the NBIRTH and DBIRTH
certificates it sees, and writes a starting twin.json with one "sparkplug" signal per metric
(numbers, booleans and text; the dashboard shows each as what its birth says it is) and a values
panel per device. Without --out the twin is printed. The twin's id is --id, else the name of the
folder --out writes into, else the first group's name. Births are sent when an edge node connects:
start this first, or ask the nodes to rebirth. The broker URL may be ws://, wss://, mqtt:// or
mqtts://; the twin gets the ws(s) form of it.`;

export async function fromSparkplug(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seconds: { type: 'string' },
      out: { type: 'string' },
      group: { type: 'string' },
      id: { type: 'string' },
    },
  });
  if (values.id !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values.id)) {
    throw new UsageError(`--id "${values.id}": use letters, digits, "_", "-" and "."`);
  }
  if (positionals.length !== 1) throw new UsageError('name the broker URL');
  const url = brokerUrlFlag('broker', positionals[0], ['ws', 'wss', 'mqtt', 'mqtts']);
  const seconds = numberFlag('seconds', values.seconds, 5, 0.1, 3600);
  const filter = `${SPARKPLUG_NAMESPACE}/${values.group ?? '+'}/+/#`;

  const births = new Map<string, SeenBirth>();
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000 });
  client.on('message', (topic, payload) => {
    const t = parseSparkplugTopic(topic);
    if (!t || (t.type !== 'NBIRTH' && t.type !== 'DBIRTH')) return;
    try {
      const decoded = decodePayload(payload);
      const metrics = (decoded.metrics ?? [])
        .filter((m) => typeof m.name === 'string' && m.name !== '')
        .map((m) => ({ name: m.name as string, type: String(m.type) }));
      const b: SeenBirth = { group: t.group, node: t.node, device: t.device, metrics };
      births.set(key(b), b);
    } catch {
      io.err(`skipped a birth on ${topic} that does not decode`);
    }
  });
  await client.subscribeAsync(filter, { qos: 0 });
  io.err(`listening for Sparkplug births on ${url} (${filter}) for ${seconds} s`);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await client.endAsync();

  const all = [...births.values()];
  if (all.length === 0) {
    io.err(`no Sparkplug births seen on ${url} in ${seconds} s (filter ${filter})`);
    return EXIT_PROBLEMS;
  }
  const id = values.id ?? defaultId(values.out, all);
  const twin = twinFromBirths(all, url, id);
  const check = validateTwin(twin);
  if (!check.ok) {
    for (const p of check.problems) io.err(`generated twin: ${p.path}: ${p.message}`);
    return EXIT_PROBLEMS;
  }
  const text = `${JSON.stringify(twin, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, text);
    io.err(`wrote ${values.out}: ${plural(twin.signals?.length ?? 0, 'signal')} from ${plural(all.length, 'birth')}`);
  } else io.out(text.trimEnd());
  return EXIT_OK;
}

/** models/north-plant/twin.json → "north-plant"; north.json → "north"; printed: the first group. */
function defaultId(out: string | undefined, births: SeenBirth[]): string {
  if (out === undefined) return twinIdFrom(births.map((b) => b.group).sort()[0]);
  const file = basename(out);
  return twinIdFrom(file === 'twin.json' ? basename(dirname(resolve(out))) : file.replace(/\.json$/i, ''));
}

export const fromSparkplugCommand: CliCommand = {
  name: 'from-sparkplug',
  synopsis: '<broker url> [--out FILE]',
  summary: 'write a starting twin.json from the Sparkplug B births seen on a broker',
  help: HELP,
  run: (args, io) => fromSparkplug(args, io),
};
