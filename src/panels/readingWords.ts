/**
 * A reading's condition and its reason in the UI language. The condition rule (src/lib/staleness.ts)
 * speaks English constants, shared with `twin watch`; these map them to the inspector namespace's
 * words. Pure: pass the `t` of the UI.
 */
import type { TFunction } from 'i18next';
import {
  REASON_DEAD,
  REASON_GAP,
  REASON_NO_VALUE,
  REASON_OFFLINE,
  REASON_SUSPECT,
  type ReadingState,
} from '../lib/staleness';

const REASON_KEYS: ReadonlyMap<string, string> = new Map([
  [REASON_NO_VALUE, 'inspector:reason.noValue'],
  [REASON_DEAD, 'inspector:reason.dead'],
  [REASON_SUSPECT, 'inspector:reason.suspect'],
  [REASON_OFFLINE, 'inspector:reason.offline'],
  [REASON_GAP, 'inspector:reason.gap'],
]);

/** staleness.ts writes this one with its durations ("12 s", "5 min"), which read the same in German. */
const NO_UPDATE = /^no update for (.+), expected every (.+)$/;

/** "stale", German "veraltet". */
export function conditionText(state: ReadingState, t: TFunction): string {
  return t(`inspector:condition.${state}`);
}

/** Why a reading is not live, in the UI language; a reason it does not know stays as it came. */
export function reasonText(reason: string, t: TFunction): string {
  const key = REASON_KEYS.get(reason);
  if (key !== undefined) return t(key);
  const m = NO_UPDATE.exec(reason);
  return m ? t('inspector:reason.noUpdate', { for: m[1], every: m[2] }) : reason;
}
