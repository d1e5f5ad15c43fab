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
}

export function connectionText(
  status: ConnectionStatus | null,
  lastMessageAt: number | null,
  now: number,
): ConnectionText {
  const lastMessage = lastMessageAt !== null ? `last message ${formatAge(now - lastMessageAt)}` : null;
  if (status === null) return { state: 'connecting', label: 'Connecting…', countdown: null, reason: null, lastMessage };
  switch (status.state) {
    case 'connecting':
      return { state: status.state, label: 'Connecting…', countdown: null, reason: null, lastMessage };
    case 'online':
      return { state: status.state, label: 'Online', countdown: null, reason: null, lastMessage };
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000));
      return {
        state: status.state,
        label: `Reconnecting (attempt ${status.attempt})`,
        countdown: seconds > 0 ? `next try in ${seconds} s` : 'trying now',
        reason: status.reason,
        lastMessage,
      };
    }
    case 'offline':
      return { state: status.state, label: 'Offline', countdown: null, reason: status.reason, lastMessage };
  }
}
