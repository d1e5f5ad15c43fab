import { useTranslation } from 'react-i18next';
import { useAlarms } from '../store/alarms';
import { auditToCsv } from '../lib/alarmAudit';
import { dateTime } from '../lib/clock';
import { showAuditMoment } from '../app/replay';

const SHOWN = 50;

/**
 * The newest audit entries, and the whole log as a CSV download: this screen's own log, or, while the
 * alarm service is the authority, the service's records heard since the page opened and what its
 * alarms say of earlier ones (bounded like the local log).
 */
export function AlarmAudit() {
  const { t } = useTranslation('alarms');
  const { t: tl } = useTranslation('timeline');
  const audit = useAlarms((s) => s.audit);
  const shared = useAlarms((s) => s.mode.kind === 'shared');
  const twinId = useAlarms((s) => s.twinId);
  const exportCsv = () => {
    const url = URL.createObjectURL(new Blob([auditToCsv(audit)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `alarm-audit-${twinId ?? 'twin'}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const newest = audit.slice(-SHOWN).reverse();
  return (
    <details className="alarm-audit" data-testid="alarm-audit">
      <summary>
        {shared ? t('audit.shared', { count: audit.length }) : t('audit.local', { count: audit.length })}
      </summary>
      {shared && <p className="audit-note">{t('audit.sharedNote')}</p>}
      <button type="button" onClick={exportCsv} disabled={audit.length === 0}>
        {t('audit.export')}
      </button>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.alarm')}</th>
            <th scope="col">{t('audit.event')}</th>
            <th scope="col">{t('audit.operator')}</th>
            <th scope="col">{t('audit.comment')}</th>
            <th scope="col">{tl('show')}</th>
          </tr>
        </thead>
        <tbody>
          {newest.map((e, i) => (
            <tr key={`${e.t}-${i}`}>
              <td data-testid="audit-time">
                <time dateTime={new Date(e.t).toISOString()}>{dateTime(e.t)}</time>
              </td>
              <td>{e.alarmId}</td>
              <td>{e.event}</td>
              <td>{e.operator ?? ''}</td>
              <td>{e.comment ?? ''}</td>
              <td>
                <button
                  type="button"
                  title={tl('showTitle')}
                  data-testid="audit-show"
                  onClick={() => showAuditMoment(e.alarmId, e.t)}
                >
                  {tl('show')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
