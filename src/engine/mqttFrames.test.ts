import { describe, expect, it } from 'vitest';
import { MqttFrameSplitter } from './mqttFrames';

const utf8 = new TextEncoder();

/** The remaining-length field of an MQTT fixed header. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function packet(first: number, body: number[] | Uint8Array): Uint8Array {
  return Uint8Array.from([first, ...varint(body.length), ...body]);
}

function publish(
  topic: string,
  payload: string | Uint8Array,
  o: { qos?: 0 | 1; retain?: boolean; mqtt5?: boolean; properties?: number[] } = {},
): Uint8Array {
  const t = utf8.encode(topic);
  const p = typeof payload === 'string' ? utf8.encode(payload) : payload;
  const body = [t.length >> 8, t.length & 0xff, ...t];
  if (o.qos === 1) body.push(0, 7); // packet id
  if (o.mqtt5) body.push(...varint(o.properties?.length ?? 0), ...(o.properties ?? []));
  body.push(...p);
  return packet(0x30 | ((o.qos ?? 0) << 1) | (o.retain ? 1 : 0), body);
}

const SUBACK = packet(0x90, [0, 1, 0]);
const PINGRESP = Uint8Array.from([0xd0, 0]);

type Seen = ['publish', string, string] | ['packet', number[]];

function splitter(mqtt5 = false): { s: MqttFrameSplitter; seen: Seen[] } {
  const seen: Seen[] = [];
  const s = new MqttFrameSplitter(
    mqtt5,
    (topic, payload) => seen.push(['publish', topic, new TextDecoder().decode(payload)]),
    (p) => seen.push(['packet', [...p]]),
  );
  return { s, seen };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('MqttFrameSplitter', () => {
  it('reads a telemetry publish itself, its payload a view into the message', () => {
    const views: Uint8Array[] = [];
    const s = new MqttFrameSplitter(
      false,
      (topic, payload) => {
        expect(topic).toBe('plant/pump1/temp');
        views.push(payload);
      },
      () => expect.unreachable(),
    );
    const message = publish('plant/pump1/temp', '{"v":21.5}');
    s.push(message);
    expect(views).toHaveLength(1);
    expect(new TextDecoder().decode(views[0])).toBe('{"v":21.5}');
    expect(views[0].buffer).toBe(message.buffer);
  });

  it('hands every other packet on whole, in order with the publishes around it', () => {
    const { s, seen } = splitter();
    s.push(concat(publish('a', '1'), SUBACK, publish('b', '2', { qos: 1 }), PINGRESP, publish('c', '3')));
    expect(seen).toEqual([
      ['publish', 'a', '1'],
      ['packet', [...SUBACK]],
      ['packet', [...publish('b', '2', { qos: 1 })]],
      ['packet', [...PINGRESP]],
      ['publish', 'c', '3'],
    ]);
  });

  it('joins a packet split over messages at any byte, the length field included', () => {
    const big = 'x'.repeat(20_000); // a three-byte remaining length
    const stream = concat(publish('s/1', '7'), publish('s/2', big), SUBACK, publish('s/3', '8'));
    const expected: Seen[] = [
      ['publish', 's/1', '7'],
      ['publish', 's/2', big],
      ['packet', [...SUBACK]],
      ['publish', 's/3', '8'],
    ];
    for (const cut of [1, 2, 5, 6, 7, 8, 9, 10, 500, 20_005, 20_010, stream.length - 3, stream.length - 1]) {
      const { s, seen } = splitter();
      s.push(stream.slice(0, cut));
      s.push(stream.slice(cut));
      expect(seen, `cut at ${cut}`).toEqual(expected);
    }
    // Byte by byte.
    const { s, seen } = splitter();
    for (let i = 0; i < stream.length; i++) s.push(stream.subarray(i, i + 1));
    expect(seen).toEqual(expected);
  });

  it('recovers every packet of a random stream cut at random places', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const parts: Uint8Array[] = [];
    const expected: Seen[] = [];
    for (let i = 0; i < 300; i++) {
      const r = random();
      if (r < 0.6) {
        const payload = 'v'.repeat(Math.floor(random() * (random() < 0.1 ? 40_000 : 200)));
        parts.push(publish(`site/${i}`, payload, { retain: random() < 0.2 }));
        expected.push(['publish', `site/${i}`, payload]);
      } else {
        const p = r < 0.8 ? publish(`q/${i}`, String(i), { qos: 1 }) : r < 0.9 ? SUBACK : PINGRESP;
        parts.push(p);
        expected.push(['packet', [...p]]);
      }
    }
    const stream = concat(...parts);
    const { s, seen } = splitter();
    for (let at = 0; at < stream.length;) {
      const n = 1 + Math.floor(random() * (random() < 0.5 ? 8 : 3000));
      s.push(stream.slice(at, at + n));
      at += n;
    }
    expect(seen).toEqual(expected);
  });

  it('reads MQTT 5 publishes without properties, and leaves those with properties to the client', () => {
    const { s, seen } = splitter(true);
    const withCorrelation = publish('cmd/reply', 'ok', { mqtt5: true, properties: [0x09, 0, 2, 0xab, 0xcd] });
    const aliased = publish('', '5', { mqtt5: true, properties: [0x23, 0, 1] });
    s.push(concat(publish('t/1', '42', { mqtt5: true }), withCorrelation, aliased));
    expect(seen).toEqual([
      ['publish', 't/1', '42'],
      ['packet', [...withCorrelation]],
      ['packet', [...aliased]],
    ]);
  });

  it('decodes UTF-8 topics and keeps empty payloads', () => {
    const { s, seen } = splitter();
    s.push(concat(publish('Anlage/Pumpe Ü1/°C', '20'), publish('plant/empty', '')));
    expect(seen).toEqual([
      ['publish', 'Anlage/Pumpe Ü1/°C', '20'],
      ['publish', 'plant/empty', ''],
    ]);
  });

  it('names every topic right when more topics stream than it keeps, and long ones too', () => {
    const { s, seen } = splitter();
    const topics = Array.from({ length: 10_000 }, (_, i) => `fleet/${i % 7 === 0 ? 'Ü' : 'u'}nit${i}/temp`);
    topics.push(`long/${'x'.repeat(300)}`);
    for (let pass = 0; pass < 2; pass++) for (const t of topics) s.push(publish(t, '1'));
    expect(seen.map((x) => x[1])).toEqual([...topics, ...topics]);
  });

  it('hands a stream that is not MQTT on as it is, from the fault on', () => {
    const { s, seen } = splitter();
    const bad = Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2]);
    s.push(concat(publish('ok', '1'), bad));
    s.push(publish('later', '2'));
    expect(seen).toEqual([
      ['publish', 'ok', '1'],
      ['packet', [...bad]],
      ['packet', [...publish('later', '2')]],
    ]);
  });
});
