import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmStateText, priorityText } from './alarmView';
import type { Twin } from '../twin/schema';
import { useApp, requestFocus } from '../store/app';
import { telemetry } from '../store/telemetry';
import { useTick } from '../app/useTick';
import { inspectorContent } from '../scene/inspectorModel';
import { signalMeta } from '../twin/signalMeta';
import { ReadingRow } from './ReadingRow';
import { sparklinePoints } from './sparkline';
import { commandsForPart } from '../engine/commands';
import { CommandList } from './CommandButton';
import { TrendButton } from './TrendButton';

// The sparkline is drawn in these units and stretched to its cell's width (CSS), so it never
// makes the table wider than a narrow side column.
const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 24;
/** The mini trend covers the last five minutes. */
const SPARK_WINDOW_MS = 5 * 60_000;

/** The selected part: its signals with value, unit, age and a mini trend, and its alarms. Twice a second. */
export function Inspector({ twin }: { twin: Twin }) {
  const { t } = useTranslation('inspector');
  useTick(500);
  const selected = useApp((s) => s.selected);
  const alarms = useApp((s) => s.alarms);
  // Re-render at once when the connection changes (values go stale with it), not only on the tick.
  useApp((s) => s.connection?.state);
  const content = useMemo(() => (selected ? inspectorContent(twin, selected, alarms) : null), [twin, selected, alarms]);
  // The part's commands: placed on it, or templated ones its signals' captures fill ("{pump}.start").
  const signalKey = content?.signals.join('\n') ?? '';
  const commands = useMemo(
    () => (selected && content ? commandsForPart(twin, selected, content.signals) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [twin, selected, signalKey],
  );
  if (!selected || !content) {
    return (
      <section className="panel inspector" aria-label={t('title')} data-testid="inspector">
        <h2>{t('title')}</h2>
        <p className="empty">{t('empty')}</p>
      </section>
    );
  }
  const now = Date.now();
  return (
    <section className="panel inspector" aria-label={t('title')} data-testid="inspector" data-selected={selected}>
      <h2>
        {selected.split('/').slice(1).join('/') || selected}{' '}
        <button type="button" onClick={() => requestFocus(selected)} title={t('focusTitle')}>
          {t('focus')}
        </button>
      </h2>
      {content.signals.length === 0 ? (
        <p className="empty">{t('noSignals')}</p>
      ) : (
        <table>
          <tbody>
            {content.signals.map((id) => {
              const meta = signalMeta(twin, id);
              const index = telemetry.indexOf(id);
              const ring = index < 0 ? undefined : telemetry.history[index];
              return (
                <ReadingRow key={id} twin={twin} id={id} now={now} testId={`inspector-value-${id}`}>
                  <td className="spark">
                    <svg
                      viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`}
                      preserveAspectRatio="none"
                      role="img"
                      aria-label={t('sparkline', { label: meta.label })}
                      data-testid={`sparkline-${id}`}
                    >
                      <polyline
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="1.2"
                        vectorEffect="non-scaling-stroke"
                        points={ring ? sparklinePoints(ring, now - SPARK_WINDOW_MS, SPARK_WIDTH, SPARK_HEIGHT) : ''}
                      />
                    </svg>
                  </td>
                  <td className="trend-open">
                    <TrendButton signal={id} label={meta.label} />
                  </td>
                </ReadingRow>
              );
            })}
          </tbody>
        </table>
      )}
      <CommandList commands={commands} />
      <h3>{t('alarms')}</h3>
      {content.alarms.length === 0 ? (
        <p className="empty">{t('noAlarms')}</p>
      ) : (
        <ul>
          {content.alarms.map((a) => (
            <li key={a.id} data-alarm-id={a.id} data-state={a.state}>
              <strong>{priorityText(a.priority, t)}</strong> · {a.message} · {alarmStateText(a.state, t)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
