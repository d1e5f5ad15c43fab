import { useId } from 'react';
import { formatValue } from '../lib/format';
import type { AxisLayout } from './trendAxes';
import type { AlarmPeriod } from './trendAlarms';
import type { ChartPoint } from './trendData';
import type { ForecastLine } from './trendForecast';
import type { RuleLimit } from './trendLimits';
import { AXIS_WIDTH, CHART_HEIGHT, linePath, linearScale, niceTicks, plotBox, valueExtent } from './trendGeometry';

// Distinguishable in greyscale too (dash patterns), so the chart does not rely on colour alone.
const SERIES = [
  { color: '#1f5fa8', dash: undefined },
  { color: '#a8581f', dash: '6 3' },
  { color: '#3c7a3c', dash: '2 2' },
  { color: '#6b3fa0', dash: '8 2 2 2' },
];
const PRIORITY_FILL: Record<string, string> = {
  urgent: '#b3261e',
  high: '#d2452b',
  medium: '#c98a00',
  low: '#6c7a89',
};
const GRID_DASH = '2 4';
/** Gap between an axis line and its tick labels. */
const TICK_GAP = 6;

export interface ChartFrame {
  from: number;
  to: number;
  domain: [number, number];
  series: ChartPoint[][];
  periods: AlarmPeriod[];
  forecasts: ForecastLine[];
  marker: number | null;
}

/**
 * A trend's chart as plain SVG: the lines, one Y axis per unit, the time labels, rule limits, alarm
 * periods, forecasts and the replay marker, with the legend below. Everything is placed from
 * trendGeometry.ts; nothing is measured in the page. All text is set as text (React escapes it).
 */
