/**
 * How an alarm shows on the part it belongs to, shared by node bindings and instanced assets.
 * Unacknowledged alarms blink, acknowledged ones glow steadily; shelved, suppressed or out-of-service
 * alarms are kept from the operator's eye (no look at all).
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

/** High and urgent alarms glow in the alarm colour, medium and low in the warning colour. */
export function glowFor(priority: AlarmSnapshot['priority']): Color {
  return PRIORITY_RANK[priority] <= PRIORITY_RANK.high ? ALARM_GLOW : WARNING_GLOW;
}
