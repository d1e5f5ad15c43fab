/** mqtt.js + JSON.parse and a counter: the least work a browser can do per message. */
import mqtt from 'mqtt';

const scope = self as unknown as { postMessage(m: unknown): void; addEventListener: typeof self.addEventListener };
const decoder = new TextDecoder();
let messages = 0;
let readings = 0;
let firstAt = 0;
let lastAt = 0;
let online = false;

scope.addEventListener('message', (e: MessageEvent<{ type: string; url?: string; filter?: string }>) => {
  if (e.data.type === 'reset') {
    messages = readings = firstAt = lastAt = 0;
    return;
  }
  const client = mqtt.connect(e.data.url!, { protocolVersion: 4, reconnectPeriod: 0, clean: true });
  client.on('connect', () => {
    client.subscribe(e.data.filter!, { qos: 0 }, () => {
      online = true;
    });
  });
  client.on('message', (_topic, payload) => {
    const doc = JSON.parse(decoder.decode(payload)) as { r?: unknown[] };
    readings += Array.isArray(doc.r) ? doc.r.length : 1;
    messages++;
    const now = performance.now();
    if (firstAt === 0) firstAt = now;
    lastAt = now;
  });
  // Counters go to the main thread ten times a second: a negligible cost next to the stream.
  setInterval(() => scope.postMessage({ online, messages, readings, firstAt, lastAt }), 100);
});
