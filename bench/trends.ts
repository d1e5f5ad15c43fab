/**
 * `npm run bench -- trends`: what one redraw of eight trend panels over a 24-hour window costs in
 * headless Chromium, against bare recharts drawing the same points in the same run (the baseline).
 * Each panel draws two signals whose rings hold a full day (36,000 samples each); a redraw adds one
 * sample per signal and redraws all eight (Twinview: merge + spike-keeping downsampling + the chart;
 * bare: the same downsampled points handed to recharts), timed until React, recharts and layout are
 * done. Rounds alternate the two pages. Flags: --redraws N (default 20), --rounds R (default 3).
 * Results: printed, and bench/results/trends.json. See docs/operator.md#trends.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { serveStatic } from './_shared';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

interface BenchApi {
  ready(): boolean;
  points(): number;
  redraw(): Promise<number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] : NaN;
};

async function measure(browser: Browser, url: string, redraws: number): Promise<{ times: number[]; points: number }> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { trendsBench?: BenchApi }).trendsBench?.ready() === true,
      null,
      {
        timeout: 60_000,
      },
    );
    const times = await page.evaluate(async (n) => {
      const api = (window as unknown as { trendsBench: BenchApi }).trendsBench;
      for (let i = 0; i < 3; i++) await api.redraw(); // warm-up
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        out.push(await api.redraw());
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
      return out;
    }, redraws);
    const points = await page.evaluate(() => (window as unknown as { trendsBench: BenchApi }).trendsBench.points());
    return { times, points };
  } finally {
    await page.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { redraws: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' } },
  });
  const redraws = Math.max(3, Math.round(Number(values.redraws)));
  const rounds = Math.max(1, Math.round(Number(values.rounds)));
  const outDir = join(root, '.tmp', 'bench-trends-page');
  console.log('building the bench page…');
  await build({
    root: join(here, 'pages'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { trends: join(here, 'pages/trends.html') } } },
  });
  const web = await serveStatic(outDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-quic', '--enable-unsafe-swiftshader'],
  });
  const twinview: number[] = [];
  const bare: number[] = [];
  let points = { twinview: 0, bare: 0 };
  try {
    for (let r = 0; r < rounds; r++) {
      const a = await measure(browser, `http://127.0.0.1:${web.port}/trends.html?mode=twinview`, redraws);
      const b = await measure(browser, `http://127.0.0.1:${web.port}/trends.html?mode=bare`, redraws);
      twinview.push(...a.times);
      bare.push(...b.times);
      points = { twinview: a.points, bare: b.points };
      console.log(
        `round ${r + 1}: Twinview ${median(a.times).toFixed(1)} ms, bare recharts ${median(b.times).toFixed(1)} ms`,
      );
    }
  } finally {
    await browser.close();
    web.server.close();
  }
  const result = {
    panels: 8,
    signalsPerPanel: 2,
    samplesPerSignal: 36_000,
    window: '24h',
    redraws: twinview.length,
    twinviewMs: { median: median(twinview), p95: p95(twinview) },
    bareRechartsMs: { median: median(bare), p95: p95(bare) },
    ratio: median(twinview) / median(bare),
    pointsDrawn: points,
    date: new Date().toISOString(),
  };
  console.log(
    `one redraw of 8 panels x 2 signals x 24 h (36,000 samples each): Twinview median ${result.twinviewMs.median.toFixed(1)} ms ` +
      `(p95 ${result.twinviewMs.p95.toFixed(1)}), bare recharts with the same points ${result.bareRechartsMs.median.toFixed(1)} ms ` +
      `(p95 ${result.bareRechartsMs.p95.toFixed(1)}); ratio ${result.ratio.toFixed(2)}`,
  );
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'trends.json'), JSON.stringify(result, null, 2) + '\n');
  console.log('written bench/results/trends.json');
}
