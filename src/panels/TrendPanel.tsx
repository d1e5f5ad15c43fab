import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useTick } from '../app/useTick';
import { downsample } from '../lib/downsample';
import { parseDuration } from '../lib/duration';
import { clockMinutes, clockTime } from '../lib/clock';
import { signalMeta } from '../twin/signalMeta';

// Distinguishable in greyscale too (dash patterns), so the chart does not rely on colour alone.
const SERIES = [
  { color: '#1f5fa8', dash: undefined },
  { color: '#a8581f', dash: '6 3' },
  { color: '#3c7a3c', dash: '2 2' },
  { color: '#6b3fa0', dash: '8 2 2 2' },
];
const POINT_BUDGET = 240;

/** A trend over a time window, redrawn once a second from the bounded history rings. */
export function TrendPanel({
  twin,
  title,
  signals,
  window,
}: {
  twin: Twin;
  title: string;
  signals: string[];
  window: string | number;
}) {
  useTick(1000);
  const windowMs = parseDuration(window) ?? 300_000;
  const now = Date.now();
  const from = now - windowMs;
  const metas = useMemo(() => signals.map((id) => signalMeta(twin, id)), [twin, signals]);
  const series = signals.map((id) => {
    const i = telemetry.indexOf(id);
    const ring = i >= 0 ? telemetry.history[i] : undefined;
    if (!ring) return [];
    const start = ring.indexAtOrAfter(from);
    return downsample(
      ring.length - start,
      (k) => ring.timeAt(start + k),
      (k) => ring.valueAt(start + k),
      from,
      now,
      POINT_BUDGET,
    );
  });
  const unit = metas[0]?.unit ?? '';
  return (
    <section className="panel trend" aria-label={title}>
      <h2>{title}</h2>
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="#c9ccd0" strokeDasharray="2 4" />
            <XAxis
              dataKey="t"
              type="number"
              domain={[from, now]}
              tickFormatter={clockMinutes}
              tick={{ fontSize: 11 }}
              allowDataOverflow
            />
            <YAxis tick={{ fontSize: 11 }} domain={['auto', 'auto']} unit={unit ? ` ${unit}` : ''} width={64} />
            <Tooltip
              labelFormatter={(t) => clockTime(Number(t))}
              formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))}
            />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {series.map((data, k) => (
              <Line
                key={signals[k]}
                data={data}
                dataKey="v"
                name={metas[k].label}
                stroke={SERIES[k % SERIES.length].color}
                strokeDasharray={SERIES[k % SERIES.length].dash}
                dot={false}
                isAnimationActive={false}
                strokeWidth={1.5}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
