/* global process, performance, setTimeout */
// Publisher for `npm run bench -- ingest`, in its own process so it is not the bottleneck.
// Args: <mqtt url> <small|batched> <count> <rate per s, 0 = as fast as possible> <topics> <first index> [wait]
// With "wait": connects, prints "ready", and starts on a line from stdin, so that several publishers
// start together (spawning Node on a loaded machine takes anywhere from 0.2 to 2 s, and a publisher
// starting late leaves a gap in the stream that reads as a slow page).
// Prints one JSON line last: { published, ms }.
import mqtt from 'mqtt';

const [url, kind, countText, rateText, topicsText, firstText, startText] = process.argv.slice(2);
const count = Number(countText);
const rate = Number(rateText);
const topics = Number(topicsText);
const first = Number(firstText);

function payload(i) {
  if (kind === 'small') return `{"v":${((i * 7919) % 10000) / 100}}`;
  const r = [];
  for (let k = 0; k < 20; k++) r.push(((i * 31 + k * 7) % 100000) / 100);
  return `{"ts":${Date.now()},"r":[${r.join(',')}]}`;
}
const topic = (i) => (kind === 'small' ? `bench/s/${i % topics}` : `bench/b/dev${i % topics}`);

const client = await mqtt.connectAsync(url, { protocolVersion: 4, clean: true, reconnectPeriod: 0 });
if (startText === 'wait') {
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
}
const start = performance.now();
let i = 0;
const publishOne = () =>
  new Promise((resolve) => client.publish(topic(first + i), payload(first + i++), { qos: 0 }, resolve));
if (rate > 0) {
  // Paced: catch up to where the clock says we should be, every 5 ms.
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000));
    while (i < due) client.publish(topic(first + i), payload(first + i++), { qos: 0 });
    await new Promise((r) => setTimeout(r, 5));
  }
} else {
  // As fast as the socket takes them: wait for the write of each 500th so buffers stay bounded.
  while (i < count) {
    const end = Math.min(count, i + 500);
    while (i < end - 1) client.publish(topic(first + i), payload(first + i++), { qos: 0 });
    await publishOne();
  }
}
const ms = performance.now() - start;
await client.endAsync();
process.stdout.write(`${JSON.stringify({ published: count, ms })}\n`);
