import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useAlarms } from '../store/alarms';
import { useReplay } from '../app/replay';
import { cursorTime, useTimeCursor } from '../store/timeCursor';
import { useTick } from '../app/useTick';
import { parseDuration } from '../lib/duration';
import { clockMinutes, clockTime, dateTime } from '../lib/clock';
import { formatValue } from '../lib/format';
import { signalMeta } from '../twin/signalMeta';
import {
  needsHistory,
  PRESET_WINDOWS,
  requestSpan,
  resolveSpan,
  windowLabel,
  type TrendSpan,
  type WindowChoice,
} from './trendWindow';
import { mergeSeries, pointAt, rawSamples, tabStart, type ChartPoint } from './trendData';
import { groupAxes } from './trendAxes';
import { timeTicks } from './trendTicks';
import { ruleLimits } from './trendLimits';
import { alarmPeriods, alarmsOnSignals, type AlarmTransition } from './trendAlarms';
import { forecastRules, projectForecast, type ForecastLine } from './trendForecast';
import { trendCsv, trendCsvFilename } from './trendCsv';
import { fetchAlarms, fetchForecasts, fetchSeries, type ForecastError } from './trendHistory';
import { TrendControls } from './TrendControls';
import { TrendChart, type ChartFrame } from './TrendChart';
import { plotBox } from './trendGeometry';

/** Points per series before the chart has been measured (about a wide panel's pixel width). */
const DEFAULT_BUDGET = 1000;
/** The forecast continues this share of the window beyond its end. */
const FORECAST_REACH = 0.2;
/** How often a trend asks again for history while the historian is not answering. */
const HISTORY_RETRY_MS = 30_000;

type HistoryStatus =
  | { state: 'idle' }
  | { state: 'loading'; key: string }
  | { state: 'ok'; key: string }
  | { state: 'unavailable'; key: string }
  | { state: 'error'; key: string; message: string };

/**
 * A trend over a time window: the tab's own history rings, and the historian's (the history API)
 * for what lies beyond them, in replay, or after a reload. Redrawn on a throttle (about once per
 * pixel of time, at most once a second), never per message; hover and keyboard give a readout.
 */
