/**
 * `npm run bench -- rules`: the cost of rules and alarms.
 *
 * 1. Rule evaluations per second for 10,000 rules of mixed kinds (threshold, range, delays, rate,
 *    window average, multi-signal expression, stale, suppression, anomaly, forecast) over 1,000
 *    signals fed a stream stamped at 100,000 messages/s, through the real Engine: in Node, and in a
 *    module worker inside headless Chromium. Baseline, same run: the same stream with no rules.
 * 2. Message-to-alarm-visible latency, p50/p95, in the real dashboard (a vite build, the alarm-lab
 *    e2e twin) in headless Chromium against Mosquitto: from the publish to the alarm row in the DOM.
 *
 * Prints the figures and writes bench/results/rules.json. Flags: --messages N (per stream round),
 * --rounds R (best of R; the machine is shared and noisy), --latency-samples N.
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
import { runRulesBench, SIGNALS, RULES_PER_SIGNAL, STREAM_RATE, type RulesBenchResult } from './pages/rulesCore';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
};

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: '300000' },
      rounds: { type: 'string', default: '3' },
      'latency-samples': { type: 'string', default: '40' },
    },
  });
  const messages = Number(values.messages);
  const rounds = Math.max(1, Number(values.rounds));
  const samples = Math.max(5, Number(values['latency-samples']));
  console.log(
    `${SIGNALS * RULES_PER_SIGNAL} rules over ${SIGNALS} signals; ${messages} messages stamped at ${STREAM_RATE}/s; best of ${rounds}`,
  );

  const node = runRulesBench(messages, rounds);
  print('node', node);

  const browser = await chromium.launch(LAUNCH);
  let worker: RulesBenchResult;
  let latency: { samples: number; p50: number; p95: number; max: number };
  try {
    worker = await workerBench(browser, messages, rounds);
    print('chromium worker', worker);
    latency = await latencyBench(browser, samples);
    console.log(
      `alarm latency (publish → alarm row in the dashboard DOM, Mosquitto, ${latency.samples} samples): ` +
        `p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
  }
  const results = { date: new Date().toISOString(), messages, rounds, streamRate: STREAM_RATE, node, worker, latency };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'rules.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results/rules.json');
}

function print(where: string, r: RulesBenchResult): void {
  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  console.log(
    `${where}: ${(r.rules.evaluationsPerS / 1e6).toFixed(2)} M rule evaluations/s; ` +
      `${k(r.rules.messagesPerS)} msg/s with rules vs ${k(r.baseline.messagesPerS)} msg/s without ` +
      `(rules cost ×${(r.baseline.messagesPerS / r.rules.messagesPerS).toFixed(1)}); ` +
      `${r.realTimeFactor.toFixed(2)}× the ${k(STREAM_RATE)} msg/s stream; ${r.rules.alarmChanges} alarm list changes`,
  );
}

/** The same workload in a module worker in Chromium (a vite build of bench/pages/rules.html). */
async function workerBench(browser: Browser, messages: number, rounds: number): Promise<RulesBenchResult> {
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
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${web.port}/rules.html?messages=${messages}&rounds=${rounds}`);
    const handle = await page.waitForFunction(() => (window as unknown as { rulesBench?: unknown }).rulesBench, null, {
      timeout: 300_000,
    });
    const out = (await handle.jsonValue()) as { ok: true; result: RulesBenchResult } | { ok: false; error: string };
    if (!out.ok) throw new Error(`worker bench failed: ${out.error}`);
    return out.result;
  } finally {
    web.server.close();
  }
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
