/**
 * `npm run bench -- topic-browser`: the editor's topic browser model (src/editor/topicBrowser.ts) under
 * a flood on "#", in Node.
 *
 * 1. Messages recorded per second: 5,000 topics of JSON telemetry (~120 bytes, 6 leaves) stamped at
 *    100,000 messages/s (20 per topic per second, so per-topic sampling is in play). Baselines, same
 *    run: parsing every payload as JSON (what a naive browser would do), and a bare count per topic.
 * 2. One UI poll: the 200 rows of 5,000 topics, and the rows matching a search.
 * 3. Memory: heap after the flood (the model's bounds: 5,000 topics, 2,000 series).
 *
 * Prints the figures and writes bench/results/topic-browser.json. Flags: --messages N (per round, default 500,000), --rounds R (best of R; the machine is shared).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TopicBrowser } from '../src/editor/topicBrowser';

const TOPICS = 5000;
const RATE = 100_000;

function payloads(): Uint8Array[] {
  const enc = new TextEncoder();
  return Array.from({ length: 64 }, (_, i) =>
    enc.encode(
      JSON.stringify({
        ts: 1_764_000_000_000 + i,
        running: i % 2 === 0,
        rpm: 1400 + i,
        flow: 50.5,
        bearing: { temp: 60 + i / 10 },
        motor: { current: 40 },
      }),
    ),
  );
}

function best(rounds: number, f: () => number): number {
  let out = 0;
  for (let r = 0; r < rounds; r++) out = Math.max(out, f());
  return out;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { messages: { type: 'string', default: '500000' }, rounds: { type: 'string', default: '3' } },
  });
  const messages = Number(values.messages);
  const rounds = Math.max(1, Number(values.rounds));
  const topics = Array.from({ length: TOPICS }, (_, i) => `plant/area${i % 50}/device${i}/telemetry`);
  const bodies = payloads();
  console.log(`${TOPICS} topics, ${messages} messages stamped at ${RATE}/s; best of ${rounds}`);

  const t0 = 1_764_000_000_000;
  const model = (): number => {
    const b = new TopicBrowser();
    const start = performance.now();
    for (let i = 0; i < messages; i++) b.record(topics[i % TOPICS], bodies[i & 63], t0 + (i * 1000) / RATE);
    return messages / ((performance.now() - start) / 1000);
  };
  const parseAll = (): number => {
    const dec = new TextDecoder();
    const counts = new Map<string, number>();
    let sink = 0;
    const start = performance.now();
    for (let i = 0; i < messages; i++) {
      const topic = topics[i % TOPICS];
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
      sink += (JSON.parse(dec.decode(bodies[i & 63])) as { rpm: number }).rpm;
    }
    if (sink === 0) console.log('');
    return messages / ((performance.now() - start) / 1000);
  };
  const countOnly = (): number => {
    const counts = new Map<string, number>();
    const start = performance.now();
    for (let i = 0; i < messages; i++) {
      const topic = topics[i % TOPICS];
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
    }
    return messages / ((performance.now() - start) / 1000);
  };

  const m = best(rounds, model);
  const p = best(rounds, parseAll);
  const c = best(rounds, countOnly);
  const fmt = (n: number) => `${Math.round(n).toLocaleString('en')} msg/s`;
  console.log(`model (record):            ${fmt(m)}`);
  console.log(`baseline, parse every one: ${fmt(p)}   model / parse-all = ${(m / p).toFixed(2)}`);
  console.log(`baseline, count only:      ${fmt(c)}   model / count-only = ${(m / c).toFixed(2)}`);

  // The UI's poll, twice a second, over a full model.
  const b = new TopicBrowser();
  for (let i = 0; i < TOPICS * 40; i++) b.record(topics[i % TOPICS], bodies[i & 63], t0 + (i * 1000) / RATE);
  const now = t0 + (TOPICS * 40 * 1000) / RATE;
  const poll = (search: string) => {
    let ms = Infinity;
    for (let r = 0; r < 10; r++) {
      const start = performance.now();
      b.rows(now, search, 200);
      ms = Math.min(ms, performance.now() - start);
    }
    return ms;
  };
  const pollMs = poll('');
  const searchMs = poll('area7/');
  console.log(
    `one poll, 200 rows of ${b.size} topics: ${pollMs.toFixed(2)} ms; search "area7/": ${searchMs.toFixed(2)} ms`,
  );
  globalThis.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(
    `heap after the flood: ${heapMb.toFixed(1)} MB; topics ${b.size}, dropped ${b.droppedTopics}, series refused ${b.refusedSeries}`,
  );
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'topic-browser.json');
  mkdirSync(dirname(out), { recursive: true });
  const result = {
    topics: TOPICS,
    messages,
    rate: RATE,
    rounds,
    recordPerSecond: Math.round(m),
    parseAllPerSecond: Math.round(p),
    countOnlyPerSecond: Math.round(c),
    pollMs: Number(pollMs.toFixed(2)),
    searchMs: Number(searchMs.toFixed(2)),
    heapMb: Number(heapMb.toFixed(1)),
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
