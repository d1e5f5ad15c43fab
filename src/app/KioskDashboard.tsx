import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Twin } from '../twin/schema';
import { requestFocus, useApp } from '../store/app';
import { useAlarms } from '../store/alarms';
import { TwinScene } from '../scene/TwinScene';
import { ConnectionStatus } from '../panels/ConnectionStatus';
import { SuggestedCommand } from '../panels/CommandButton';
import { alarmModeText, alarmStateText, isUnacknowledged, priorityText, sortAlarms } from '../panels/alarmView';
import { clockTime } from '../lib/clock';
import { ProblemsBox } from './ProblemsBox';
import { KioskScheduler, kioskPlan, type KioskShow } from './kioskScheduler';
import { startKioskWatchdog } from './watchdogPage';
import { WatchdogLog } from './WatchdogLog';

/** Alarms the wall lists: the rest would not be readable across a room. */
const SUMMARY_SIZE = 6;
/** `?log=1`: the watchdog's log in a corner of the scene. */
const SHOW_LOG = new URLSearchParams(globalThis.location?.search ?? '').get('log') === '1';

/**
 * The wall display (`?mode=kiosk`): the scene fills the screen and cycles through the twin's playlist
 * of views; a read-only alarm summary; a new high or urgent alarm takes the screen over for a while.
 * Nothing here takes input: no operator field, filters, what-if, and no command unless the twin lets a
 * kiosk send it (an alarm's suggested command, while the alarm holds the screen).
 */
export function KioskDashboard({ twin }: { twin: Twin }) {
  const modelErrors = useApp((s) => s.modelErrors);
  const sceneWarnings = useApp((s) => s.sceneWarnings);
  const engineError = useApp((s) => s.engineError);
  const notices = [...Object.values(modelErrors), ...sceneWarnings, ...(engineError ? [engineError] : [])];
  const [show, setShow] = useState<KioskShow | null>(null);
  // Reloads the page when the scene or the engine stalls (src/app/watchdog.ts, docs/kiosk.md).
  useEffect(() => startKioskWatchdog(window.location.search), []);

  useEffect(() => {
    const scheduler = new KioskScheduler(kioskPlan(twin), (what) => {
      setShow(what);
      if (what.kind === 'view') useApp.setState((s) => ({ view: { id: what.viewId, seq: (s.view?.seq ?? 0) + 1 } }));
      else if (what.asset) requestFocus(what.asset);
    });
    scheduler.start();
    // Alarm lists change rarely (a raise, an acknowledgement), never per telemetry message.
    scheduler.alarms(useAlarms.getState().all);
    const unsubscribe = useAlarms.subscribe((s, prev) => {
      if (s.all !== prev.all) scheduler.alarms(s.all);
    });
    return () => {
      unsubscribe();
      scheduler.stop();
    };
  }, [twin]);

  const viewLabel = show?.kind === 'view' ? (twin.views.find((v) => v.id === show.viewId)?.label ?? show.viewId) : null;
  return (
    <div className="dashboard kiosk" data-testid="kiosk">
      <header className="kiosk-bar">
        <h1>{twin.title}</h1>
        <span className="kiosk-view" data-testid="kiosk-view" data-view-id={show?.kind === 'view' ? show.viewId : ''}>
          {viewLabel}
        </span>
        <ConnectionStatus />
      </header>
      <div className="kiosk-body">
        <div className="scene-column">
          <ProblemsBox twin={twin} notices={notices} />
          <TwinScene twin={twin} />
          {show?.kind === 'alarm' && <KioskTakeover alarmId={show.alarmId} />}
          {SHOW_LOG && <WatchdogLog />}
        </div>
        <KioskAlarms />
      </div>
    </div>
  );
}

/** The alarm holding the screen, large. */
function KioskTakeover({ alarmId }: { alarmId: string }) {
  const { t } = useTranslation('kiosk');
  const alarm = useAlarms((s) => s.all.find((a) => a.id === alarmId));
  if (!alarm) return null;
  return (
    <div
      className={`kiosk-takeover ${alarm.priority}`}
      role="alert"
      data-testid="kiosk-takeover"
      data-alarm-id={alarm.id}
    >
      <span className="kiosk-priority">{priorityText(alarm.priority, t)}</span>
      <p className="kiosk-message">{alarm.message}</p>
      <p className="kiosk-detail">
        {alarm.asset ? `${alarm.asset.split('/').slice(1).join('/')} · ` : ''}
        {t('raised', { time: clockTime(alarm.raisedAt) })}
      </p>
      {alarm.guidance?.action && <p className="kiosk-detail">{alarm.guidance.action}</p>}
      {/* A button only where the twin lets a kiosk send it (commands' `modes`); its name otherwise. */}
      {alarm.guidance?.command && <SuggestedCommand id={alarm.guidance.command} />}
    </div>
  );
}

/** Read-only: how many need acknowledging, and the most urgent few. */
function KioskAlarms() {
  const { t } = useTranslation('kiosk');
  const all = useAlarms((s) => s.all);
  const mode = useAlarms((s) => s.mode);
  const listed = useMemo(() => sortAlarms(all.filter(isUnacknowledged)), [all]);
  return (
    <aside className="kiosk-alarms" aria-labelledby="kiosk-alarms-title" data-testid="kiosk-alarms">
      <h2 id="kiosk-alarms-title">
        {listed.length === 0 ? t('noneToAcknowledge') : t('toAcknowledge', { count: listed.length })}
      </h2>
      <ul>
        {listed.slice(0, SUMMARY_SIZE).map((a) => (
          <KioskAlarmRow key={a.id} alarm={a} />
        ))}
      </ul>
      {listed.length > SUMMARY_SIZE && (
        <p className="kiosk-more">{t('more', { count: listed.length - SUMMARY_SIZE })}</p>
      )}
      <p className="kiosk-mode">{alarmModeText(mode, clockTime, t).text}</p>
    </aside>
  );
}

function KioskAlarmRow({ alarm: a }: { alarm: AlarmSnapshot }) {
  const { t } = useTranslation('kiosk');
  return (
    <li className={`kiosk-alarm ${a.priority}`} data-alarm-id={a.id}>
      <span className="kiosk-priority">{priorityText(a.priority, t)}</span> <span>{a.message}</span>
      <span className="kiosk-when">
        {alarmStateText(a.state, t)} · {clockTime(a.raisedAt)}
      </span>
    </li>
  );
}
