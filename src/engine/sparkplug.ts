/**
 * Sparkplug B: topics `spBv1.0/<group>/<type>/<edge node>[/<device>]` carrying protobuf payloads
 * (decoded with Eclipse Tahu's sparkplug-payload). Births (NBIRTH/DBIRTH) define the metrics, their
 * aliases and datatypes; data messages (NDATA/DDATA) may name metrics by alias only, without a
 * datatype (Sparkplug 3.0: they should not repeat it), and carry only what changed; deaths
 * (NDEATH/DDEATH) make every metric of the node or device invalid, an NDEATH only when its bdSeq is
 * the one of the node's current NBIRTH; a jump in `seq` (per edge node, 0-255) means messages were
 * lost, so its values are suspect until the next birth.
 *
 * This module keeps that state and turns one message into a name → value table. It reads the
 * protobuf message itself (Tahu's `decodePayload` converts values without the birth's datatype)
 * and never throws for bad input: a payload that does not decode is reported as such.
 */
import Long from 'long';
import * as protobufModule from 'protobufjs/minimal';
import * as protoModule from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { KIND_BOOLEAN, KIND_INTEGER, KIND_NUMBER, KIND_TEXT, MAX_TEXT_CHARS } from './protocol';

/** A CommonJS module through an ESM import: bundlers give its exports, Node's loader its `default`. */
function cjs<T extends object>(ns: T, key: string): T {
  return key in ns ? ns : (ns as unknown as { default: T }).default;
}

// Without Long, protobufjs reads 64-bit fields as JavaScript numbers, which cannot hold a negative
// Int64's two's complement (-5 arrives as 2^64 - 5, rounded to 2^64, ~1.8e19). In Node it finds the
// `long` package by itself; a browser bundle needs to be told.
const protobuf = cjs(protobufModule, 'util');
if (!protobuf.util.Long) {
  protobuf.util.Long = Long;
  protobuf.configure();
}
const Payload = cjs(protoModule, 'org').org.eclipse.tahu.protobuf.Payload;
type ProtoMetric = protoModule.org.eclipse.tahu.protobuf.Payload.IMetric;

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

/** Sparkplug B datatypes (Tahu's DataType enum) that carry a single value. */
export const DATATYPE = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
} as const;

const TWO_32 = 4294967296;
const TWO_64 = 18446744073709551616;

/**
 * A protobuf 64-bit field as a number: a Long object (Node, or a browser bundle told about Long), a
 * plain number (a bundle without Long), or a bigint, read as signed or unsigned as its datatype says
 * (the wire format carries Int64 in an unsigned field). Beyond 2^53 the nearest double.
 */
export function toNumber(value: unknown, signed = false): number {
  if (typeof value === 'number') return signed && value >= TWO_64 / 2 ? value - TWO_64 : value;
  if (typeof value === 'bigint') return Number(signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value));
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return (signed ? high | 0 : high >>> 0) * TWO_32 + (low >>> 0);
  }
  return NaN;
}

/** One metric as a signal sees it: a number of a kind (KIND_*), or text, and its time. */
export interface MetricValue {
  /** A number (booleans 1/0), text, or null for a datatype that is not one value (DataSet, Template, ...). */
  value: number | string | null;
  kind: number;
  /** The metric's or the payload's timestamp (ms), NaN when neither has one. */
  timestamp: number;
}

export type SparkplugOutcome =
  | {
      kind: 'birth' | 'data';
      key: string;
      node: string;
      metrics: Map<string, MetricValue>;
      seqGap: boolean;
      /** Metrics named by an alias no birth defined. */
      unknownAliases: number;
      /** Metrics without a datatype, in the message or in a birth. */
      untyped: number;
    }
  | { kind: 'death'; key: string; node: string; seqGap: false }
  | { kind: 'ignored'; why?: 'earlier-session' }
  | { kind: 'bad-payload' };

