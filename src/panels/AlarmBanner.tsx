import type { AlarmSnapshot } from '../engine/protocol';
import { useAlarms } from '../store/alarms';
import { useTick } from '../app/useTick';
import { FLOOD_COUNT, recentRaises } from '../lib/alarmAudit';
import { clockTime } from '../lib/clock';
import { alarmModeText, bannerCounts, PRIORITIES } from './alarmView';

/** Counts of unacknowledged alarms by priority and of all alarms by state, and the flood indicator. */
export function AlarmBanner({ alarms }: { alarms: readonly AlarmSnapshot[] }) {
  useTick(5000); // the flood window moves with time
  const audit = useAlarms((s) => s.audit);
  const mode = useAlarms((s) => s.mode);
  const counts = bannerCounts(alarms);
  const raised = recentRaises(audit, Date.now());
  const s = counts.byState;
  return (
    <div className="alarm-banner" data-testid="alarm-banner">
      <span
        className={`alarm-scope ${mode.kind}`}
        data-testid="alarm-scope"
        title={alarmModeText(mode, clockTime).text}
      >
        {alarmModeText(mode, clockTime).tag}
      </span>
      <span className="prio-counts" aria-label="Unacknowledged by priority">
        {PRIORITIES.map((p) => (
          <span key={p} className={`badge ${p}`} data-priority={p} title={`${p}: unacknowledged`}>
            {p} {counts.unacknowledged[p]}
          </span>
        ))}
      </span>
      <span className="state-counts" data-testid="alarm-state-counts">
        {s.active} unack · {s.acknowledged} ack · {s['cleared-unacknowledged']} cleared-unack · {s.shelved} shelved ·{' '}
        {s.suppressed} suppressed · {s['out-of-service']} out of service
      </span>
      {raised > FLOOD_COUNT && (
        <span className="flood" role="status" data-testid="alarm-flood">
          Alarm flood: {raised} new alarms in 10 min
        </span>
      )}
      {counts.chattering > 0 && <span className="chatter">{counts.chattering} chattering</span>}
    </div>
  );
}
