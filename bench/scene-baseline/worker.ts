/**
 * The hand-written page's data path, the least code that does the job: mqtt.js and JSON.parse in a
 * worker, every panel's latest value in one Float64Array, a copy posted to the page at most once per
 * 16 ms. Twinview's engine worker does this (and more) beside its page; with this the hand-written page
 * carries the same kind of load beside its colour loop, and colours the same values.
 */
import mqtt from 'mqtt';

const ROWS = 100;
const COLUMNS = 100;
const scope = self as unknown as {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  addEventListener: typeof self.addEventListener;
};
const values = new Float64Array(ROWS * COLUMNS);
const decoder = new TextDecoder();
let fresh = false;

scope.addEventListener('message', (e: MessageEvent<{ url: string }>) => {
  const client = mqtt.connect(e.data.url, { protocolVersion: 4, reconnectPeriod: 0, clean: true });
  client.on('connect', () => {
    client.subscribe('solar/field/+/power', { qos: 0 }, () => scope.postMessage({ online: true }));
  });
  client.on('message', (topic, payload) => {
    const row = Number(topic.split('/')[2]);
    const doc = JSON.parse(decoder.decode(payload)) as { p: number[] };
    if (!(row >= 0 && row < ROWS)) return;
    for (let c = 0; c < COLUMNS && c < doc.p.length; c++) values[row * COLUMNS + c] = doc.p[c];
    fresh = true;
  });
  setInterval(() => {
    if (!fresh) return;
    fresh = false;
    const copy = values.slice();
    scope.postMessage({ values: copy }, [copy.buffer]);
  }, 16);
});
