/**
 * Splits the bytes a broker sends over a WebSocket into MQTT packets, and reads plain telemetry
 * publishes (QoS 0, no MQTT 5 properties) itself; every other packet (CONNACK, SUBACK, PUBACK,
 * PINGRESP, DISCONNECT, QoS 1 publishes, publishes with properties) goes on, whole and in order, to
 * the MQTT client. Why: in the browser, mqtt.js turns each WebSocket message into a Buffer, pushes it
 * through a stream, a buffer list and its parser, and allocates a packet object and an event for each
 * publish; for small telemetry messages that was about a third of the worker's time per message, as
 * much as everything else the worker does (docs/scene-performance.md). A telemetry publish costs a
 * few byte reads here, and its payload is a view into the WebSocket message, not a copy.
 *
 * The broker may put several packets in one WebSocket message or split one over several; both are
 * handled. A stream that is not MQTT (a remaining length of more than four bytes) is handed on as it
 * is from then on, so the client sees the fault and closes the connection as before.
 */

/** What the splitter hands a telemetry publish to: its topic and payload (a view, valid during the call). */
export type PublishSink = (topic: string, payload: Uint8Array) => void;
/** Where every other packet goes, whole (its own copy): the MQTT client. */
export type PacketSink = (packet: Uint8Array) => void;

const PUBLISH = 3;
const topicDecoder = new TextDecoder();

export class MqttFrameSplitter {
  /**
   * A packet a WebSocket message ended inside: its bytes so far. Once its header is known, the
   * buffer has the packet's full size and `need` is that size, so a large packet sent in many pieces
   * is copied once; before that (`need` 0) it holds the few header bytes there were.
   */
  private carry: Uint8Array | null = null;
  private filled = 0;
  private need = 0;
  private broken = false;

  /**
   * @param mqtt5 whether the connection speaks MQTT 5 (a publish then has a properties field).
   */
  constructor(
    private readonly mqtt5: boolean,
    private readonly onPublish: PublishSink,
    private readonly onPacket: PacketSink,
  ) {}

  /** One WebSocket message's bytes. */
  push(bytes: Uint8Array): void {
    if (this.broken) return this.onPacket(bytes.slice());
    let data = bytes;
    if (this.carry !== null) {
      if (this.need > 0) {
        const n = Math.min(this.need - this.filled, bytes.length);
        this.carry.set(bytes.subarray(0, n), this.filled);
        this.filled += n;
        if (this.filled < this.need) return;
        const whole = this.carry;
        this.carry = null;
        this.packet(whole, 0, packetBody(whole, 0), whole.length, true);
        data = bytes.subarray(n);
      } else {
        // Only a few header bytes were waiting: joined with this message.
        data = new Uint8Array(this.carry.length + bytes.length);
        data.set(this.carry);
        data.set(bytes, this.carry.length);
        this.carry = null;
      }
    }
    let at = 0;
    const end = data.length;
    while (at < end) {
      const body = packetBody(data, at);
      if (body === BROKEN) {
        // Five or more length bytes: not MQTT. The client gets the rest as it is and reports it.
        this.broken = true;
        this.onPacket(data.slice(at));
        return;
      }
      if (body === INCOMPLETE) {
        this.carry = data.slice(at);
        this.need = 0;
        return;
      }
      const packetEnd = body + remainingLength(data, at);
      if (packetEnd > end) {
        this.carry = new Uint8Array(packetEnd - at);
        this.carry.set(data.subarray(at));
        this.filled = end - at;
        this.need = packetEnd - at;
        return;
      }
      this.packet(data, at, body, packetEnd);
      at = packetEnd;
    }
  }

  /** One whole packet: data[at, end), its body from `body`; `own` when data is this splitter's own copy. */
  private packet(data: Uint8Array, at: number, body: number, end: number, own = false): void {
    const first = data[at];
    if (first >> 4 === PUBLISH && (first & 0x06) === 0 && this.readPublish(data, body, end)) return;
    this.onPacket(own ? data : data.slice(at, end));
  }

  /** A QoS 0 publish's topic and payload, handed to onPublish; false when it is not one this reads. */
  private readPublish(data: Uint8Array, from: number, end: number): boolean {
    if (from + 2 > end) return false;
    const topicLength = (data[from] << 8) | data[from + 1];
    const topicEnd = from + 2 + topicLength;
    if (topicLength === 0 || topicEnd > end) return false;
    let payloadAt = topicEnd;
    if (this.mqtt5) {
      // Properties (a topic alias, correlation data, ...) are the client's to read.
      if (payloadAt >= end || data[payloadAt] !== 0) return false;
      payloadAt++;
    }
    this.onPublish(readTopic(data, from + 2, topicEnd), data.subarray(payloadAt, end));
    return true;
  }
}

const INCOMPLETE = -1;
const BROKEN = -2;

/**
 * Where the body of the packet at `at` starts (after its fixed header: type and flags, then the
 * remaining length in 1-4 bytes of 7 bits each); INCOMPLETE when the header goes on in the next
 * message, BROKEN when it is not MQTT.
 */
function packetBody(data: Uint8Array, at: number): number {
  for (let p = at + 1; p < at + 5; p++) {
    if (p >= data.length) return INCOMPLETE;
    if (data[p] < 0x80) return p + 1;
  }
  return BROKEN;
}

/** The remaining length of the packet at `at`, whose header is complete. */
function remainingLength(data: Uint8Array, at: number): number {
  let length = 0;
  let scale = 1;
  for (let p = at + 1; ; p++) {
    length += (data[p] & 0x7f) * scale;
    if (data[p] < 0x80) return length;
    scale *= 128;
  }
}

/**
 * Topic strings by their bytes: a telemetry stream repeats the same topics, so the same string
 * comes back for the same bytes, and the engine's lookups by topic find its hash already computed.
 * A table of TOPIC_CACHE entries by a hash of the bytes; a collision replaces the entry.
 */
const TOPIC_CACHE = 4096;
const cachedBytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(TOPIC_CACHE).fill(null);
const cachedTopics: string[] = new Array<string>(TOPIC_CACHE).fill('');
/** Longer topics are decoded each time rather than kept. */
const CACHED_TOPIC_BYTES = 256;

/** UTF-8 topic bytes data[from, end) as a string. */
function readTopic(data: Uint8Array, from: number, end: number): string {
  const length = end - from;
  if (length > CACHED_TOPIC_BYTES) return topicDecoder.decode(data.subarray(from, end));
  // FNV-1a over the bytes.
  let h = 0x811c9dc5;
  for (let i = from; i < end; i++) h = Math.imul(h ^ data[i], 0x01000193);
  const slot = (h >>> 0) & (TOPIC_CACHE - 1);
  const known = cachedBytes[slot];
  if (known !== null && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known[i] !== data[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return cachedTopics[slot];
  }
  const bytes = data.slice(from, end);
  const topic = topicDecoder.decode(bytes);
  cachedBytes[slot] = bytes;
  cachedTopics[slot] = topic;
  return topic;
}
