/** A command request's state in words, as the dialog and the button's status line show it. */
import type { TFunction } from 'i18next';
import type { CommandStatus } from '../engine/commands';

export function commandStateText(s: Pick<CommandStatus, 'state' | 'reason' | 'reasonCode'>, t: TFunction): string {
  switch (s.state) {
    case 'pending':
      return t('commands:state.pending');
    case 'confirmed':
      return t('commands:state.confirmed');
    case 'rejected':
      return t('commands:state.rejected', { reason: s.reason ?? t('commands:state.rejectedNoReason') });
    case 'refused': {
      const code =
        s.reasonCode !== undefined
          ? t('commands:state.reasonCode', { code: s.reasonCode.toString(16).padStart(2, '0') })
          : '';
      return t('commands:state.refused', { reason: s.reason ?? t('commands:state.refusedNoReason'), code });
    }
    case 'timed-out':
      return t('commands:state.timed-out', { reason: s.reason ?? t('commands:state.timedOutNoReason') });
  }
}