export function TrendPanel({
  twin,
  title,
  signals,
  window,
  onClose,
}: {
  twin: Twin;
  title: string;
  signals: string[];
  window: string | number;
  /** An ad-hoc trend (opened from the inspector) can be closed. */
  onClose?: () => void;
}) {
  const { t } = useTranslation('trends');
  const configuredMs = parseDuration(window) ?? 300_000;
  const [choice, setChoice] = useState<WindowChoice>({ kind: 'span', ms: configuredMs });
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [hover, setHover] = useState<{ x: number; t: number } | null>(null);
  const [chartRef, width, shown] = useWidth();

  // The cursor's structure re-renders the panel; its moving `at` is read on the panel's own tick.
  const mode = useTimeCursor((s) => s.mode);
  const range = useTimeCursor((s) => s.range);
  const playing = useTimeCursor((s) => s.playing);
  const playingFile = useReplay((s) => s.recording !== null);
  useTimeCursor((s) => (s.mode === 'replay' && !s.playing ? s.at : null));

  const now = Date.now();
  const cursorAt = mode === 'replay' ? cursorTime(useTimeCursor.getState(), now) : now;
  const span = resolveSpan(choice, { mode, at: cursorAt, range }, now, pausedAt);
  const spanMs = Math.max(1, span.to - span.from);

  const metas = useMemo(() => signals.map((id) => signalMeta(twin, id)), [twin, signals]);
  const layout = useMemo(() => groupAxes(metas.map((m) => m.unit)), [metas]);
  const limits = useMemo(() => ruleLimits(twin.rules, signals), [twin, signals]);
  const alarmIds = useMemo(() => alarmsOnSignals(twin.rules, signals), [twin, signals]);
  const leftAxes = layout.axes.filter((a) => a.side === 'left').length;
  const box = plotBox(width, leftAxes, layout.axes.length - leftAxes);
  const plotLeft = box.left;
  const plotWidth = box.width;
  const budget = width > 0 ? plotWidth : DEFAULT_BUDGET;

  // About one redraw per pixel of time: a 24-hour window changes visibly every ~90 s, not every second.
  const redrawMs = playing ? 500 : Math.min(30_000, Math.max(1000, spanMs / Math.max(1, plotWidth)));
  // A chart not on screen is not redrawn on its clock: never while not laid out (a closed drawer), every
  // few seconds while scrolled away (what it says stays about current), and at once when it comes back.
  const tick = useTick(shown === 'on' ? redrawMs : shown === 'away' ? Math.max(redrawMs, AWAY_REDRAW_MS) : 0);

  const rings = signals.map((id) => {
    const i = telemetry.indexOf(id);
    return i >= 0 ? telemetry.history[i] : undefined;
  });
  // A recording opened on the timeline is the whole story: the tab's rings hold it, the historian has none of it.
  const wantHistory = !playingFile && needsHistory(span, tabStart(rings), mode === 'replay');
  const history = useHistory(twin.id, signals, span, wantHistory, choice, budget);
  const forecastErrors = useForecastErrors(twin, signals);

  // Recomputed only when something it shows changed: a moving window on each tick; a still one
  // (paused, replay, custom range) when its span, the history or the size changes.
  const frameKey = [
    // A moving window: on its tick, when new samples came (telemetry.version) or the window changed.
    span.moving ? `tick${tick}|${spanMs}|${telemetry.version}` : `${span.from}-${span.to}`,
    history.version,
    budget,
    span.marker,
    telemetry.epoch,
  ].join('|');
  // What one redraw computed: everything the chart and the CSV show.
  const cache = useRef<{ key: string; frame: ChartFrame } | null>(null);
  if (cache.current?.key !== frameKey) {
    const series = signals.map((id, k) =>
      mergeSeries(history.series?.get(id) ?? null, rings[k], span.from, span.to, budget),
    );
    const { audit, all } = useAlarms.getState();
    const transitions: readonly AlarmTransition[] = history.transitions.length
      ? [...history.transitions, ...audit]
      : audit;
    const periods = alarmPeriods(transitions, all, alarmIds, span.from, span.to);
    const reach = spanMs * FORECAST_REACH;
    const forecasts: ForecastLine[] = [];
    signals.forEach((id, k) => {
      for (const rule of forecastRules(twin.rules, id)) {
        const line = projectForecast(rule, series[k], span.to, reach);
        if (line) forecasts.push(line);
      }
    });
    const domain: [number, number] = [span.from, span.to + (forecasts.length ? reach : 0)];
    cache.current = {
      key: frameKey,
      frame: { from: span.from, to: span.to, domain, series, periods, forecasts, marker: span.marker },
    };
  }
  const frame = cache.current.frame;

  // Labels on round times, placed without measuring text (trendTicks.ts).
  const xTicks = useMemo(() => timeTicks(frame.domain[0], frame.domain[1], plotWidth), [frame, plotWidth]);
  const names = useMemo(() => metas.map((m) => (m.unit ? `${m.label} (${m.unit})` : m.label)), [metas]);
  const chart = useMemo(
    () => (
      <TrendChart
        width={Math.max(1, width)}
        frame={frame}
        layout={layout}
        limits={limits}
        signals={signals}
        names={names}
        xTicks={xTicks}
        timeLabel={(v) => axisTime(v, frame.to - frame.from)}
        label={t('chart', { title, signals: metas.map((m) => m.label).join(', ') })}
      />
    ),
    [frame, width, layout, limits, metas, names, signals, t, title, xTicks],
  );

  const hoverAt = (x: number) => {
    if (x < plotLeft || x > plotLeft + plotWidth) return setHover(null);
    const [d0, d1] = frame.domain;
    setHover({ x, t: d0 + ((x - plotLeft) / plotWidth) * (d1 - d0) });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) =>
    hoverAt(e.clientX - e.currentTarget.getBoundingClientRect().left);
  // The readout from the keyboard: arrows step through the window, Home/End jump, Escape hides it.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = plotWidth / 50;
    const x = hover?.x ?? plotLeft + plotWidth;
    const next =
      e.key === 'ArrowLeft'
        ? x - step
        : e.key === 'ArrowRight'
          ? x + step
          : e.key === 'Home'
            ? plotLeft
            : e.key === 'End'
              ? plotLeft + plotWidth
              : null;
    if (e.key === 'Escape') setHover(null);
    if (next === null) return;
    e.preventDefault();
    hoverAt(Math.min(plotLeft + plotWidth, Math.max(plotLeft, next)));
  };

  const exportCsv = () => {
    const csv = trendCsv(
      signals.map((id, k) => ({
        signal: id,
        unit: metas[k].unit,
        shown: frame.series[k],
        raw: rawSamples(rings[k], frame.from, frame.to),
      })),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = trendCsvFilename(twin.id, frame.from, frame.to);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const windows = PRESET_WINDOWS.some((w) => w.ms === configuredMs)
    ? PRESET_WINDOWS.map((w) => w.ms)
    : [configuredMs, ...PRESET_WINDOWS.map((w) => w.ms)];
  const long = frame.to - frame.from > 86_400_000;
  const timeText = (v: number) => (long ? dateTime(v) : clockTime(v));
  const points = frame.series.reduce((n, s) => n + s.length, 0);
  return (
    <section
      className="panel trend"
      aria-label={title}
      data-testid="trend"
      data-signals={signals.join(',')}
      data-from={Math.round(frame.from)}
      data-to={Math.round(frame.to)}
      data-window={choice.kind === 'span' ? choice.ms : 'custom'}
      data-paused={pausedAt !== null}
      data-points={points}
      data-axes={layout.axes.map((a) => a.unit).join('|')}
      data-history={history.status.state}
    >
      <h2>
        {title}
        {onClose && (
          <button type="button" className="trend-close" onClick={onClose} aria-label={t('close')} title={t('close')}>
            ×
          </button>
        )}
      </h2>
      <TrendControls
        windows={windows}
        choice={choice}
        onChoose={(c) => {
          setChoice(c);
          setPausedAt(null);
        }}
        paused={pausedAt !== null}
        onPause={(p) => setPausedAt(p ? Date.now() : null)}
        onExport={exportCsv}
        disabled={mode === 'replay' || range !== null}
        span={frame}
      />
      <p className="trend-range">
        <span data-testid="trend-range">{t('range', { from: timeText(frame.from), to: timeText(frame.to) })}</span>
        {choice.kind === 'span' && !range && mode === 'live' && <> · {windowLabel(choice.ms, t)}</>}
        {pausedAt !== null && <strong className="trend-paused"> · {t('paused')}</strong>}
        {frame.marker !== null && (
          <strong className="trend-replay" data-testid="trend-replay">
            {' '}
            · {t('replayAt', { time: timeText(frame.marker) })}
          </strong>
        )}
        <HistoryNote status={history.status} />
      </p>
      <div
        className="chart"
        ref={chartRef}
        tabIndex={0}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setHover(null)}
        data-testid="trend-chart"
      >
        {width > 0 && chart}
        {hover && (
          <Readout
            x={hover.x}
            width={width}
            time={timeText(hover.t)}
            rows={signals.map((id, k) => {
              const p = pointAt(frame.series[k], hover.t);
              return {
                id,
                label: metas[k].label,
                value: p && p.v !== null ? formatValue(p.v, metas[k].unit) : t('noValue'),
              };
            })}
          />
        )}
      </div>
      <Marks
        limits={limits.map((l) => ({
          key: `${l.ruleId}-${l.signal}-${l.value}`,
          rule: l.ruleId,
          text: t('limit', {
            rule: l.ruleId,
            op: l.op === 'forecast' ? '→' : l.op,
            value: formatValue(l.value, metas[signals.indexOf(l.signal)].unit),
          }),
        }))}
        periods={frame.periods.map((p) => ({
          key: `${p.alarmId}-${p.from}`,
          alarm: p.alarmId,
          open: p.to === null,
          text: t('alarmPeriod', {
            alarm: p.alarmId,
            from: timeText(p.from),
            to: p.to === null ? t('stillActive') : timeText(p.to),
          }),
        }))}
        forecasts={frame.forecasts.map((f) => {
          const k = signals.indexOf(f.signal);
          const unit = metas[k].unit;
          const err = forecastErrors.get(`${f.signal}|${f.ruleId}`);
          return {
            key: f.ruleId,
            signal: f.signal,
            text: [
              t('forecast', {
                signal: metas[k].label,
                value: formatValue(f.points[1].v ?? NaN, unit),
                ahead: durationText(f.points[1].t - f.points[0].t, t),
              }),
              f.etaMs !== null && f.etaMs > 0
                ? t('forecastEta', { limit: formatValue(f.limit, unit), eta: durationText(f.etaMs, t) })
                : null,
              err ? t('forecastError', { error: formatValue(err.meanAbsError, unit), count: err.n }) : null,
            ]
              .filter(Boolean)
              .join(' · '),
          };
        })}
      />
    </section>
  );
}

