/**
 * A WebSocket proxy in front of a broker that re-cuts what the broker sends: each message is split
 * into pieces of random size, and a few bytes of one are held back and sent at the front of the
 * next. The MQTT-over-WebSocket binding allows it ("a single WebSocket data frame can contain
 * multiple or partial MQTT Control Packets"), and some brokers and gateways do it; Mosquitto and
 * aedes happen not to, so the tests that read packets off the WebSocket use this. Loopback only;
 * close() stops it and every connection through it.
 */
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface ReframingProxy {
  url: string;
  close(): Promise<void>;
}

export async function startReframingProxy(brokerWsUrl: string, seed = 1): Promise<ReframingProxy> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const upstreams = new Set<WebSocket>();
  server.on('connection', (client) => {
    const upstream = new WebSocket(brokerWsUrl, 'mqtt');
    upstreams.add(upstream);
    const early: RawData[] = [];
    let held = Buffer.alloc(0);
    let flushTimer: NodeJS.Timeout | null = null;
    const flush = () => {
      flushTimer = null;
      if (held.length > 0 && client.readyState === WebSocket.OPEN) client.send(held);
      held = Buffer.alloc(0);
    };
    client.on('message', (data) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data as Buffer);
      else early.push(data);
    });
    upstream.on('open', () => {
      for (const data of early) upstream.send(data as Buffer);
      early.length = 0;
    });
    upstream.on('message', (data) => {
      let bytes = Buffer.concat([held, data as Buffer]);
      if (flushTimer !== null) clearTimeout(flushTimer);
      // Hold back up to 8 bytes for the next message (or for 5 ms), and cut the rest at random.
      const keep = Math.min(bytes.length, Math.floor(random() * 9));
      held = bytes.subarray(bytes.length - keep);
      bytes = bytes.subarray(0, bytes.length - keep);
      while (bytes.length > 0) {
        const n = 1 + Math.floor(random() * (random() < 0.5 ? 16 : 4096));
        client.send(bytes.subarray(0, n));
        bytes = bytes.subarray(n);
      }
      flushTimer = setTimeout(flush, 5);
    });
    const end = () => {
      if (flushTimer !== null) clearTimeout(flushTimer);
      client.close();
      upstream.close();
      upstreams.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const u of upstreams) u.terminate();
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}
