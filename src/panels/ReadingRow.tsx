import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { conditionText, reasonText } from './readingWords';
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { signalMeta } from '../twin/signalMeta';

/**
 * One signal as a table row: label, value (as what it is), age, and, when it is not live, which
 * word (stale, suspect, dead) and why. The values panel and the inspector both show readings with
 * this, from the store's one rule (TelemetryStore.reading). Text goes in as text, never HTML.
 */
export function ReadingRow({
  twin,
  id,
  now,
  testId,
  children,
}: {
  twin: Twin;
  id: string;
  now: number;
  /** data-testid of the value cell. */
  testId: string;
  /** Extra cells after the age (the inspector's sparkline). */
  children?: ReactNode;
}) {
  const { t } = useTranslation('inspector');
  const meta = signalMeta(twin, id);
  const r = telemetry.reading(telemetry.indexOf(id), now, meta.unit);
  const flagged = r.state !== 'live' && r.state !== 'none';
  return (
    <tr
      data-signal={id}
      data-stale={r.state !== 'live'}
      data-condition={r.state}
      className={flagged ? `not-live ${r.state}` : undefined}
    >
      <th scope="row">{meta.label}</th>
      <td className="value" data-testid={testId}>
        {r.value}
      </td>
      <td className="age" data-testid={`${testId}-age`}>
        {flagged ? (
          <>
            <strong className="condition">{conditionText(r.state, t)}</strong> · {r.age}
            <span className="reason">{reasonText(r.reason, t)}</span>
          </>
        ) : r.state === 'none' ? (
          reasonText(r.age, t)
        ) : (
          r.age
        )}
      </td>
      {children}
    </tr>
  );
}