/** Axis tick text: seconds for short windows (minute ticks would repeat), the date beyond a day. */
function axisTime(t: number, spanMs: number): string {
  if (spanMs > 86_400_000) return dateTime(t);
  return spanMs <= 10 * 60_000 ? clockTime(t) : clockMinutes(t);
}

function durationText(ms: number, t: (key: string, o: Record<string, unknown>) => string): string {
  if (ms >= 3_600_000) return t('window.hours', { count: Math.round(ms / 360_000) / 10 });
  if (ms >= 60_000) return t('window.minutes', { count: Math.round(ms / 60_000) });
  return t('window.seconds', { count: Math.round(ms / 1000) });
}

function HistoryNote({ status }: { status: HistoryStatus }) {
  const { t } = useTranslation('trends');
  if (status.state === 'unavailable')
    return (
      <span className="trend-note" data-testid="trend-history-note" title={t('history.unavailableTitle')}>
        {' '}
        · {t('history.unavailable')}
      </span>
    );
  if (status.state === 'error')
    return (
      <span className="trend-note error" data-testid="trend-history-note">
        {' '}
        · {t('history.error', { message: status.message })}
      </span>
    );
  if (status.state === 'loading')
    return (
      <span className="trend-note" aria-live="polite">
        {' '}
        · {t('history.loading')}
      </span>
    );
  return null;
}

