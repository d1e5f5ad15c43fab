import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAlarms } from '../store/alarms';
import { alarmRaisings, announceNewAlarms, type AlarmAnnouncement } from './alarmAnnouncement';

const SILENT: AlarmAnnouncement = { polite: '', assertive: '' };

/**
 * Live regions that tell a screen reader of each newly raised alarm: high and urgent ones at once,
 * the others when it is idle. Kept outside the panel drawer, which is not rendered while closed on a
 * small screen, so announcements never depend on the drawer being open.
 */
export function AlarmAnnouncer() {
  const all = useAlarms((s) => s.all);
  const { t } = useTranslation('alarms');
  const since = useRef(Date.now());
  const seen = useRef<Set<string> | null>(null);
  const [said, setSaid] = useState<AlarmAnnouncement>(SILENT);
  useEffect(() => {
    const known = seen.current ?? new Set<string>();
    const next = announceNewAlarms(known, all, since.current, t);
    for (const key of alarmRaisings(all)) known.add(key);
    seen.current = known;
    if (next.polite || next.assertive) setSaid(next);
    // The language is not a dependency: a change of language is no news to announce.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [all]);
  return (
    <div className="visually-hidden" data-testid="alarm-announcer">
      <p aria-live="polite" data-testid="alarm-announce-polite">
        {said.polite}
      </p>
      <p aria-live="assertive" data-testid="alarm-announce-assertive">
        {said.assertive}
      </p>
    </div>
  );
}
