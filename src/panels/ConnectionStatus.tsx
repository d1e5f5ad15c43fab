import { useTranslation } from 'react-i18next';
import { useApp } from '../store/app';
import { useTick } from '../app/useTick';
import { connectionText } from './connectionText';

/**
 * Online / reconnecting (attempt N, next try in S s) / offline with the broker's reason, the time of
 * the last message, and the MQTT version when the broker made it differ from the twin's. Said in
 * text, not just colour; the per-second countdown is kept out of the live region so a screen reader
 * announces state changes, not every tick.
 */
export function ConnectionStatus() {
  const { t } = useTranslation('operator');
  const status = useApp((s) => s.connection);
  const lastMessageAt = useApp((s) => s.stats?.lastMessageAt ?? null);
  useTick(1000);
  const text = connectionText(status, lastMessageAt, Date.now(), t);
  const detail = [status?.url ?? '', text.lastMessage, text.reason].filter(Boolean).join(' · ');
  return (
    <div className={`connection ${text.state}`} data-testid="connection" data-state={text.state}>
      <span className="dot" aria-hidden="true" />
      <span className="connection-label" role="status" aria-live="polite">
        {text.label}
        {text.reason && <span className="visually-hidden">: {text.reason}</span>}
      </span>
      {text.countdown && (
        <span className="connection-countdown" data-testid="connection-countdown" aria-hidden="true">
          {text.countdown}
        </span>
      )}
      <span className="connection-detail" title={text.reason ?? undefined}>
        {detail}
      </span>
      {text.protocol && (
        <span className="connection-detail" data-testid="connection-protocol" title={text.protocol}>
          {text.protocol}
        </span>
      )}
    </div>
  );
}
