/**
 * `npm run bench -- worker-profile`: where each ingest page's worker spends its time per message. A
 * profiling tool, not a pass/fail benchmark: it loads the ingest bench's bare page (mqtt.js +
 * JSON.parse + a counter) and Twinview's page (the real engine worker), streams the same small or
 * batched messages into each, and records a V8 CPU profile of the page's worker (CDP, attached to the
 * worker target; 100 µs sampling) and the worker thread's CPU time from /proc. It prints, per side,
 * the thread's CPU per message, the JavaScript-visible busy time per message, and the functions by
 * self time, so that a change to the per-message path starts from a profile rather than a guess.
 * Profiles are written to .tmp/worker-profile/<side>.cpuprofile (Chrome DevTools opens them).
 *
 * Both sides are measured one after the other on a shared machine: compare the functions within one
 * profile (what share is the engine's), and take the /proc CPU figures, not wall time.
 *
 * Flags: --messages N (default 30000), --stream small|batched (default small), --interval US (sampling).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession } from '@playwright/test';
import { startMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';
import { buildBenchPages, serveStatic } from './_shared';
import { selfTime, type CpuProfile } from './_traceSummary';
import { cpuBetween, threadsBelow } from './_procCpu';
import type { BenchState } from './pages/probe';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const outDir = join(root, '.tmp', 'worker-profile');

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: '30000' },
      stream: { type: 'string', default: 'small' },
      interval: { type: 'string', default: '100' },
    },
  });
  const messages = Number(values.messages);
  const stream = values.stream === 'batched' ? 'batched' : 'small';
  const interval = Number(values.interval);
  mkdirSync(outDir, { recursive: true });
  const pagesDir = join(outDir, 'pages');
  // Unminified: the profile names our functions.
  await buildBenchPages(pagesDir, ['bare', 'twinview'], { minify: false });
  const web = await serveStatic(pagesDir);
  const tcpPort = await freePort();
  const wsPort = await freePort();
  const broker = await startMosquitto({ tcpPort, wsPort });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    for (const side of ['bare', 'twinview'] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const worker = await attachWorker(await context.newCDPSession(page));
      const readings = stream === 'small' ? 1 : 20;
      await page.goto(
        `http://127.0.0.1:${web.port}/${side}.html?broker=${encodeURIComponent(`ws://127.0.0.1:${wsPort}`)}&readings=${readings}`,
      );
      await page.waitForFunction(
        () => (window as unknown as { bench?: { state(): BenchState } }).bench?.state().online,
      );
      await publish(tcpPort, stream, 4000);
      // Warm up (subscription granted, JIT warm, signals created); the profile covers only what follows.
      const start = await settle(page, 4000);
      await worker.send('Profiler.enable');
      await worker.send('Profiler.setSamplingInterval', { interval });
      await worker.send('Profiler.start');
      const before = threadsBelow();
      await publish(tcpPort, stream, messages);
      const got = (await settle(page, start + messages)) - start;
      const after = threadsBelow();
      const { profile } = (await worker.send('Profiler.stop')) as { profile: CpuProfile };
      await context.close();
      writeFileSync(join(outDir, `${side}.cpuprofile`), JSON.stringify(profile));
      const threadMs = cpuBetween(before, after, (t) => t.comm === 'DedicatedWorker');
      const functions = selfTime(profile);
      const idle = functions.filter((f) => f.name === '(idle)' || f.name === '(program)');
      const busyMs = functions.reduce((a, f) => a + f.ms, 0) - idle.reduce((a, f) => a + f.ms, 0);
      const us = (ms: number) => ((ms * 1000) / Math.max(1, got)).toFixed(1);
      console.log(
        `\n${side}: ${got} of ${messages} ${stream} messages; worker thread ${us(threadMs)} µs CPU per message (/proc), ` +
          `${us(busyMs)} µs in JavaScript-visible samples`,
      );
      for (const f of functions.filter((x) => !idle.includes(x)).slice(0, 25))
        console.log(`  ${us(f.ms).padStart(6)} µs/msg  ${f.name}`);
    }
    console.log(`\nprofiles: ${outDir}/bare.cpuprofile, twinview.cpuprofile`);
  } finally {
    await browser.close();
    await broker.stop();
    web.server.close();
  }
}

/** A CDP channel to the page's dedicated worker (Playwright's own sessions do not reach workers). */
async function attachWorker(cdp: CDPSession): Promise<{ send(method: string, params?: object): Promise<unknown> }> {
  let sessionId = '';
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const attached = new Promise<void>((done) => {
    cdp.on('Target.attachedToTarget' as never, (e: { sessionId: string; targetInfo: { type: string } }) => {
      if (e.targetInfo.type !== 'worker') return;
      sessionId = e.sessionId;
      done();
    });
  });
  cdp.on('Target.receivedMessageFromTarget' as never, (e: { message: string }) => {
    const reply = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (reply.id === undefined) return;
    pending.get(reply.id)?.(reply.result ?? reply.error);
    pending.delete(reply.id);
  });
  // Not flattened: messages to the worker go through Target.sendMessageToTarget on this session.
  await cdp.send(
    'Target.setAutoAttach' as never,
    { autoAttach: true, waitForDebuggerOnStart: false, flatten: false } as never,
  );
  return {
    async send(method, params = {}) {
      await attached;
      const id = nextId++;
      const reply = new Promise<unknown>((done) => pending.set(id, done));
      await cdp.send(
        'Target.sendMessageToTarget' as never,
        { sessionId, message: JSON.stringify({ id, method, params }) } as never,
      );
      return reply;
    },
  };
}

/** The ingest bench's publisher, as fast as it can; resolves when it is done. */
function publish(tcpPort: number, stream: 'small' | 'batched', count: number): Promise<void> {
  const topics = stream === 'small' ? 2000 : 200;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        join(here, '_ingest-publisher.mjs'),
        `mqtt://127.0.0.1:${tcpPort}`,
        stream,
        String(count),
        '0',
        String(topics),
        '0',
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`publisher exited with ${code}`))));
  });
}

/** Waits until the page counts `expected` messages (or its count holds for 15 s); returns its count. */
async function settle(page: import('@playwright/test').Page, expected: number): Promise<number> {
  const read = () =>
    page.evaluate(() => (window as unknown as { bench: { state(): BenchState } }).bench.state().messages);
  let last = await read();
  let still = 0;
  while (still < 15_000) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await read();
    if (now >= expected && now === last && still >= 500) break;
    still = now === last ? still + 100 : 0;
    last = now;
  }
  return Math.round(last);
}
