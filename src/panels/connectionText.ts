/**
 * What the connection indicator says, as plain text: pure, so each state's wording is tested. `t` is
 * the UI's translation; English by default (`twin watch` in Node).
 */
import type { ConnectionStatus } from '../engine/protocol';
import type { TFunction } from 'i18next';
import { formatAge } from '../lib/format';
import { englishT } from '../i18n/english';

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

/**
 * The engine's own reasons (fixed English words from src/engine/connection.ts) in the UI language; a
 * broker's or the network's message (an MQTT reason text, a socket error) is shown as it came.
 */
const ENGINE_REASONS: Readonly<Record<string, string>> = {
  'connection lost': 'connectionLost',
  'broker not reachable': 'notReachable',
  'broker disconnected': 'disconnected',
  stopped: 'stopped',
};

function reasonWords(reason: string | null | undefined, t: TFunction): string | null {
  if (!reason) return null;
  const key = ENGINE_REASONS[reason];
  if (key) return t(`operator:connection.reasons.${key}`);
  const prefix = 'broker disconnected: ';
  if (reason.startsWith(prefix))
    return t('operator:connection.reasons.disconnectedBecause', { reason: reason.slice(prefix.length) });
  return reason;
}

export function connectionText(
  status: ConnectionStatus | null,
  lastMessageAt: number | null,
  now: number,
  t: TFunction = englishT,
): ConnectionText {
  const lastMessage =
    lastMessageAt !== null ? t('operator:connection.lastMessage', { age: formatAge(now - lastMessageAt) }) : null;
  const none = { countdown: null, reason: null, lastMessage, protocol: null };
  const connecting = t('operator:connection.connecting');
  if (status === null) return { ...none, state: 'connecting', label: connecting };
  switch (status.state) {
    case 'connecting':
      return { ...none, state: status.state, label: connecting };
    case 'online':
      return {
        ...none,
        state: status.state,
        label: t('operator:connection.online'),
        protocol: status.mqttFallback ? t('operator:connection.mqttFallback') : null,
      };
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000));
      return {
        state: status.state,
        label: t('operator:connection.reconnecting', { attempt: status.attempt }),
        countdown: seconds > 0 ? t('operator:connection.nextTry', { seconds }) : t('operator:connection.tryingNow'),
        reason: reasonWords(status.reason, t),
        lastMessage,
        protocol: null,
      };
    }
    case 'offline':
      return {
        ...none,
        state: status.state,
        label: t('operator:connection.offline'),
        reason: reasonWords(status.reason, t),
      };
  }
}