function Readout({
  x,
  width,
  time,
  rows,
}: {
  x: number;
  width: number;
  time: string;
  rows: { id: string; label: string; value: string }[];
}) {
  const { t } = useTranslation('trends');
  const flip = x > width / 2;
  return (
    <>
      <div className="trend-hover-line" style={{ left: x }} aria-hidden="true" />
      <div
        className="trend-readout"
        data-testid="trend-readout"
        role="status"
        style={flip ? { right: width - x + 8 } : { left: x + 8 }}
      >
        <div className="trend-readout-time">{t('readout', { time })}</div>
        {rows.map((r) => (
          <div key={r.id} data-signal={r.id}>
            {r.label}: <strong>{r.value}</strong>
          </div>
        ))}
      </div>
    </>
  );
}

/** The limits, alarm periods and forecasts as text: what the lines and shading mean, readable without the chart. */
function Marks({
  limits,
  periods,
  forecasts,
}: {
  limits: { key: string; rule: string; text: string }[];
  periods: { key: string; alarm: string; open: boolean; text: string }[];
  forecasts: { key: string; signal: string; text: string }[];
}) {
  const { t } = useTranslation('trends');
  if (limits.length === 0 && periods.length === 0 && forecasts.length === 0) return null;
  return (
    <div className="trend-marks">
      {limits.length > 0 && (
        <ul aria-label={t('limits')}>
          {limits.map((l) => (
            <li key={l.key} data-testid="trend-limit" data-rule={l.rule}>
              {l.text}
            </li>
          ))}
        </ul>
      )}
      {periods.length > 0 && (
        <ul aria-label={t('alarmPeriods')}>
          {periods.map((p) => (
            <li key={p.key} data-testid="trend-alarm-period" data-alarm={p.alarm} data-open={p.open}>
              {p.text}
            </li>
          ))}
        </ul>
      )}
      {forecasts.map((f) => (
        <p key={f.key} className="trend-forecast" data-testid="trend-forecast" data-signal={f.signal}>
          {f.text}
        </p>
      ))}
    </div>
  );
}

/** Whether a chart is on screen, scrolled away, or not laid out at all (display: none). */
type Shown = 'on' | 'away' | 'hidden';
/** How often a chart scrolled out of view is redrawn. */
const AWAY_REDRAW_MS = 5000;

/**
 * The width of an element, kept up to date (the chart's pixel width is its point budget), and whether
 * any of it is on screen (not in a closed drawer, not scrolled away).
 */
