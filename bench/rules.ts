/**
 * `npm run bench -- rules`: the cost of rules and alarms.
 *
 * 1. Rule evaluations per second for 10,000 rules of mixed kinds (threshold, range, delays, rate,
 *    window average, multi-signal expression, stale, suppression, anomaly, forecast) over 1,000
 *    signals fed a stream stamped at 100,000 messages/s, through the real Engine: in Node (plain
 *    `node` on a bundle, as the service runs, and through tsx for comparison), and in a module worker
 *    inside headless Chromium. Baseline, same round: the same stream with no rules. Each round runs in
 *    a fresh process or page, after a short warm-up, and the three alternate round by round; every
 *    round is printed, a Node round under 3x the stream is flagged MISS (bench/_rounds.ts).
 * 2. Message-to-alarm-visible latency, p50/p95, in the real dashboard (a vite build, the alarm-lab
 *    e2e twin) in headless Chromium against Mosquitto: from the publish to the alarm row in the DOM.
 *
 * Prints the figures and writes bench/results/rules.json (every round). Flags: --messages N (per stream
 * round), --rounds R, --tsx on|off (the tsx rounds), --latency-samples N (0: skip the latency part).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import mqtt from 'mqtt';
import { build } from 'vite';
import { startMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';
import { serveStatic } from './_shared';
import { formatRound, formatSummary, summarise, type RoundsSummary, type Target } from './_rounds';
import { SIGNALS, RULES_PER_SIGNAL, SLICE_MESSAGES, STREAM_RATE, type RulesBenchResult } from './pages/rulesCore';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
};

/** The engine in Node must keep up with three times the stream (issue 14), in every round. */
const NODE_MIN = 3;
const NODE_TARGET: Target = { min: NODE_MIN };
type Side = 'node' | 'node-tsx' | 'chromium';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: '300000' },
      rounds: { type: 'string', default: '3' },
      tsx: { type: 'string', default: 'on' },
      'latency-samples': { type: 'string', default: '40' },
    },
  });
  const messages = Number(values.messages);
  const rounds = Math.max(1, Number(values.rounds));
  const samplesWanted = Number(values['latency-samples']);
  const sides: Side[] = values.tsx === 'off' ? ['node', 'chromium'] : ['node', 'node-tsx', 'chromium'];
  console.log(
    `${SIGNALS * RULES_PER_SIGNAL} rules over ${SIGNALS} signals; ${messages} messages stamped at ${STREAM_RATE}/s; ` +
      `${rounds} rounds of ${sides.join(', ')}, alternating (target for Node: ${NODE_TARGET.min}x the stream in every round)`,
  );

  const bundle = await buildNodeBundle();
  const browser = await chromium.launch(LAUNCH);
  const byside: Record<Side, RulesBenchResult[]> = { node: [], 'node-tsx': [], chromium: [] };
  let latency: { samples: number; p50: number; p95: number; max: number } | null = null;
  try {
    const worker = await workerPage(browser);
    try {
      for (let r = 0; r < rounds; r++) {
        for (const side of sides) {
          const result =
            side === 'chromium'
              ? await worker.round(messages)
              : await nodeRound(
                  side === 'node' ? [bundle] : ['--import', 'tsx', join(here, 'pages/rulesNode.ts')],
                  messages,
                );
          byside[side].push(result);
          console.log(
            formatRound(r, rounds, result.realTimeFactor, side === 'chromium' ? null : NODE_TARGET, {
              unit: '×',
              detail: `${side.padEnd(8)} ${describe(result)}`,
            }),
          );
        }
      }
    } finally {
      worker.close();
    }
    if (samplesWanted > 0) {
      latency = await latencyBench(browser, Math.max(5, samplesWanted));
      console.log(
        `alarm latency (publish → alarm row in the dashboard DOM, Mosquitto, ${latency.samples} samples): ` +
          `p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms`,
      );
    }
  } finally {
    await browser.close();
  }
  const summaries: Partial<Record<Side, RoundsSummary>> = {};
  console.log('');
  for (const side of sides) {
    const label = { node: 'Node (bundle)', 'node-tsx': 'Node (tsx)', chromium: 'Chromium worker' }[side];
    const s = summarise(
      `${label}, × the stream`,
      byside[side].map((x) => x.realTimeFactor),
      side === 'chromium' ? null : NODE_TARGET,
    );
    summaries[side] = s;
    console.log(formatSummary(s, { unit: '×' }));
  }
  const cpu = byside.node.map(cpuFactor).filter((x): x is number => x !== null);
  if (cpu.length > 0)
    console.log(
      `Node (bundle) by CPU time (messages per CPU second / stream; less disturbed by a busy machine): ${cpu.map((x) => x.toFixed(2)).join(' ')}`,
    );
  const ratios = byside.node.map((x, i) => x.realTimeFactor / byside.chromium[i].realTimeFactor);
  console.log(`Node (bundle) / Chromium worker, round by round: ${ratios.map((x) => x.toFixed(2)).join(' ')}`);
  const results = {
    date: new Date().toISOString(),
    messages,
    rounds,
    streamRate: STREAM_RATE,
    target: NODE_TARGET,
    summaries,
    roundsBySide: byside,
    nodeOverChromium: ratios,
    latency,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'rules.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results/rules.json');
}

function describe(r: RulesBenchResult): string {
  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  const cpu = cpuFactor(r);
  return (
    `${(r.rules.evaluationsPerS / 1e6).toFixed(2)} M evaluations/s; ${k(r.rules.messagesPerS)} msg/s with rules vs ` +
    `${k(r.baseline.messagesPerS)} without` +
    (cpu === null ? '' : `; by CPU time ×${cpu.toFixed(2)}`) +
    describeSlices(r.rules.slices) +
    `; ${r.rules.alarmChanges} alarm list changes`
  );
}

