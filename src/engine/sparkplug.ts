/**
 * Sparkplug B: topics `spBv1.0/<group>/<type>/<edge node>[/<device>]` carrying protobuf payloads
 * (decoded with Eclipse Tahu's sparkplug-payload). Births (NBIRTH/DBIRTH) define the metrics and
 * their aliases; data messages (NDATA/DDATA) may name metrics by alias only and carry only what
 * changed; deaths (NDEATH/DDEATH) make every metric of the node or device invalid; a jump in `seq`
 * (per edge node, 0-255) means messages were lost, so its values are suspect until the next birth.
 *
 * This module keeps that state and turns one message into a name → value table. It never throws for
 * bad input: a payload that does not decode is reported as such.
 */
import { decodePayload, type UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export type SparkplugType = 'NBIRTH' | 'NDATA' | 'NDEATH' | 'DBIRTH' | 'DDATA' | 'DDEATH' | 'NCMD' | 'DCMD' | 'STATE';

export interface SparkplugTopic {
  group: string;
  type: SparkplugType;
  node: string;
  device: string | null;
}

const TYPES = new Set<string>(['NBIRTH', 'NDATA', 'NDEATH', 'DBIRTH', 'DDATA', 'DDEATH', 'NCMD', 'DCMD', 'STATE']);

/** The parts of a Sparkplug B topic, or null when the topic is not one. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== SPARKPLUG_NAMESPACE || parts.length < 4 || parts.length > 5) return null;
  const [, group, type, node, device] = parts;
  if (!TYPES.has(type) || !group || !node) return null;
  const isDevice = type.startsWith('D');
  if (isDevice !== (device !== undefined) || device === '') return null;
  return { group, type: type as SparkplugType, node, device: device ?? null };
}

/** A number from a protobuf 64-bit field: a Long object in Node, a plain number in some browser builds. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  if (value !== null && typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high, unsigned } = value as { low: number; high: number; unsigned?: boolean };
    return (unsigned ? high >>> 0 : high) * 4294967296 + (low >>> 0);
  }
  return NaN;
}

/** One metric as a signal sees it: a number, or text (for states mapped by the signal), and its time. */
export interface MetricValue {
  value: number | string;
  /** The metric's or the payload's timestamp (ms), NaN when neither has one. */
  timestamp: number;
}

export type SparkplugOutcome =
  | { kind: 'birth' | 'data'; key: string; node: string; metrics: Map<string, MetricValue>; seqGap: boolean }
  | { kind: 'death'; key: string; node: string; seqGap: false }
  | { kind: 'ignored' }
  | { kind: 'bad-payload' };

interface NodeState {
  /** Last seq seen from this edge node, -1 before its birth. */
  seq: number;
  /** alias → metric name, per node ("" key) or device. */
  aliases: Map<string, Map<number, string>>;
}

/** Sparkplug's state across messages: aliases per node and device, and each node's sequence. */
export class SparkplugTracker {
  private readonly nodes = new Map<string, NodeState>();

  /** Decodes one message on a Sparkplug topic and updates the state. */
  handle(topic: SparkplugTopic, payload: Uint8Array): SparkplugOutcome {
    if (topic.type === 'NCMD' || topic.type === 'DCMD' || topic.type === 'STATE') return { kind: 'ignored' };
    const nodeKey = `${topic.group}/${topic.node}`;
    const key = topic.device === null ? nodeKey : `${nodeKey}/${topic.device}`;
    let decoded: ReturnType<typeof decodePayload>;
    try {
      decoded = decodePayload(payload);
    } catch {
      return { kind: 'bad-payload' };
    }
    let node = this.nodes.get(nodeKey);
    if (topic.type === 'NBIRTH' || node === undefined) {
      node = { seq: -1, aliases: new Map() };
      this.nodes.set(nodeKey, node);
    }
    if (topic.type === 'NDEATH') {
      // The node and its devices are gone; their aliases stay until the next birth redefines them.
      node.seq = -1;
      return { kind: 'death', key: nodeKey, node: nodeKey, seqGap: false };
    }

    // Sequence: NBIRTH starts it (normally at 0); every later message of the node adds one (mod 256).
    const seq = decoded.seq === undefined || decoded.seq === null ? NaN : toNumber(decoded.seq);
    let seqGap = false;
    if (topic.type === 'NBIRTH') node.seq = Number.isFinite(seq) ? seq : -1;
    else if (Number.isFinite(seq)) {
      seqGap = node.seq < 0 || seq !== (node.seq + 1) % 256;
      node.seq = seq;
    }
    if (topic.type === 'DDEATH') return { kind: 'death', key, node: nodeKey, seqGap: false };

    const aliasKey = topic.device ?? '';
    const isBirth = topic.type === 'NBIRTH' || topic.type === 'DBIRTH';
    let aliases = node.aliases.get(aliasKey);
    if (isBirth || aliases === undefined) {
      aliases = new Map();
      node.aliases.set(aliasKey, aliases);
    }
    const payloadTime =
      decoded.timestamp === undefined || decoded.timestamp === null ? NaN : toNumber(decoded.timestamp);
    const metrics = new Map<string, MetricValue>();
    for (const metric of decoded.metrics ?? []) {
      const alias = metric.alias === undefined || metric.alias === null ? null : toNumber(metric.alias);
      let name = metric.name ?? null;
      if (isBirth && name && alias !== null) aliases.set(alias, name);
      if (!name && alias !== null) name = aliases.get(alias) ?? null;
      if (!name) continue; // an alias no birth defined: unusable until the next birth
      const value = metricValue(metric);
      if (value === null) continue;
      const at = metric.timestamp === undefined || metric.timestamp === null ? payloadTime : toNumber(metric.timestamp);
      metrics.set(name, { value, timestamp: at });
    }
    return { kind: isBirth ? 'birth' : 'data', key, node: nodeKey, metrics, seqGap };
  }
}

function metricValue(metric: UMetric): number | string | null {
  if (metric.isNull) return null;
  const v = metric.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = toNumber(v);
  return Number.isNaN(n) && typeof v === 'object' ? null : n;
}