export function TrendChart({
  width,
  frame,
  layout,
  limits,
  signals,
  names,
  xTicks,
  timeLabel,
  label,
}: {
  width: number;
  frame: ChartFrame;
  layout: AxisLayout;
  limits: readonly RuleLimit[];
  signals: readonly string[];
  /** Each signal's name in the legend ("Lab temperature (°C)"). */
  names: readonly string[];
  xTicks: readonly number[];
  timeLabel: (t: number) => string;
  label: string;
}) {
  const clipId = `trend-clip-${useId().replace(/[^\w-]/g, '')}`;
  const leftAxes = layout.axes.filter((a) => a.side === 'left');
  const rightAxes = layout.axes.filter((a) => a.side === 'right');
  const box = plotBox(width, leftAxes.length, rightAxes.length);
  const bottom = box.top + box.height;
  const right = box.left + box.width;
  const x = linearScale(frame.domain[0], frame.domain[1], box.left, right);

  // Each axis spans its own lines, their forecasts and their limits (a limit is always in view).
  const axes = layout.axes.map((a) => {
    const mine = (k: number) => layout.axisOf[k] === a.id;
    const lines = frame.series.filter((_, k) => mine(k));
    const forecasts = frame.forecasts.filter((f) => mine(signals.indexOf(f.signal))).map((f) => f.points);
    const values = limits.filter((l) => mine(signals.indexOf(l.signal))).map((l) => l.value);
    const extent = valueExtent([...lines, ...forecasts], values);
    const { domain, ticks } = extent
      ? niceTicks(extent[0], extent[1])
      : { domain: [0, 1] as [number, number], ticks: [] };
    const side = a.side === 'left' ? leftAxes.indexOf(a) : rightAxes.indexOf(a);
    // Its line: at the plot's edge for the first axis on a side, further out for the next ones.
    const at = a.side === 'left' ? box.left - side * AXIS_WIDTH : right + side * AXIS_WIDTH;
    return { ...a, at, ticks, y: linearScale(domain[0], domain[1], bottom, box.top) };
  });
  const axisById = new Map(axes.map((a) => [a.id, a]));
  const yOf = (k: number) => axisById.get(layout.axisOf[k])!.y;
  const first = axes[0];
  const clip = `url(#${clipId})`;

  return (
    <>
      <svg className="trend-svg" width={width} height={CHART_HEIGHT} role="img" aria-label={label}>
        <defs>
          <clipPath id={clipId}>
            <rect x={box.left} y={box.top} width={box.width} height={box.height} />
          </clipPath>
        </defs>
        <g className="trend-grid" stroke="#c9ccd0" strokeDasharray={GRID_DASH}>
          {first?.ticks.map((v) => (
            <line key={`h${v}`} x1={box.left} x2={right} y1={first.y(v)} y2={first.y(v)} />
          ))}
          {xTicks.map((t) => (
            <line key={`v${t}`} x1={x(t)} x2={x(t)} y1={box.top} y2={bottom} />
          ))}
        </g>
        {frame.periods.map((p, i) => {
          const x1 = x(Math.max(p.from, frame.from));
          const x2 = x(Math.min(p.to ?? frame.to, frame.to));
          return (
            <rect
              key={`${p.alarmId}-${i}`}
              className="trend-alarm-area"
              x={x1}
              y={box.top}
              // At least a pixel: an alarm that came and went within one is still seen.
              width={Math.max(1, x2 - x1)}
              height={box.height}
              fill={PRIORITY_FILL[p.priority] ?? PRIORITY_FILL.medium}
              fillOpacity={0.14}
              clipPath={clip}
            />
          );
        })}
        <g className="trend-x-axis">
          <line className="trend-axis-line" x1={box.left} x2={right} y1={bottom} y2={bottom} />
          <g className="trend-x-ticks">
            {xTicks.map((t) => (
              <g key={t} transform={`translate(${x(t)},${bottom})`}>
                <line className="trend-axis-line" y2={TICK_GAP} />
                <text y={TICK_GAP + 11} textAnchor="middle">
                  {timeLabel(t)}
                </text>
              </g>
            ))}
          </g>
        </g>
        {axes.map((a) => {
          const left = a.side === 'left';
          return (
            <g key={a.id} className="trend-y-axis" data-unit={a.unit}>
              <line className="trend-axis-line" x1={a.at} x2={a.at} y1={box.top} y2={bottom} />
              {a.ticks.map((v) => (
                <text
                  key={v}
                  x={left ? a.at - TICK_GAP : a.at + TICK_GAP}
                  y={a.y(v)}
                  dy="0.32em"
                  textAnchor={left ? 'end' : 'start'}
                >
                  {formatValue(v)}
                </text>
              ))}
              {a.unit && (
                <text
                  className="trend-unit"
                  textAnchor="middle"
                  transform={`translate(${left ? a.at - AXIS_WIDTH + 10 : a.at + AXIS_WIDTH - 10},${
                    box.top + box.height / 2
                  }) rotate(-90)`}
                >
                  {a.unit}
                </text>
              )}
            </g>
          );
        })}
        {limits.map((l) => {
          const k = signals.indexOf(l.signal);
          const y = yOf(k)(l.value);
          return (
            <g key={`${l.ruleId}-${l.signal}-${l.value}`} className="trend-limit-line">
              <line
                x1={box.left}
                x2={right}
                y1={y}
                y2={y}
                stroke={PRIORITY_FILL[l.priority] ?? PRIORITY_FILL.medium}
                strokeDasharray="4 3"
              />
              <text className="trend-limit-label" x={box.left + 5} y={y + 12}>
                {`${l.ruleId} ${l.op === 'forecast' ? '' : l.op} ${formatValue(l.value)}`}
              </text>
            </g>
          );
        })}
        <g clipPath={clip} fill="none" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round">
          {frame.series.map((points, k) => (
            <path
              key={signals[k]}
              className="trend-line"
              data-signal={signals[k]}
              d={linePath(points, x, yOf(k))}
              stroke={SERIES[k % SERIES.length].color}
              strokeDasharray={SERIES[k % SERIES.length].dash}
            />
          ))}
          {frame.forecasts.map((f) => {
            const k = signals.indexOf(f.signal);
            return (
              <path
                key={`forecast-${f.ruleId}`}
                className="trend-forecast-line"
                d={linePath(f.points, x, yOf(k))}
                stroke={SERIES[k % SERIES.length].color}
                strokeDasharray="5 4"
                strokeOpacity={0.8}
              />
            );
          })}
        </g>
        {frame.marker !== null && (
          <line
            className="trend-replay-marker"
            x1={x(frame.marker)}
            x2={x(frame.marker)}
            y1={box.top}
            y2={bottom}
            stroke="#202124"
            strokeWidth={2}
          />
        )}
      </svg>
      <ul className="trend-legend">
        {names.map((name, k) => (
          <li key={signals[k]} data-signal={signals[k]}>
            <svg width="18" height="8" aria-hidden="true">
              <line
                x1="1"
                x2="17"
                y1="4"
                y2="4"
                stroke={SERIES[k % SERIES.length].color}
                strokeDasharray={SERIES[k % SERIES.length].dash}
                strokeWidth={2}
              />
            </svg>
            {name}
          </li>
        ))}
      </ul>
    </>
  );
}