/** A metric as its birth defined it. */
interface BornMetric {
  name: string;
  datatype: number;
}

interface DeviceMetrics {
  byAlias: Map<number, BornMetric>;
  /** Datatype by name, for data messages that name a metric without its datatype. */
  typeByName: Map<string, number>;
}

interface NodeState {
  /** Last seq seen from this edge node, -1 before its birth. */
  seq: number;
  /** The bdSeq of the node's current NBIRTH, null when unknown (no birth seen, or it had none). */
  bdSeq: number | null;
  /** Per node ("" key) or device: the metrics its birth defined. */
  devices: Map<string, DeviceMetrics>;
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Sparkplug's state across messages: metrics per node and device, each node's sequence and bdSeq. */
export class SparkplugTracker {
  private readonly nodes = new Map<string, NodeState>();

  /** Decodes one message on a Sparkplug topic and updates the state. */
  handle(topic: SparkplugTopic, payload: Uint8Array): SparkplugOutcome {
    if (topic.type === 'NCMD' || topic.type === 'DCMD' || topic.type === 'STATE') return { kind: 'ignored' };
    const nodeKey = `${topic.group}/${topic.node}`;
    const key = topic.device === null ? nodeKey : `${nodeKey}/${topic.device}`;
    let decoded: ReturnType<typeof Payload.decode>;
    try {
      decoded = Payload.decode(payload);
    } catch {
      return { kind: 'bad-payload' };
    }
    const metrics = decoded.metrics ?? [];
    let node = this.nodes.get(nodeKey);
    if (topic.type === 'NDEATH') {
      // A death whose bdSeq is not the current birth's belongs to an earlier session of the node
      // (a broker delivering a stale will after the node already reconnected): the node is alive.
      const deathSeq = bdSeqOf(metrics);
      if (node !== undefined && node.bdSeq !== null && deathSeq !== null && deathSeq !== node.bdSeq) {
        return { kind: 'ignored', why: 'earlier-session' };
      }
      // The node and its devices are gone; their metrics stay known until the next birth redefines them.
      if (node !== undefined) node.seq = -1;
      return { kind: 'death', key: nodeKey, node: nodeKey, seqGap: false };
    }
    if (topic.type === 'NBIRTH' || node === undefined) {
      node = { seq: -1, bdSeq: topic.type === 'NBIRTH' ? bdSeqOf(metrics) : null, devices: new Map() };
      this.nodes.set(nodeKey, node);
    }

    // Sequence: NBIRTH starts it (normally at 0); every later message of the node adds one (mod 256).
    const seq = has(decoded, 'seq') ? toNumber(decoded.seq) : NaN;
    let seqGap = false;
    if (topic.type === 'NBIRTH') node.seq = Number.isFinite(seq) ? seq : -1;
    else if (Number.isFinite(seq)) {
      seqGap = node.seq < 0 || seq !== (node.seq + 1) % 256;
      node.seq = seq;
    }
    if (topic.type === 'DDEATH') return { kind: 'death', key, node: nodeKey, seqGap: false };

    const deviceKey = topic.device ?? '';
    const isBirth = topic.type === 'NBIRTH' || topic.type === 'DBIRTH';
    let born = node.devices.get(deviceKey);
    if (isBirth || born === undefined) {
      born = { byAlias: new Map(), typeByName: new Map() };
      node.devices.set(deviceKey, born);
    }
    const payloadTime = has(decoded, 'timestamp') ? toNumber(decoded.timestamp) : NaN;
    const values = new Map<string, MetricValue>();
    let unknownAliases = 0;
    let untyped = 0;
    for (const metric of metrics) {
      const alias = has(metric, 'alias') ? toNumber(metric.alias) : null;
      let name = has(metric, 'name') && metric.name ? metric.name : null;
      let datatype = has(metric, 'datatype') ? (metric.datatype ?? 0) : 0;
      if (isBirth) {
        if (name !== null && alias !== null) born.byAlias.set(alias, { name, datatype });
        if (name !== null && datatype !== 0) born.typeByName.set(name, datatype);
      } else if (name === null && alias !== null) {
        const def = born.byAlias.get(alias);
        if (def === undefined) {
          unknownAliases++; // unusable until the next birth defines it
          continue;
        }
        name = def.name;
        if (datatype === 0) datatype = def.datatype;
      } else if (name !== null && datatype === 0) {
        datatype = born.typeByName.get(name) ?? 0;
      }
      if (name === null) continue;
      if (datatype === 0) {
        untyped++;
        continue;
      }
      if (metric.isNull) continue; // a null value: nothing to show, not an error
      const value = metricValue(metric, datatype);
      if (value === undefined) continue; // the metric carries no value field
      const at = has(metric, 'timestamp') ? toNumber(metric.timestamp) : payloadTime;
      values.set(name, { value, kind: kindOf(datatype), timestamp: at });
    }
    return { kind: isBirth ? 'birth' : 'data', key, node: nodeKey, metrics: values, seqGap, unknownAliases, untyped };
  }
}

/** The value of the bdSeq metric in a birth or death, or null when there is none. */
function bdSeqOf(metrics: ProtoMetric[]): number | null {
  for (const m of metrics) {
    if (m.name !== 'bdSeq') continue;
    const raw = m.longValue ?? m.intValue;
    const n = raw === undefined || raw === null ? NaN : toNumber(raw);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function kindOf(datatype: number): number {
  switch (datatype) {
    case DATATYPE.Float:
    case DATATYPE.Double:
    case DATATYPE.DateTime:
      return KIND_NUMBER;
    case DATATYPE.Boolean:
      return KIND_BOOLEAN;
    case DATATYPE.String:
    case DATATYPE.Text:
    case DATATYPE.UUID:
      return KIND_TEXT;
    default:
      return KIND_INTEGER;
  }
}

/**
 * A metric's value read as its datatype says: signed Int8/16/32 and Int64 (two's complement in an
 * unsigned field), unsigned UInt8/16/32/64, floats, booleans as 1/0, text. Undefined when the field
 * for the datatype is absent; null for datatypes that are not one value.
 */
function metricValue(m: ProtoMetric, datatype: number): number | string | null | undefined {
  switch (datatype) {
    case DATATYPE.Int8:
    case DATATYPE.Int16:
    case DATATYPE.Int32:
      return m.intValue === null || m.intValue === undefined ? signedLong(m) : m.intValue | 0;
    case DATATYPE.UInt8:
    case DATATYPE.UInt16:
    case DATATYPE.UInt32:
      // Tahu's encoder puts UInt32 in the 64-bit field, the specification in the 32-bit one: read either.
      return m.intValue === null || m.intValue === undefined ? unsignedLong(m) : m.intValue >>> 0;
    case DATATYPE.Int64:
      return signedLong(m);
    case DATATYPE.UInt64:
    case DATATYPE.DateTime:
      return unsignedLong(m);
    case DATATYPE.Float:
      return m.floatValue ?? undefined;
    case DATATYPE.Double:
      return m.doubleValue ?? undefined;
    case DATATYPE.Boolean:
      return m.booleanValue === null || m.booleanValue === undefined ? undefined : m.booleanValue ? 1 : 0;
    case DATATYPE.String:
    case DATATYPE.Text:
    case DATATYPE.UUID:
      return m.stringValue === null || m.stringValue === undefined ? undefined : m.stringValue.slice(0, MAX_TEXT_CHARS);
    default:
      return null;
  }
}

function signedLong(m: ProtoMetric): number | undefined {
  return m.longValue === null || m.longValue === undefined ? undefined : toNumber(m.longValue, true);
}

function unsignedLong(m: ProtoMetric): number | undefined {
  return m.longValue === null || m.longValue === undefined ? undefined : toNumber(m.longValue);
}
