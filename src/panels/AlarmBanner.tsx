import { useTranslation } from 'react-i18next';
import type { AlarmSnapshot } from '../engine/protocol';
import { useAlarms } from '../store/alarms';
import { useTick } from '../app/useTick';
import { FLOOD_COUNT, recentRaises } from '../lib/alarmAudit';
import { clockTime } from '../lib/clock';
import { alarmModeText, bannerCounts, PRIORITIES, priorityText } from './alarmView';

/** Counts of unacknowledged alarms by priority and of all alarms by state, and the flood indicator. */
export function AlarmBanner({ alarms }: { alarms: readonly AlarmSnapshot[] }) {
  const { t } = useTranslation('alarms');
  useTick(5000); // the flood window moves with time
  const audit = useAlarms((s) => s.audit);
  const mode = useAlarms((s) => s.mode);
  const counts = bannerCounts(alarms);
  const raised = recentRaises(audit, Date.now());
  const s = counts.byState;
  const modeText = alarmModeText(mode, clockTime, t);
  return (
    <div className="alarm-banner" data-testid="alarm-banner">
      <span className={`alarm-scope ${mode.kind}`} data-testid="alarm-scope" title={modeText.text}>
        {modeText.tag}
      </span>
      <span className="prio-counts" aria-label={t('banner.byPriority')}>
        {PRIORITIES.map((p) => (
          <span
            key={p}
            className={`badge ${p}`}
            data-priority={p}
            title={t('banner.priorityTitle', { priority: priorityText(p, t) })}
          >
            {priorityText(p, t)} {counts.unacknowledged[p]}
          </span>
        ))}
      </span>
      <span className="state-counts" data-testid="alarm-state-counts">
        {t('banner.states', {
          active: s.active,
          acknowledged: s.acknowledged,
          cleared: s['cleared-unacknowledged'],
          shelved: s.shelved,
          suppressed: s.suppressed,
          outOfService: s['out-of-service'],
        })}
      </span>
      {raised > FLOOD_COUNT && (
        <span className="flood" role="status" data-testid="alarm-flood">
          {t('banner.flood', { count: raised })}
        </span>
      )}
      {counts.chattering > 0 && <span className="chatter">{t('banner.chattering', { count: counts.chattering })}</span>}
    </div>
  );
}
