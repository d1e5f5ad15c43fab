import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { PLAY_SPEEDS, useTimeCursor } from '../store/timeCursor';
import { useAlarms } from '../store/alarms';
import { clockMinutes, clockTime, dateTime } from '../lib/clock';
import { mergeTransitions } from './replayAlarms';
import { showAlarmMoment, startTimeTravel, useReplay } from './replay';
import {
  alarmMarks,
  fractionOf,
  keyAction,
  ticks,
  timeAtFraction,
  timelineWindow,
  ZOOMS,
  zoomMs,
  type ZoomId,
} from './timelineModel';
import type { OpenResult } from './recordingOpen';

// Recordings are opened, closed and exported on request: their code loads then, not with the page
// (the initial JavaScript budget, tools/bundle-size.ts).
const recordings = () => import('./recordingOpen');
const closeRecording = () => void recordings().then((r) => r.closeRecording());

/**
 * Makes the page follow the time cursor (src/app/replay.ts) while mounted, and opens
 * `?recording=<url>` once. One per page: the operator and embed layouts mount it.
 */
export function TimeTravel({ twin }: { twin: Twin }) {
  const { t } = useTranslation('timeline');
  useEffect(() => startTimeTravel(twin), [twin]);
  useEffect(() => {
    const value = new URLSearchParams(location.search).get('recording');
    if (value)
      void recordings()
        .then((r) => r.openRecordingUrl(twin, value))
        .then((r) => reportOpen(r, t));
  }, [twin, t]);
  return null;
}

type T = ReturnType<typeof useTranslation>['t'];

function reportOpen(r: OpenResult, t: T): void {
  if (r.ok) return useReplay.setState({ notice: null });
  const text =
    r.kind === 'bad-line'
      ? t('openFailed', { name: r.name, line: r.line, reason: r.reason })
      : r.kind === 'empty'
        ? t('openEmpty', { name: r.name })
        : t('openFetchFailed', { name: r.name, reason: r.reason });
  useReplay.setState({ notice: { kind: 'error', text } });
}

