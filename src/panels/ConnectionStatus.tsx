import { useApp } from '../store/app';
import { useTick } from '../app/useTick';
import { formatAge } from '../lib/format';

/** Online / reconnecting / offline, with the broker and the time of the last message. Text, not just colour. */
export function ConnectionStatus() {
  const status = useApp((s) => s.connection);
  const lastMessageAt = useApp((s) => s.stats?.lastMessageAt ?? null);
  useTick(1000);
  const state = status?.state ?? 'connecting';
  const label =
    state === 'online'
      ? 'Online'
      : state === 'reconnecting' && status?.state === 'reconnecting'
        ? `Reconnecting (attempt ${status.attempt})`
        : state === 'offline'
          ? 'Offline'
          : 'Connecting…';
  const reason = status && (status.state === 'offline' || status.state === 'reconnecting') ? status.reason : null;
  return (
    <div className={`connection ${state}`} data-testid="connection" data-state={state} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      <span className="connection-label">{label}</span>
      <span className="connection-detail" title={reason ?? undefined}>
        {status?.url ?? ''}
        {lastMessageAt !== null && ` · last message ${formatAge(Date.now() - lastMessageAt)}`}
        {reason && ` · ${reason}`}
      </span>
    </div>
  );
}
