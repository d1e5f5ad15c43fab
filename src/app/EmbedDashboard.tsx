import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { isAnnunciated, useAlarms } from '../store/alarms';
import { TwinScene } from '../scene/TwinScene';
import { ConnectionStatus } from '../panels/ConnectionStatus';
import { AlarmList } from '../panels/AlarmList';
import { AlarmsAtCursor } from './TimelineAlarms';
import { alarmStateText, priorityText, sortAlarms } from '../panels/alarmView';
import { Inspector } from '../panels/Inspector';
import { LazyTrendPanel as TrendPanel } from '../panels/LazyTrendPanel';
import { ValuesPanel } from '../panels/ValuesPanel';
import { ProblemsBox } from './ProblemsBox';
import { embedSettings } from './embedApi';
import { startEmbedBridge, type EmbedCounters } from './embedBridge';
import { allowedHostOrigins } from './hostCredentials';

/**
 * The embedded dashboard (`?mode=embed`): the scene and only the panels the URL asks for, no header
 * or navigation, driven by the host page through the postMessage API (embedBridge.ts). Read-only
 * unless `?readonly=0`: the alarm list then has no buttons.
 */
export function EmbedDashboard({ twin }: { twin: Twin }) {
  const modelErrors = useApp((s) => s.modelErrors);
  const sceneWarnings = useApp((s) => s.sceneWarnings);
  const engineError = useApp((s) => s.engineError);
  const notices = [...Object.values(modelErrors), ...sceneWarnings, ...(engineError ? [engineError] : [])];
  const settings = useMemo(() => {
    const params = new URLSearchParams(window.location.search);
    return embedSettings(
      params,
      twin.views.map((v) => v.id),
    );
  }, [twin]);
  const [counters, setCounters] = useState<EmbedCounters>({ ignored: 0, refused: 0 });

  useEffect(() => {
    if (settings.view) {
      const view = settings.view;
      useApp.setState((s) => ({ view: { id: view, seq: (s.view?.seq ?? 0) + 1 } }));
    }
    const allowed = allowedHostOrigins(new URLSearchParams(window.location.search));
    return startEmbedBridge(twin, settings, allowed, setCounters);
  }, [twin, settings]);

  const panels = new Set(settings.panels);
  const side = settings.panels.length > 0;
  return (
    <div
      className={`dashboard embed${side ? '' : ' embed-scene-only'}`}
      data-testid="embed"
      data-read-only={settings.readOnly}
      data-embed-ignored={counters.ignored}
      data-embed-refused={counters.refused}
    >
      <div className="embed-body">
        <div className="scene-column">
          <ProblemsBox twin={twin} notices={notices} />
          <TwinScene twin={twin} />
          <div className="embed-connection">
            <ConnectionStatus />
          </div>
        </div>
        {side && (
          <aside className="embed-side">
            {panels.has('alarms') && (
              <AlarmsAtCursor>{settings.readOnly ? <EmbedAlarms /> : <AlarmList />}</AlarmsAtCursor>
            )}
            {panels.has('inspector') && <Inspector twin={twin} />}
            {twin.panels.map((p, i) =>
              p.kind === 'trend'
                ? panels.has('trends') && (
                    <TrendPanel key={i} twin={twin} title={p.title} signals={p.signals} window={p.window} />
                  )
                : panels.has('values') && <ValuesPanel key={i} twin={twin} title={p.title} signals={p.signals} />,
            )}
          </aside>
        )}
      </div>
    </div>
  );
}

/** The alarms, read-only: what is up and its state, nothing to press. */
function EmbedAlarms() {
  const { t } = useTranslation('embed');
  const all = useAlarms((s) => s.all);
  const listed = useMemo(() => sortAlarms(all.filter(isAnnunciated)), [all]);
  return (
    <section className="embed-alarms" aria-labelledby="embed-alarms-title" data-testid="embed-alarms">
      <h2 id="embed-alarms-title">{listed.length === 0 ? t('noAlarms') : t('alarms', { count: listed.length })}</h2>
      <ul>
        {listed.map((a) => (
          <li key={a.id} className={`alarm ${a.priority} ${a.state}`} data-alarm-id={a.id} data-state={a.state}>
            <span className="prio">{priorityText(a.priority, t)}</span> <span>{a.message}</span>{' '}
            <span className="meta">{alarmStateText(a.state, t)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
