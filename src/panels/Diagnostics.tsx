import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { useTick } from '../app/useTick';
import { formatAge, formatCount, formatNumber } from '../lib/format';
import { formatBytes, signalRates } from './diagnosticsRates';
import { connectionText } from './connectionText';

/** Rows of the per-signal table; a twin with thousands of signals shows the busiest. */
const MAX_SIGNAL_ROWS = 200;

/**
 * What the engine sees: messages/s, bytes/s, rejects by reason with the last rejected payloads (as
 * text, never HTML), and per signal its rate, sample count and last update. Refreshed once a second
 * from counters, never per message; the per-signal table is built only while the panel is open.
 */
export function Diagnostics() {
  const { t } = useTranslation('operator');
  const stats = useApp((s) => s.stats);
  const connection = useApp((s) => s.connection);
  const rate = useApp((s) => s.messageRate);
  const byteRate = useApp((s) => s.byteRate);
  const [open, setOpen] = useState(false);
  const previous = useRef<{ at: number; counts: Float64Array } | null>(null);
  useTick(1000);
  if (!stats) return null;
  const now = Date.now();
  const rejected = Object.entries(stats.rejected).filter(([, n]) => (n ?? 0) > 0);
  const totalRejected = rejected.reduce((n, [, k]) => n + (k ?? 0), 0);
  const protocol = connection ? connectionText(connection, null, now, t).protocol : null;

  const count = telemetry.signals.length;
  const prev = previous.current;
  const rates = signalRates(telemetry.counts, count, prev?.counts ?? null, prev ? now - prev.at : 0);
  if (!prev || now - prev.at >= 900) previous.current = { at: now, counts: telemetry.counts.slice(0, count) };
  const rows = open
    ? telemetry.signals
        .map((info, i) => ({ info, rate: rates[i] ?? 0 }))
        .sort((a, b) => b.rate - a.rate)
        .slice(0, MAX_SIGNAL_ROWS)
    : [];

  return (
    <details
      className="panel diagnostics"
      data-testid="diagnostics"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        {t('diagnostics.title')} ·{' '}
        <span data-testid="diag-messages" data-count={stats.messages}>
          {formatCount(stats.messages)}
        </span>{' '}
        {t('diagnostics.messages')} · {Math.round(rate)}/s · {formatBytes(byteRate)}/s
        {totalRejected > 0 && (
          <>
            {' · '}
            <span data-testid="diag-rejected">{totalRejected}</span> {t('diagnostics.rejected')}
          </>
        )}
      </summary>
      {connection && (
        <p data-testid="diag-connection">
          {t('diagnostics.broker')} <code>{connection.url}</code>
          {protocol && ` · ${protocol}`}
        </p>
      )}
      {stats.droppedSamples !== undefined && <p>{t('diagnostics.dropped', { count: stats.droppedSamples })}</p>}
      <h3>{t('diagnostics.rejectedTitle')}</h3>
      {rejected.length === 0 ? (
        <p>{t('diagnostics.none')}</p>
      ) : (
        <ul>
          {rejected.map(([reason, n]) => (
            <li key={reason} data-reason={reason} data-count={n}>
              {reason}: {n}
            </li>
          ))}
        </ul>
      )}
      {stats.lastRejects.length > 0 && (
        <ol className="rejects" aria-label={t('diagnostics.lastRejects')}>
          {stats.lastRejects.map((r, i) => (
            <li key={i}>
              <code>{r.topic}</code> {r.reason}
              {r.signal && ` (${r.signal})`} {formatAge(now - r.at)}: <code>{r.sample}</code>
            </li>
          ))}
        </ol>
      )}
      <h3>{t('diagnostics.signals', { count })}</h3>
      {open && (
        <table className="signal-rates">
          <thead>
            <tr>
              <th scope="col">{t('diagnostics.signal')}</th>
              <th scope="col">{t('diagnostics.rate')}</th>
              <th scope="col">{t('diagnostics.samples')}</th>
              <th scope="col">{t('diagnostics.lastUpdate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ info, rate: r }) => (
              <tr key={info.id} data-testid={`diag-signal-${info.id}`} data-count={telemetry.counts[info.index]}>
                <th scope="row">{info.id}</th>
                <td>{formatNumber(r, 1)}/s</td>
                <td>{telemetry.counts[info.index]}</td>
                <td>{formatAge(now - telemetry.times[info.index])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && count > MAX_SIGNAL_ROWS && <p>{t('diagnostics.quieter', { count: count - MAX_SIGNAL_ROWS })}</p>}
    </details>
  );
}
