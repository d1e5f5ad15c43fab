/** Pure logic of the alarm panel: sorting, filtering and the banner's counts. No React here. */
import type { TFunction } from 'i18next';
import type { AlarmMode, AlarmSnapshot, AlarmState } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import { PRIORITY_RANK } from '../lib/alarmRollup';

export interface AlarmFilter {
  /** 'annunciated' (the default view) hides shelved, suppressed and out-of-service alarms. */
  state: 'annunciated' | 'unacknowledged' | AlarmState | 'all';
  priority: Priority | 'all';
  /** An asset path: matches it and everything under it. Empty: any. */
  asset: string;
  /** Case-insensitive text in the message, id or asset. */
  text: string;
}

export const DEFAULT_FILTER: AlarmFilter = { state: 'annunciated', priority: 'all', asset: '', text: '' };

export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'medium', 'low'];

/** Unacknowledged: the operator still has to act on it. */
export function isUnacknowledged(a: AlarmSnapshot): boolean {
  return a.state === 'active' || a.state === 'cleared-unacknowledged';
}

/** By priority (most urgent first), then newest first. */
export function sortAlarms(alarms: readonly AlarmSnapshot[]): AlarmSnapshot[] {
  return [...alarms].sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || b.raisedAt - a.raisedAt);
}

export function matchesFilter(a: AlarmSnapshot, f: AlarmFilter): boolean {
  switch (f.state) {
    case 'all':
      break;
    case 'annunciated':
      if (a.state === 'shelved' || a.state === 'suppressed' || a.state === 'out-of-service') return false;
      break;
    case 'unacknowledged':
      if (!isUnacknowledged(a)) return false;
      break;
    default:
      if (a.state !== f.state) return false;
  }
  if (f.priority !== 'all' && a.priority !== f.priority) return false;
  if (f.asset !== '' && !(a.asset === f.asset || a.asset?.startsWith(`${f.asset}/`))) return false;
  const text = f.text.trim().toLowerCase();
  if (text !== '') {
    const hay = `${a.message}\n${a.id}\n${a.asset ?? ''}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

/** Sorted and filtered: what the list shows. */
export function visibleAlarms(alarms: readonly AlarmSnapshot[], f: AlarmFilter): AlarmSnapshot[] {
  return sortAlarms(alarms.filter((a) => matchesFilter(a, f)));
}

export interface BannerCounts {
  /** Unacknowledged alarms per priority. */
  unacknowledged: Record<Priority, number>;
  /** Every listed alarm per state. */
  byState: Record<AlarmState, number>;
  chattering: number;
  predicted: number;
}

export function bannerCounts(alarms: readonly AlarmSnapshot[]): BannerCounts {
  const out: BannerCounts = {
    unacknowledged: { urgent: 0, high: 0, medium: 0, low: 0 },
    byState: {
      active: 0,
      acknowledged: 0,
      'cleared-unacknowledged': 0,
      shelved: 0,
      suppressed: 0,
      'out-of-service': 0,
    },
    chattering: 0,
    predicted: 0,
  };
  for (const a of alarms) {
    out.byState[a.state]++;
    if (isUnacknowledged(a)) out.unacknowledged[a.priority]++;
    if (a.chattering) out.chattering++;
    if (a.predicted) out.predicted++;
  }
  return out;
}

/** Asset paths with alarms and all their ancestors, sorted: the asset filter's choices. */
export function assetChoices(alarms: readonly AlarmSnapshot[]): string[] {
  const set = new Set<string>();
  for (const a of alarms) {
    if (!a.asset) continue;
    const parts = a.asset.split('/');
    for (let n = 1; n <= parts.length; n++) set.add(parts.slice(0, n).join('/'));
  }
  return [...set].sort();
}

/** The panel's line about whose alarms these are: a short tag and the sentence beside it. */
export function alarmModeText(
  mode: AlarmMode,
  clock: (t: number) => string,
  t: TFunction,
): { tag: string; text: string } {
  if (mode.kind === 'shared')
    return {
      tag: t('alarms:mode.sharedTag'),
      text:
        mode.since !== undefined ? t('alarms:mode.sharedSince', { time: clock(mode.since) }) : t('alarms:mode.shared'),
    };
  return { tag: t('alarms:mode.localTag'), text: t(`alarms:mode.${mode.reason}`) };
}

/** What the operator reads when an action was not applied (the service's or the engine's reason). */
export function refusalText(reason: string, t: TFunction): string {
  return t('alarms:refused', { reason });
}

/** The label of an alarm's button while its request waits for an answer. */
export function waitingText(shared: boolean, t: TFunction): string {
  return shared ? t('alarms:waitingShared') : t('alarms:waitingLocal');
}

/** An alarm state in words ("Unacknowledged", German "Unquittiert"). */
export function alarmStateText(state: AlarmState, t: TFunction): string {
  return t(`alarms:state.${state}`);
}

/** A priority in words ("high", German "hoch"). */
export function priorityText(priority: Priority, t: TFunction): string {
  return t(`common:priority.${priority}`);
}

/** Every alarm state, in the order the state filter lists them. */
export const ALARM_STATES: readonly AlarmState[] = [
  'active',
  'acknowledged',
  'cleared-unacknowledged',
  'shelved',
  'suppressed',
  'out-of-service',
];
