/** A command request's state in words, as the dialog and the button's status line show it. */
import type { CommandStatus } from '../engine/commands';

export function commandStateText(s: Pick<CommandStatus, 'state' | 'reason' | 'reasonCode'>): string {
  switch (s.state) {
    case 'pending':
      return 'Pending: sent, waiting for the answer';
    case 'confirmed':
      return 'Confirmed';
    case 'rejected':
      return `Rejected by the device: ${s.reason ?? 'no reason given'}`;
    case 'refused': {
      const code = s.reasonCode !== undefined ? ` [reason code 0x${s.reasonCode.toString(16).padStart(2, '0')}]` : '';
      return `Refused: ${s.reason ?? 'not sent'}${code}`;
    }
    case 'timed-out':
      return `Timed out: ${s.reason ?? 'no answer in time'}`;
  }
}
