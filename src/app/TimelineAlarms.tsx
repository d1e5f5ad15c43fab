import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTimeCursor } from '../store/timeCursor';
import { requestFocus, useApp } from '../store/app';
import { dateTime, clockTime } from '../lib/clock';
import { useReplay } from './replay';

/** The live alarm list (`children`) while live; in replay, the alarms as they were at the cursor, read-only. */
export function AlarmsAtCursor({ children }: { children: ReactNode }) {
  const mode = useTimeCursor((s) => s.mode);
  return mode === 'live' ? children : <ReplayAlarmList />;
}

/** The alarms active at the replayed moment (rebuilt from the audit transitions): no acknowledging the past. */
function ReplayAlarmList() {
  const { t } = useTranslation('timeline');
  const at = useTimeCursor((s) => s.at);
  const alarms = useReplay((s) => s.alarms) ?? [];
  return (
    <section
      className="panel alarms replay"
      aria-labelledby="replay-alarms-title"
      data-testid="alarm-list"
      data-replay="true"
    >
      <h2 id="replay-alarms-title">
        {t('alarmsTitle', { time: clockTime(at) })} <span className="count">{alarms.length}</span>
      </h2>
      <p className="alarm-mode replay" role="status">
        {t('readOnly', { time: dateTime(at) })}
      </p>
      {alarms.length === 0 ? (
        <p className="empty">{t('noAlarmsThen')}</p>
      ) : (
        <ul>
          {alarms.map((a) => (
            <li
              key={a.id}
              className={`alarm ${a.priority} ${a.state}`}
              data-alarm-id={a.id}
              data-state={a.state}
              data-raised-at={a.raisedAt}
            >
              <span className="prio">{t(`priority.${a.priority}`)}</span>{' '}
              {a.asset ? (
                <button
                  type="button"
                  className="link"
                  title={t('selectPart')}
                  onClick={() => {
                    useApp.setState({ selected: a.asset! });
                    requestFocus(a.asset!);
                  }}
                >
                  {a.message}
                </button>
              ) : (
                <span className="msg">{a.message}</span>
              )}{' '}
              <span className="state">{t(`state.${a.state}`)}</span>{' '}
              {a.raisedAt > 0 && <span className="time">{t('raisedAt', { time: clockTime(a.raisedAt) })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
