import type { TFunction } from 'i18next';
import type { AlarmSnapshot } from '../engine/protocol';

/** What a screen reader is told about alarms raised since the last look: urgent ones interrupt. */
export interface AlarmAnnouncement {
  /** For low and medium alarms: read when the reader is idle (aria-live polite). */
  polite: string;
  /** For high and urgent alarms: read at once (aria-live assertive). */
  assertive: string;
}

/** One raising of an alarm: a rule raised again later is a new raising. */
const raisingKey = (a: AlarmSnapshot) => `${a.id}@${a.raisedAt}`;

/** The raisings in `alarms`, to pass back as `seen` next time. */
export function alarmRaisings(alarms: readonly AlarmSnapshot[]): Set<string> {
  return new Set(alarms.map(raisingKey));
}

/**
 * The announcement for alarms raised that are not in `seen` (raisings already announced or present
 * when the page opened) and not raised before `since` (the page's opening: an alarm from the night,
 * restored or retained by the alarm service, is shown in the list, not news). Only unacknowledged
 * active alarms are new: one acknowledged or shelved elsewhere first is not news either.
 */
export function announceNewAlarms(
  seen: ReadonlySet<string>,
  alarms: readonly AlarmSnapshot[],
  since: number,
  t: TFunction,
): AlarmAnnouncement {
  const polite: string[] = [];
  const assertive: string[] = [];
  for (const a of alarms) {
    if (a.state !== 'active' || a.raisedAt < since || seen.has(raisingKey(a))) continue;
    const priority = t(`common:priority.${a.priority}`);
    const text = a.asset
      ? t('alarms:announce.newAt', { priority, message: a.message, asset: a.asset })
      : t('alarms:announce.new', { priority, message: a.message });
    (a.priority === 'high' || a.priority === 'urgent' ? assertive : polite).push(text);
  }
  return { polite: polite.join('. '), assertive: assertive.join('. ') };
}