/** The operator's timeline under the scene: span, alarm marks, scrubber, playback, live, recordings. */
export function Timeline({ twin }: { twin: Twin }) {
  const { t } = useTranslation('timeline');
  const [zoom, setZoom] = useState<ZoomId>('24h');
  const mode = useTimeCursor((s) => s.mode);
  // Live, `at` follows the clock (a tick a second), but the track moves visibly only about once per
  // pixel of the window (a thousandth of it: 86 s at 24 h): re-rendered then, not every second. The
  // window is worked out from the cursor's time at each render, so it is never more than that behind.
  const liveStep = Math.max(1000, zoomMs(zoom) / 1000);
  useTimeCursor((s) => (s.mode === 'live' ? Math.floor(s.at / liveStep) : s.at));
  const cursorAt = useTimeCursor.getState().at;
  const playing = useTimeCursor((s) => s.playing);
  const speed = useTimeCursor((s) => s.speed);
  const range = useTimeCursor((s) => s.range);
  const recording = useReplay((s) => s.recording);
  const historian = useReplay((s) => s.historian);
  const historianTransitions = useReplay((s) => s.historianTransitions);
  const notice = useReplay((s) => s.notice);
  const audit = useAlarms((s) => s.audit);
  const [busy, setBusy] = useState(false);
  const track = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const live = mode === 'live';
  // Live, the window ends at this render's now: an alarm raised since the cursor's last tick is on it.
  const at = live ? Date.now() : cursorAt;
  const now = live ? at : Date.now();
  const w = timelineWindow(zoomMs(zoom), at, now, range);
  const endsNow = range === null;
  const transitions = useMemo(
    () => (recording ? recording.transitions : mergeTransitions(audit, historianTransitions)),
    [recording, audit, historianTransitions],
  );
  const marks = alarmMarks(transitions, w);
  const cursor = useTimeCursor.getState;

  const seekToPointer = (clientX: number) => {
    const box = track.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    const f = (clientX - box.left) / box.width;
    if (endsNow && f >= 1) cursor().goLive();
    else cursor().seek(timeAtFraction(f, w));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    dragging.current = true;
    seekToPointer(e.clientX);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) seekToPointer(e.clientX);
  };
  const endDrag = () => {
    dragging.current = false;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const action = keyAction(e.key, at, w, endsNow);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'live') cursor().goLive();
    else cursor().seek(action.t);
  };
  const goLive = () => (recording ? closeRecording() : cursor().goLive());

  const exportSpan = async () => {
    setBusy(true);
    try {
      const from = w.from;
      // A live window ends now, not at its last re-render (up to a second ago): the newest values count.
      const to = live && endsNow ? Date.now() : Math.min(w.to, Date.now());
      const { exportRecording, download } = await recordings();
      const res = await exportRecording(twin.id, from, to);
      if (!res.ok) {
        const text = res.reason === 'empty' ? t('exportEmpty') : t('exportFailed', { reason: res.reason });
        useReplay.setState({ notice: { kind: 'error', text } });
        return;
      }
      download(res.text, res.fileName);
      useReplay.setState({ notice: { kind: 'info', text: t(`exportedFrom.${res.source}`) } });
    } finally {
      setBusy(false);
    }
  };
  const openFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const { openRecordingText } = await recordings();
      reportOpen(await openRecordingText(twin, file.name, await file.text()), t);
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const timeText = live ? t('live') : dateTime(at);
  return (
    <section className="timeline" aria-label={t('label')} data-testid="timeline" data-mode={mode}>
      <div className="timeline-controls">
        <button
          type="button"
          className="timeline-live"
          aria-pressed={live}
          onClick={goLive}
          data-testid="timeline-live"
          title={recording ? t('closeRecording') : t('goLive')}
        >
          {recording ? t('closeRecording') : t('live')}
        </button>
        <button
          type="button"
          onClick={() => (playing ? cursor().pause() : cursor().play())}
          disabled={live}
          data-testid="timeline-play"
        >
          {playing ? t('pause') : t('play')}
        </button>
        <select
          aria-label={t('speed')}
          value={speed}
          onChange={(e) => cursor().play(Number(e.target.value))}
          data-testid="timeline-speed"
        >
          {PLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {t('speedValue', { speed: s })}
            </option>
          ))}
        </select>
        <span className="timeline-time" data-testid="timeline-time">
          {timeText}
        </span>
        <span className="timeline-zoom" role="group" aria-label={t('zoom')}>
          {ZOOMS.map((z) => (
            <button
              key={z.id}
              type="button"
              aria-pressed={zoom === z.id && !range}
              disabled={range !== null}
              onClick={() => setZoom(z.id)}
            >
              {t(`zoomValue.${z.id}`)}
            </button>
          ))}
        </span>
        <span className="timeline-files">
          <button
            type="button"
            onClick={() => void exportSpan()}
            disabled={busy}
            title={t('exportTitle')}
            data-testid="timeline-export"
          >
            {t('export')}
          </button>
          <button type="button" onClick={() => fileInput.current?.click()} disabled={busy} title={t('openTitle')}>
            {t('open')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".jsonl,.ndjson,application/x-ndjson,application/json,text/plain"
            hidden
            data-testid="timeline-open-file"
            onChange={(e) => void openFile(e.target.files?.[0])}
          />
        </span>
        <span className="timeline-source" data-testid="timeline-source">
          {recording
            ? t('recording', { name: recording.name })
            : historian === 'absent'
              ? t('historianAbsent')
              : historian === 'answering'
                ? t('historianAnswering')
                : t('historianChecking')}
        </span>
      </div>
      {notice && (
        <p
          className={`timeline-notice ${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="timeline-notice"
        >
          {notice.text}{' '}
          <button type="button" onClick={() => useReplay.setState({ notice: null })}>
            {t('close')}
          </button>
        </p>
      )}
      <div className="timeline-marks">
        {marks.map((m) => (
          <button
            key={`${m.alarmId}-${m.t}`}
            type="button"
            className={`timeline-mark ${m.priority}`}
            style={{ left: `${m.at * 100}%` }}
            aria-label={t('alarmMark', { alarm: m.alarmId, time: dateTime(m.t) })}
            title={t('alarmMark', { alarm: m.alarmId, time: dateTime(m.t) })}
            data-testid="timeline-mark"
            data-alarm-id={m.alarmId}
            data-t={m.t}
            onClick={() => showAlarmMoment(twin, m.alarmId, m.t)}
          />
        ))}
      </div>
      <div
        ref={track}
        className="timeline-track"
        role="slider"
        tabIndex={0}
        aria-label={t('scrubber')}
        aria-valuemin={Math.round(w.from)}
        aria-valuemax={Math.round(w.to)}
        aria-valuenow={Math.round(Math.min(Math.max(at, w.from), w.to))}
        aria-valuetext={timeText}
        data-testid="timeline-scrubber"
        data-from={Math.round(w.from)}
        data-to={Math.round(w.to)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onKeyDown={onKeyDown}
      >
        <div className="timeline-cursor" style={{ left: `${fractionOf(at, w) * 100}%` }} />
      </div>
      <div className="timeline-ticks" aria-hidden="true">
        {ticks(w).map((x) => {
          const f = fractionOf(x, w);
          // Shifted by its own width in proportion to where it sits, so a label at either end stays
          // inside the track instead of reaching past the window (a phone showed a sideways scroll).
          return (
            <span key={x} style={{ left: `${f * 100}%`, transform: `translateX(${-f * 100}%)` }}>
              {clockMinutes(x)}
            </span>
          );
        })}
      </div>
    </section>
  );
}

/** The banner over the scene in replay: what moment the page shows, and the way back to live. */
export function ReplayBanner() {
  const { t } = useTranslation('timeline');
  const mode = useTimeCursor((s) => s.mode);
  // Live, `at` follows the clock: not a reason to re-render a banner that is not shown.
  const at = useTimeCursor((s) => (s.mode === 'replay' ? s.at : 0));
  const recording = useReplay((s) => s.recording);
  if (mode === 'live') return null;
  return (
    <div className="replay-banner" role="status" data-testid="replay-banner" data-at={Math.round(at)}>
      {recording && <strong className="replay-recording">{t('recording', { name: recording.name })}</strong>}
      <span>{t('replayBanner', { time: dateTime(at) })}</span>
      <button type="button" onClick={() => (recording ? closeRecording() : useTimeCursor.getState().goLive())}>
        {recording ? t('closeRecording') : t('goLive')}
      </button>
    </div>
  );
}

/** The top bar's word for the time shown: "Live", or "Replay: 14:02:11". */
export function TimeChip() {
  const { t } = useTranslation('timeline');
  const mode = useTimeCursor((s) => s.mode);
  // Only replay needs the time; live does not re-render with the clock.
  const at = useTimeCursor((s) => (s.mode === 'replay' ? s.at : 0));
  return (
    <span className={`time-chip ${mode}`} data-testid="time-chip" data-mode={mode}>
      {mode === 'live' ? t('live') : t('replayAt', { time: clockTime(at) })}
    </span>
  );
}
