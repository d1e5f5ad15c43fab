/**
 * `npm run bench -- frame-hold`: a tool, not a target. What one drawn frame of the pump station costs
 * the page's main thread in Chrome without a GPU (software compositing, WebGL by SwiftShader), per
 * window size, with only the pumps spinning (3 messages per 100 ms): the canvas' drawing buffer, the
 * draw calls and triangles of a frame, and how long a drawn frame holds the main thread (the scene's
 * own measure, `frameHoldMs`: from the draw call until the page's next task, which with software
 * compositing runs after Chrome has read the canvas back). It tells how much of publish-to-pixel is
 * the drawing and compositing rather than our code (docs/scene-performance.md). Each size is measured
 * twice, alternating: with partial frames (a spin frame redraws only around the spinning parts,
 * src/scene/damage.ts) and with every frame whole (`?frames=whole`, the baseline in the same run).
 * Flags: --sizes 640x400,1280x800,1920x1080 (CSS pixels), --seconds S (default 3, per size and mode).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import mqtt from 'mqtt';
import { build, preview } from 'vite';
import { startMosquitto } from '../e2e/mosquitto';
import { freePort } from '../server/test/ports';
import { cpuBetween, isGpuProcess, threadsBelow, type ThreadCpu } from './_procCpu';

interface Figures {
  size: string;
  mode: 'partial' | 'whole';
  /** Of the frames drawn, the share that were partial, and the share of the canvas each redrew. */
  partialFrames: number;
  partialShare: number;
  buffer: [number, number];
  framesPerS: number;
  callsPerFrame: number;
  trianglesPerFrame: number;
  holdMs: number;
  /** CPU of Chrome's GPU process per drawn frame (SwiftShader's threads draw there), ms; NaN off Linux. */
  gpuMsPerFrame: number;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: 'string', default: '640x400,1280x800,1920x1080' },
      seconds: { type: 'string', default: '3' },
    },
  });
  const sizes = values.sizes.split(',').map((s) => {
    const [w, h] = s.split('x').map(Number);
    if (!(w > 0 && h > 0)) throw new Error(`--sizes: "${s}" is not WIDTHxHEIGHT`);
    return { w, h };
  });
  const seconds = Math.max(1, Number(values.seconds));
  const root = process.cwd();
  const outDir = join(root, '.tmp', 'bench-frame-hold');
  console.log('building the app…');
  const configFile = join(root, 'vite.config.ts');
  await build({ root, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });

  const tcpPort = await freePort();
  const wsPort = await freePort();
  const broker = await startMosquitto({ tcpPort, wsPort });
  const wsUrl = `ws://127.0.0.1:${wsPort}`;
  process.env.TWINVIEW_TWINS_DIRS = 'models';
  process.env.TWINVIEW_BROKER_URL = wsUrl;
  const port = await freePort();
  const server = await preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  // Chrome's own configuration on a machine without a GPU, as the scene bench's latency runs.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-quic', '--enable-unsafe-swiftshader'],
  });
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`);
  let n = 0;
  const spin = setInterval(() => {
    n++;
    for (const pump of [1, 2, 3]) {
      const payload = { running: true, rpm: 1480, flow: 50 + (n % 7) / 10, bearing: { temp: 60 + (n % 5) / 10 } };
      void client.publishAsync(`plant/north/pumps/pump${pump}/telemetry`, JSON.stringify(payload));
    }
  }, 100);
  const rows: Figures[] = [];
  try {
    for (const { w, h, mode } of sizes.flatMap((s, i) =>
      (i % 2 === 0 ? (['partial', 'whole'] as const) : (['whole', 'partial'] as const)).map((mode) => ({ ...s, mode })),
    )) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      // Counts WebGL draw calls and triangles (the scene draws through WebGL2).
      await page.addInitScript(() => {
        const win = window as unknown as { __draws: { calls: number; triangles: number } };
        win.__draws = { calls: 0, triangles: 0 };
        const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: number[]) => void>;
        for (const name of ['drawElements', 'drawArrays', 'drawElementsInstanced', 'drawArraysInstanced']) {
          const original = proto[name];
          const elements = name.startsWith('drawElements');
          const instanced = name.endsWith('Instanced');
          proto[name] = function (this: unknown, ...a: number[]) {
            win.__draws.calls++;
            win.__draws.triangles += ((elements ? a[1] : a[2]) / 3) * (instanced ? a[a.length - 1] : 1);
            original.apply(this, a);
          };
        }
      });
      const frames = mode === 'whole' ? '&frames=whole' : '';
      await page.goto(`http://127.0.0.1:${port}/?twin=pump-station${frames}&broker=${encodeURIComponent(wsUrl)}`);
      await page.waitForFunction(
        () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
        null,
        { timeout: 60_000 },
      );
      await page.waitForTimeout(1500); // spinning, frame cost measured a few times
      const gpuPids = new Map<number, boolean>();
      const before: ThreadCpu[] = threadsBelow();
      const r = await page.evaluate(async (ms) => {
        type Probe = {
          frames(): number;
          stats(): { frameHoldMs: number; partialFrames: number; partialShare: number };
        };
        const win = window as unknown as { twinview: Probe; __draws: { calls: number; triangles: number } };
        const canvas = document.querySelector('canvas')!;
        const f0 = win.twinview.frames();
        const s0 = win.twinview.stats();
        win.__draws = { calls: 0, triangles: 0 };
        await new Promise((resolve) => setTimeout(resolve, ms));
        const s1 = win.twinview.stats();
        return {
          frames: win.twinview.frames() - f0,
          partial: s1.partialFrames - s0.partialFrames,
          partialShare: s1.partialShare - s0.partialShare,
          calls: win.__draws.calls,
          triangles: win.__draws.triangles,
          buffer: [canvas.width, canvas.height] as [number, number],
          holdMs: win.twinview.stats().frameHoldMs,
        };
      }, seconds * 1000);
      const gpuMs = before.length ? cpuBetween(before, threadsBelow(), (t) => isGpuProcess(t.pid, gpuPids)) : NaN;
      await page.close();
      const drawn = Math.max(1, r.frames);
      rows.push({
        size: `${w}x${h}`,
        mode,
        partialFrames: r.partial / drawn,
        partialShare: r.partial ? r.partialShare / r.partial : 0,
        buffer: r.buffer,
        framesPerS: r.frames / seconds,
        callsPerFrame: r.calls / drawn,
        trianglesPerFrame: r.triangles / drawn,
        holdMs: r.holdMs,
        gpuMsPerFrame: gpuMs / drawn,
      });
      const row = rows[rows.length - 1];
      console.log(
        `window ${row.size}, ${row.mode === 'whole' ? 'every frame whole' : `partial frames (${Math.round(row.partialFrames * 100)} % of frames, ${(row.partialShare * 100).toFixed(1)} % of the canvas each)`}: canvas buffer ${row.buffer.join('x')} (${(row.buffer[0] * row.buffer[1]).toLocaleString('en')} pixels), ` +
          `${row.framesPerS.toFixed(1)} frames/s spinning, ${row.callsPerFrame.toFixed(0)} draw calls and ` +
          `${Math.round(row.trianglesPerFrame).toLocaleString('en')} triangles a frame; a drawn frame holds the main thread ~${row.holdMs.toFixed(0)} ms ` +
          `and costs the GPU process (SwiftShader) ${row.gpuMsPerFrame.toFixed(1)} ms of CPU`,
      );
    }
  } finally {
    clearInterval(spin);
    await client.endAsync();
    await browser.close();
    await server.close();
    await broker.stop();
  }
}