/** The slowest and fastest slices of a stream, and how many ran under the target. */
function describeSlices(slices: number[] | undefined): string {
  if (!slices || slices.length < 2) return '';
  const under = slices.filter((x) => x < NODE_MIN).length;
  return (
    `; slices of ${(SLICE_MESSAGES / 1000).toFixed(0)}k messages ×${Math.min(...slices).toFixed(1)}–` +
    `×${Math.max(...slices).toFixed(1)}, ${under} of ${slices.length} under ×${NODE_MIN}`
  );
}

/** The rules stream's messages per CPU second, as a multiple of the stream rate (Node only). */
function cpuFactor(r: RulesBenchResult): number | null {
  return r.rules.cpuSeconds ? r.rules.messages / r.rules.cpuSeconds / STREAM_RATE : null;
}

/**
 * bench/pages/rulesNode.ts bundled for plain `node` (everything inlined, not minified): how the engine
 * runs without tsx's on-the-fly transform and its keepNames wrappers.
 */
async function buildNodeBundle(): Promise<string> {
  const outDir = join(root, '.tmp', 'bench-rules-node');
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: join(here, 'pages/rulesNode.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: 'rulesNode.mjs' } },
    },
  });
  return join(outDir, 'rulesNode.mjs');
}

/** One round in a fresh Node process; `argv` is the script (and loader) to run. */
function nodeRound(argv: string[], messages: number): Promise<RulesBenchResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...argv, String(messages)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`node round exited with ${code}`));
      done(JSON.parse(out.trim().split('\n').pop()!) as RulesBenchResult);
    });
  });
}

/** The same workload in a module worker in Chromium (a vite build of bench/pages/rules.html), a fresh page per round. */
async function workerPage(
  browser: Browser,
): Promise<{ round(messages: number): Promise<RulesBenchResult>; close(): void }> {
  const outDir = join(root, '.tmp', 'bench-rules-pages');
  await build({
    root: join(here, 'pages'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { rules: join(here, 'pages/rules.html') } } },
  });
  const web = await serveStatic(outDir);
  return {
    async round(messages) {
      const page = await browser.newPage();
      try {
        await page.goto(`http://127.0.0.1:${web.port}/rules.html?messages=${messages}&rounds=1`);
        const handle = await page.waitForFunction(
          () => (window as unknown as { rulesBench?: unknown }).rulesBench,
          null,
          {
            timeout: 300_000,
          },
        );
        const out = (await handle.jsonValue()) as { ok: true; result: RulesBenchResult } | { ok: false; error: string };
        if (!out.ok) throw new Error(`worker bench failed: ${out.error}`);
        return out.result;
      } finally {
        await page.close();
      }
    },
    close: () => web.server.close(),
  };
}

/**
 * The dashboard (a production build served by `vite preview` with the e2e twins) on Mosquitto: each
 * sample publishes a value over the alarm-lab limit that encodes the sample number, and the page
 * stamps the moment the alarm row shows that value; then a value back in range clears it.
 */
async function latencyBench(
  browser: Browser,
  samples: number,
): Promise<{ samples: number; p50: number; p95: number; max: number }> {
  const dist = join(root, '.tmp', 'bench-rules-app');
  const built = spawnSync('npx', ['vite', 'build', '--outDir', dist, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('vite build failed');
  const [tcpPort, wsPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const broker = await startMosquitto({ tcpPort, wsPort });
  let preview: ChildProcess | null = null;
  const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, { protocolVersion: 4 });
  try {
    // Vite itself, not through npx: a signal to npx does not reach its child, which would outlive the bench.
    const vite = join(root, 'node_modules/vite/bin/vite.js');
    preview = spawn(process.execPath, [vite, 'preview', '--outDir', dist, '--port', String(webPort), '--strictPort'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, TWINVIEW_TWINS_DIRS: 'models:e2e/twins', TWINVIEW_BROKER_URL: `ws://127.0.0.1:${wsPort}` },
    });
    await waitForHttp(`http://127.0.0.1:${webPort}/twins/index.json`);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${webPort}/?twin=alarm-lab`);
    await page.getByTestId('connection').and(page.locator('[data-state="online"]')).waitFor({ timeout: 30_000 });
    // Stamp the first moment each raised value is in the DOM.
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { alarmSeen: Record<string, number> }).alarmSeen = seen;
      new MutationObserver(() => {
        const row = document.querySelector('[data-alarm-id="lab.hot"][data-state="active"] .meta');
        const m = row?.textContent?.match(/value (\d+)/);
        if (m && !(m[1] in seen)) seen[m[1]] = Date.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const value = 100 + i;
      const sent = Date.now();
      await publisher.publishAsync('alarmlab/temp', String(value), { qos: 1 });
      const handle = await page.waitForFunction(
        (v) => (window as unknown as { alarmSeen: Record<string, number> }).alarmSeen[String(v)],
        value,
        { timeout: 10_000, polling: 5 },
      );
      latencies.push(((await handle.jsonValue()) as number) - sent);
      await publisher.publishAsync('alarmlab/temp', '0', { qos: 1 });
      await page.waitForTimeout(100);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { samples: latencies.length, p50: at(0.5), p95: at(0.95), max: latencies[latencies.length - 1] };
  } finally {
    await publisher.endAsync();
    preview?.kill('SIGTERM');
    await broker.stop();
  }
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
