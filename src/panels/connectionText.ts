/** What the connection indicator says, as plain text: pure, so each state's wording is tested. */
import type { ConnectionStatus } from '../engine/protocol';
import { formatAge } from '../lib/format';

export interface ConnectionText {
  state: ConnectionStatus['state'];
  /** "Online", "Reconnecting (attempt 3)", "Offline", "Connecting…". */
  label: string;
  /** "next try in 4 s" while reconnecting; changes every second, so kept out of the live region. */
  countdown: string | null;
  /** The broker's or the network's reason, when not online. */
  reason: string | null;
  /** "last message 3 s ago", or null before the first message. */
  lastMessage: string | null;
  /** Set when the connection uses another MQTT version than the twin asks for: which, and why. */
  protocol: string | null;
}

/** What the connection says when the broker refused MQTT 5 and it fell back to 3.1.1. */
export const MQTT_FALLBACK_TEXT =
  'MQTT 3.1.1: the broker refused MQTT 5 (set "mqtt": "3.1.1" in the twin\'s connection to skip that try)';

export function connectionText(
  status: ConnectionStatus | null,
  lastMessageAt: number | null,
  now: number,
): ConnectionText {
  const lastMessage = lastMessageAt !== null ? `last message ${formatAge(now - lastMessageAt)}` : null;
  const none = { countdown: null, reason: null, lastMessage, protocol: null };
  if (status === null) return { ...none, state: 'connecting', label: 'Connecting…' };
  switch (status.state) {
    case 'connecting':
      return { ...none, state: status.state, label: 'Connecting…' };
    case 'online':
      return {
        ...none,
        state: status.state,
        label: 'Online',
        protocol: status.mqttFallback ? MQTT_FALLBACK_TEXT : null,
      };
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000));
      return {
        state: status.state,
        label: `Reconnecting (attempt ${status.attempt})`,
        countdown: seconds > 0 ? `next try in ${seconds} s` : 'trying now',
        reason: status.reason,
        lastMessage,
        protocol: null,
      };
    }
    case 'offline':
      return { ...none, state: status.state, label: 'Offline', reason: status.reason };
  }
}