function useWidth(): [(el: HTMLDivElement | null) => void, number, Shown] {
  const [width, setWidth] = useState(0);
  const [shown, setShown] = useState<Shown>('on');
  const observer = useRef<ResizeObserver | null>(null);
  const seen = useRef<IntersectionObserver | null>(null);
  const ref = useMemo(
    () => (el: HTMLDivElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      seen.current?.disconnect();
      seen.current = null;
      if (!el) return;
      setWidth(Math.floor(el.clientWidth));
      observer.current = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
      observer.current.observe(el);
      if (typeof IntersectionObserver === 'function') {
        seen.current = new IntersectionObserver((entries) => {
          const e = entries[entries.length - 1];
          setShown(e.isIntersecting ? 'on' : e.boundingClientRect.width === 0 ? 'hidden' : 'away');
        });
        seen.current.observe(el);
      }
    },
    [],
  );
  return [ref, width, shown];
}

interface HistoryData {
  status: HistoryStatus;
  series: Map<string, ChartPoint[]> | null;
  transitions: AlarmTransition[];
  /** Changes whenever series or transitions do. */
  version: number;
}

/**
 * The historian's points for the span, asked for only when the span reaches beyond the tab (or in
 * replay). A live window asks once when chosen (the tab's own samples continue it); a still one
 * (replay, custom, host range) asks for its span, snapped so a playing replay asks about 50 times a
 * window. The last answer stays drawn while the next is on its way.
 */
function useHistory(
  twin: string,
  signals: readonly string[],
  span: TrendSpan,
  wanted: boolean,
  choice: WindowChoice,
  budget: number,
): HistoryData {
  const [data, setData] = useState<HistoryData>({
    status: { state: 'idle' },
    series: null,
    transitions: [],
    version: 0,
  });
  const [retry, setRetry] = useState(0);
  const budgetRef = useRef(budget);
  budgetRef.current = budget;
  const snapped = requestSpan(span);
  const signalKey = signals.join(',');
  const key = !wanted
    ? null
    : span.moving
      ? `live|${twin}|${signalKey}|${choice.kind === 'span' ? choice.ms : 0}|${retry}`
      : `span|${twin}|${signalKey}|${snapped.from}|${snapped.to}|${retry}`;
  const from = span.moving ? span.from : snapped.from;
  const to = span.moving ? span.to : snapped.to;
  const fromRef = useRef(from);
  const toRef = useRef(to);
  fromRef.current = from;
  toRef.current = to;

  useEffect(() => {
    if (key === null) return;
    const abort = new AbortController();
    const q = {
      twin,
      signals: signalKey.split(','),
      from: fromRef.current,
      to: toRef.current,
      points: budgetRef.current,
    };
    setData((d) => ({ ...d, status: { state: 'loading', key } }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        const [series, alarms] = await Promise.all([
          fetchSeries(fetch, q, abort.signal),
          fetchAlarms(fetch, q, abort.signal),
        ]);
        if (abort.signal.aborted) return;
        if (!series.ok) {
          setData((d) => ({
            ...d,
            status:
              series.kind === 'unavailable'
                ? { state: 'unavailable', key }
                : { state: 'error', key, message: series.message },
          }));
          if (series.kind === 'unavailable') timer = setTimeout(() => setRetry((r) => r + 1), HISTORY_RETRY_MS);
          return;
        }
        setData((d) => ({
          status: { state: 'ok', key },
          series: series.value,
          transitions: alarms.ok ? alarms.value : [],
          version: d.version + 1,
        }));
      } catch {
        // Aborted: a newer question replaced this one.
      }
    })();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, twin, signalKey]);

  if (key === null && data.status.state !== 'idle')
    return { status: { state: 'idle' }, series: null, transitions: [], version: data.version };
  return data;
}

/** Past forecast accuracy from the historian, by "signal|rule", for the signals with forecast rules. */
function useForecastErrors(twin: Twin, signals: readonly string[]): Map<string, ForecastError> {
  const [errors, setErrors] = useState<Map<string, ForecastError>>(() => new Map());
  const forecasted = signals.filter((id) => forecastRules(twin.rules, id).length > 0).join(',');
  useEffect(() => {
    if (forecasted === '') return;
    const abort = new AbortController();
    const to = Date.now();
    void fetchForecasts(
      fetch,
      { twin: twin.id, signals: forecasted.split(','), from: to - 7 * 86_400_000, to },
      abort.signal,
    )
      .then((res) => {
        if (res.ok && !abort.signal.aborted) setErrors(new Map(res.value.map((e) => [`${e.signal}|${e.rule}`, e])));
      })
      .catch(() => {
        // Aborted, or no historian: no error figure beside the forecast.
      });
    return () => abort.abort();
  }, [twin.id, forecasted]);
  return errors;
}
