import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { TwinScene } from '../scene/TwinScene';
import { ConnectionStatus } from '../panels/ConnectionStatus';
import { AlarmList } from '../panels/AlarmList';
import { LazyTrendPanel as TrendPanel } from '../panels/LazyTrendPanel';
import { ValuesPanel } from '../panels/ValuesPanel';
import { Diagnostics } from '../panels/Diagnostics';
import { Inspector } from '../panels/Inspector';
import { AssetTree } from '../panels/AssetTree';
import { AdHocTrends } from '../panels/TrendAdHoc';
import { ProblemsBox } from './ProblemsBox';
import { KioskDashboard } from './KioskDashboard';
import { EmbedDashboard } from './EmbedDashboard';
import { screenMode } from '../engine/commands';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useAlarms } from '../store/alarms';
import { isUnacknowledged } from '../panels/alarmView';
import { Drawer, DrawerToggle, isNarrow } from './Drawer';
import { AlarmAnnouncer } from './AlarmAnnouncer';
import { ReplayBanner, TimeChip, Timeline, TimeTravel } from './Timeline';
import { AlarmsAtCursor } from './TimelineAlarms';
import { LanguageSwitch } from './LanguageSwitch';
import { useTranslation } from 'react-i18next';

/** The screen this page runs as; `?mode=` does not change without a reload. */
const MODE = screenMode(globalThis.location?.search ?? '');

/**
 * The layout for this screen: the wall display for `?mode=kiosk`, the minimal embedded one driven by
 * its host page for `?mode=embed`, the operator's otherwise.
 */
export function Dashboard({ twin, brokerUrl }: { twin: Twin; brokerUrl: string }) {
  if (MODE === 'kiosk') return <KioskDashboard twin={twin} />;
  if (MODE === 'embed')
    return (
      <>
        <TimeTravel twin={twin} />
        <ReplayBanner />
        <EmbedDashboard twin={twin} />
      </>
    );
  return <OperatorDashboard twin={twin} brokerUrl={brokerUrl} />;
}

/** The operator layout: header with views and connection, the scene, and panels beside it. */
function OperatorDashboard({ twin }: { twin: Twin; brokerUrl: string }) {
  const { t } = useTranslation('operator');
  const modelErrors = useApp((s) => s.modelErrors);
  const sceneWarnings = useApp((s) => s.sceneWarnings);
  const engineError = useApp((s) => s.engineError);
  const notices = [...Object.values(modelErrors), ...sceneWarnings, ...(engineError ? [engineError] : [])];
  const [drawerOpen, setDrawerOpen] = useState(false);
  const unacked = useAlarms((s) => s.all.filter(isUnacknowledged).length);
  useOpenDrawerOnSelect(setDrawerOpen);
  return (
    <div className="dashboard">
      <header className="topbar">
        <a className="brand" href="./" title={t('common:allTwins')}>
          Twinview
        </a>
        <h1>{twin.title}</h1>
        <nav className="views" aria-label={t('views')}>
          {twin.views.map((v) => (
            <button
              key={v.id}
              type="button"
              onClick={() => useApp.setState((s) => ({ view: { id: v.id, seq: (s.view?.seq ?? 0) + 1 } }))}
            >
              {v.label ?? v.id}
            </button>
          ))}
        </nav>
        <TimeChip />
        <ConnectionStatus />
        <EditLink />
        <LanguageSwitch />
        <DrawerToggle
          controls="side-panels"
          open={drawerOpen}
          onToggle={() => setDrawerOpen((o) => !o)}
          badge={unacked}
        />
      </header>
      <div className="body">
        <div className="scene-column">
          <ProblemsBox twin={twin} notices={notices} />
          <ReplayBanner />
          <TwinScene twin={twin} />
        </div>
        <Drawer id="side-panels" open={drawerOpen} onClose={() => setDrawerOpen(false)} label={t('panels')}>
          <AlarmsAtCursor>
            <AlarmList />
          </AlarmsAtCursor>
          <Inspector twin={twin} />
          <AdHocTrends twin={twin} />
          <AssetTree twin={twin} />
          {twin.panels.map((p, i) =>
            p.kind === 'trend' ? (
              <TrendPanel key={i} twin={twin} title={p.title} signals={p.signals} window={p.window} />
            ) : (
              <ValuesPanel key={i} twin={twin} title={p.title} signals={p.signals} />
            ),
          )}
          <Diagnostics />
        </Drawer>
        <AlarmAnnouncer />
      </div>
      <Timeline twin={twin} />
      <TimeTravel twin={twin} />
    </div>
  );
}

/**
 * On a small screen the inspector is in the closed drawer: a part selected (a tap, the keyboard, the
 * asset tree) opens the drawer and brings the inspector into view, so nothing needs hover.
 */
function useOpenDrawerOnSelect(setOpen: (open: boolean) => void): void {
  const selected = useApp((s) => s.selected);
  useEffect(() => {
    if (!selected || !isNarrow()) return;
    setOpen(true);
    requestAnimationFrame(() =>
      document.querySelector('[data-testid="inspector"]')?.scrollIntoView({ block: 'nearest' }),
    );
  }, [selected, setOpen]);
}

// The editor needs a desk-sized screen (three columns); a tablet's or phone's top bar has no room to spare.
const WIDE = '(min-width: 1100px)';
const subscribeWide = (onChange: () => void) => {
  const query = window.matchMedia(WIDE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};

/** "Edit": this twin in the editor (?mode=edit&twin=<folder>, src/editor/ui/EditorPage.tsx), on wide screens. */
function EditLink() {
  const { t } = useTranslation('operator');
  const folder = useApp((s) => (s.load.state === 'ready' ? s.load.id : null));
  const wide = useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE).matches);
  if (!folder || !wide) return null;
  return (
    <a className="brand" href={`?mode=edit&twin=${encodeURIComponent(folder)}`} data-testid="edit-twin">
      {t('editLink')}
    </a>
  );
}
