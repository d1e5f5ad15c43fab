/**
 * The trends bench page (bench/trends.ts): eight panels of two signals each over a full 24-hour ring
 * (36,000 samples per signal), drawn by Twinview's TrendPanel (`?mode=twinview`) or by bare recharts
 * with the same points (`?mode=bare`). `window.trendsBench.redraw()` adds one sample per signal and
 * redraws every panel once, returning the milliseconds until React, recharts and layout are done.
 */
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from 'recharts';
import en from '../../src/i18n/locales/en/trends.json';
import { TrendPanel } from '../../src/panels/TrendPanel';
import { mergeSeries, type ChartPoint } from '../../src/panels/trendData';
import { telemetry } from '../../src/store/telemetry';
import type { Twin } from '../../src/twin/schema';

export const PANELS = 8;
const PER_PANEL = 2;
const DAY = 86_400_000;
const SAMPLES = 36_000;
const WIDTH = 360;
/** The bare chart's plot width: the panel's width less its one Y axis (what TrendPanel budgets). */
const BUDGET = WIDTH - 56 - 8;

const mode = new URLSearchParams(location.search).get('mode') === 'bare' ? 'bare' : 'twinview';
void i18next.use(initReactI18next).init({ resources: { en: { trends: en } }, lng: 'en', initAsync: false });

const ids = Array.from({ length: PANELS * PER_PANEL }, (_, i) => `bench.s${i}`);
const twin = {
  id: 'bench',
  title: 'bench',
  signals: ids.map((id) => ({ id, topic: `bench/${id}`, label: id, unit: '°C' })),
  rules: [],
  panels: [],
} as unknown as Twin;

// A day of a slow random walk per signal, ending now.
const now = Date.now();
telemetry.addSignals(ids.map((id, index) => ({ index, id, def: index, label: id, unit: '°C' })));
ids.forEach((_, i) => {
  const ring = telemetry.history[i];
  let v = 50 + i;
  for (let k = 0; k < SAMPLES; k++) {
    v += Math.sin(k * 0.01 + i) * 0.3 + ((k * 7919 + i * 104729) % 101) / 100 - 0.5;
    ring.push(now - DAY + (k * DAY) / SAMPLES, v);
  }
});

function pushSample(): void {
  const t = Date.now();
  ids.forEach((_, i) => telemetry.history[i].push(t, 50 + i));
  telemetry.version++;
}

function panelSignals(p: number): string[] {
  return ids.slice(p * PER_PANEL, (p + 1) * PER_PANEL);
}

function TwinviewPanels({ n }: { n: number }) {
  return (
    <div className="grid" data-n={n}>
      {Array.from({ length: PANELS }, (_, p) => (
        <div key={p} style={{ width: WIDTH }}>
          <TrendPanel twin={twin} title={`Panel ${p}`} signals={panelSignals(p)} window="24h" />
        </div>
      ))}
    </div>
  );
}

/** The same points TrendPanel draws (the same merge and downsampling), drawn by recharts alone. */
let barePoints = 0;
function BarePanels({ n }: { n: number }) {
  barePoints = 0;
  const to = Date.now();
  const from = to - DAY;
  return (
    <div className="grid" data-n={n}>
      {Array.from({ length: PANELS }, (_, p) => (
        <div key={p} className="bare" data-testid="bare" style={{ width: WIDTH }}>
          <LineChart width={WIDTH} height={170} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#c9ccd0" strokeDasharray="2 4" />
            <XAxis dataKey="t" type="number" domain={[from, to]} allowDataOverflow />
            <YAxis width={56} domain={['auto', 'auto']} />
            <Legend />
            {panelSignals(p).map((id) => {
              const ring = telemetry.history[telemetry.indexOf(id)];
              const data: ChartPoint[] = mergeSeries(null, ring, from, to, BUDGET);
              barePoints += data.length;
              return <Line key={id} data={data} dataKey="v" dot={false} isAnimationActive={false} />;
            })}
          </LineChart>
        </div>
      ))}
    </div>
  );
}

let bump: (() => void) | null = null;
function App() {
  const [n, setN] = useState(0);
  bump = () => setN((x) => x + 1);
  return mode === 'bare' ? <BarePanels n={n} /> : <TwinviewPanels n={n} />;
}

createRoot(document.getElementById('root')!).render(<App />);

(window as unknown as { trendsBench: unknown }).trendsBench = {
  mode,
  /** Panels drawn with points (TrendPanel measures its width after mounting). */
  ready(): boolean {
    if (mode === 'bare') return document.querySelectorAll('[data-testid="bare"] .recharts-line').length >= PANELS;
    const panels = Array.from(document.querySelectorAll('[data-testid="trend"]'));
    return panels.length === PANELS && panels.every((p) => Number(p.getAttribute('data-points')) > 0);
  },
  points(): number {
    if (mode === 'bare') return barePoints;
    return Array.from(document.querySelectorAll('[data-testid="trend"]')).reduce(
      (s, p) => s + Number(p.getAttribute('data-points')),
      0,
    );
  },
  async redraw(): Promise<number> {
    pushSample();
    const t0 = performance.now();
    flushSync(() => bump?.());
    // recharts finishes in effects after the commit; then the layout the browser must do.
    await new Promise((r) => setTimeout(r, 0));
    void document.body.offsetHeight;
    return performance.now() - t0;
  },
};
