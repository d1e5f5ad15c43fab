/**
 * How an alarm shows on the part it belongs to: the one definition for node bindings
 * (bindingRuntime.ts, drawn by the overlay) and instanced assets (instanceRuntime.ts).
 * Unacknowledged alarms blink, acknowledged ones glow steadily; shelved, suppressed or out-of-service
 * alarms are kept from the operator's eye (no look at all). High and urgent alarms glow in the alarm
 * colour, medium and low in the warning colour.
 */
import { Color } from 'three';
import type { AlarmSnapshot } from '../engine/protocol';
import { PRIORITY_RANK } from '../lib/alarmRollup';
import { STATE_COLORS } from './palette';

export const AlarmLook = { None: 0, Acknowledged: 1, Unacknowledged: 2 } as const;
export type AlarmLook = (typeof AlarmLook)[keyof typeof AlarmLook];

export const ALARM_GLOW = new Color(STATE_COLORS.alarm);
export const WARNING_GLOW = new Color(STATE_COLORS.warning);
/** Glow strength of an acknowledged alarm: visible, but quieter than the blink. */
export const ACK_GLOW = 0.45;

export function lookOf(state: AlarmSnapshot['state']): AlarmLook {
  if (state === 'active' || state === 'cleared-unacknowledged') return AlarmLook.Unacknowledged;
  if (state === 'acknowledged') return AlarmLook.Acknowledged;
  return AlarmLook.None;
}

/** The look of one part, folded over the alarms that belong to it. */
export interface PartAlarm {
  look: AlarmLook;
  /** True when an alarm that shows is high or urgent: the glow is in the alarm colour, else the warning colour. */
  red: boolean;
}

export function noAlarm(): PartAlarm {
  return { look: AlarmLook.None, red: false };
}

/** Adds one alarm that belongs to the part: the strongest look wins, and the most urgent alarm's colour. */
export function foldAlarm(part: PartAlarm, alarm: AlarmSnapshot): void {
  const look = lookOf(alarm.state);
  if (look === AlarmLook.None) return;
  if (look > part.look) part.look = look;
  if (PRIORITY_RANK[alarm.priority] <= PRIORITY_RANK.high) part.red = true;
}

export function glowColor(red: boolean): Color {
  return red ? ALARM_GLOW : WARNING_GLOW;
}

/** How strongly a part glows (0..1): full while a blinking alarm is lit, quieter once acknowledged. */
export function glowStrength(look: AlarmLook, lit: boolean): number {
  if (look === AlarmLook.Acknowledged) return ACK_GLOW;
  return look === AlarmLook.Unacknowledged && lit ? 1 : 0;
}
