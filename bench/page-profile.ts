/**
 * `npm run bench -- page-profile`: where the page's main thread spends its time while the ingest bench's
 * Twinview page (bench/pages/twinview.html: the real engine worker and TelemetryStore) takes a batched
 * stream (20 readings a message, 200 devices, 4,000 signals). Not a pass/fail benchmark: a profiling
 * tool, so that a long task is explained by a profile and not by a guess.
 *
 * It records a Chrome trace (every main-thread task with its wall time and its thread CPU time, GC
 * events) and a V8 CPU profile (100 µs sampling) over the stream, then prints:
 *  - the task-length distribution and the longest tasks, each with wall vs CPU time (a task whose CPU
 *    time is far below its wall time was preempted by other processes on a busy machine, not slow),
 *    and the functions that took its samples;
 *  - each of our handler's calls over 8 ms by the page's own clock, with the batch it applied;
 *  - the self time of the functions under the worker-message handler over the whole stream.
 * The raw trace and profile are written to .tmp/page-profile/ (open them in Chrome DevTools'
 * Performance panel to look further).
 *
 * Flags: --rate R readings/s (default 115000; 0 = as fast as the publisher can), --seconds S (default
 * 8), --threshold MS (tasks listed from this length, default 16), --interval US (sampling, default 100),
 * --warmup N (messages before the profile, default 4000: every signal known and the JIT warm; 0
 * profiles a page's first seconds with the fleet, as an operator opening the dashboard meets them).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';
import { buildBenchPages, serveStatic } from './_shared';
import { summariseTrace, type TraceEvent, type CpuProfile } from './_traceSummary';
import type { BenchState } from './pages/probe';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const outDir = join(root, '.tmp', 'page-profile');
const READINGS = 20;
const DEVICES = 200;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rate: { type: 'string', default: '115000' },
      seconds: { type: 'string', default: '8' },
      threshold: { type: 'string', default: '16' },
      interval: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '4000' },
    },
  });
  const readingsPerS = Math.max(0, Number(values.rate));
  const seconds = Math.max(1, Number(values.seconds));
  const threshold = Math.max(1, Number(values.threshold));
  const warmup = Math.max(0, Math.round(Number(values.warmup)));
  const messagesPerS = readingsPerS / READINGS;
  const count = Math.round(messagesPerS > 0 ? messagesPerS * seconds : 30_000);

  console.log('building the ingest bench pages…');
  const pagesOut = join(outDir, 'pages');
  await buildBenchPages(pagesOut, ['twinview'], { minify: false });
  const web = await serveStatic(pagesOut);
  const tcpPort = await freePort();
  const wsPort = await freePort();
  const broker = await startMosquitto({ tcpPort, wsPort });
  const tcpUrl = `mqtt://127.0.0.1:${tcpPort}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(
      `http://127.0.0.1:${web.port}/twinview.html?broker=${encodeURIComponent(`ws://127.0.0.1:${wsPort}`)}&readings=${READINGS}`,
    );
    const state = () => page.evaluate(() => (window as unknown as { bench: { state(): BenchState } }).bench.state());
    await page.waitForFunction(() => (window as unknown as { bench?: { state(): BenchState } }).bench?.state().online);
    if (warmup > 0) {
      // Warm-up: every device's signals known, the JIT warm.
      await publish(tcpUrl, warmup, 0, 0);
      let last = -1;
      while ((await state()).readings !== last) {
        last = (await state()).readings;
        await new Promise((r) => setTimeout(r, 300));
      }
    } else {
      // No warm-up: only time for the subscription to be granted after the page is online.
      await new Promise((r) => setTimeout(r, 500));
    }

    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => {
      for (const v of e.value) events.push(v as unknown as TraceEvent);
    });
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: {
        includedCategories: [
          'toplevel',
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8',
          'v8.execute',
          'disabled-by-default-v8.gc',
          '__metadata',
        ],
      },
    } as never);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: Number(values.interval) });
    await cdp.send('Profiler.start');
    await page.evaluate(() => (window as unknown as { bench: { reset(): void } }).bench.reset());
    const t0 = Date.now();
    const sent = await publish(tcpUrl, count, messagesPerS, 1_000_000);
    // Until the page has everything (or stops receiving).
    let after = await state();
    for (let still = 0; still < 5 && Date.now() - t0 < seconds * 1000 + 30_000;) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await state();
      still = now.readings === after.readings ? still + 1 : 0;
      after = now;
    }
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.end');
    await done;
    await context.close();

    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'trace.json'), JSON.stringify({ traceEvents: events }));
    writeFileSync(join(outDir, 'profile.cpuprofile'), JSON.stringify(profile));
    const received = after.readings;
    const span = Math.max(0.001, (after.lastAt - after.firstAt) / 1000);
    console.log(
      `stream: ${sent} messages of ${READINGS} readings (${readingsPerS ? `${readingsPerS.toLocaleString('en')} readings/s paced` : 'as fast as possible'}); ` +
        `page applied ${received.toLocaleString('en')} readings, ${Math.round(received / span).toLocaleString('en')} readings/s`,
    );
    for (const line of summariseTrace(events, profile, { thresholdMs: threshold })) console.log(line);
    // The page's own clock names what a long handling handled (the trace and profile cannot).
    console.log(`our handler's calls over 8 ms: ${after.slowHandlers.length || 'none'}`);
    for (const h of after.slowHandlers)
      console.log(`  ${(h.at / 1000).toFixed(2)} s into the stream: ${h.ms.toFixed(1)} ms wall, ${h.of}`);
    console.log(`\ntrace and profile: ${outDir}/trace.json, profile.cpuprofile`);
  } finally {
    await browser.close();
    await broker.stop();
    web.server.close();
  }
}

/** Runs the ingest bench's publisher (batched stream); resolves to the number of messages sent. */
function publish(tcpUrl: string, count: number, rate: number, firstIndex: number): Promise<number> {
  return new Promise((done, fail) => {
    const args = [tcpUrl, 'batched', String(count), String(rate), String(DEVICES), String(firstIndex)];
    const child = spawn(process.execPath, [join(here, '_ingest-publisher.mjs'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`publisher exited with ${code}`));
      done((JSON.parse(out.trim()) as { published: number }).published);
    });
  });
}
