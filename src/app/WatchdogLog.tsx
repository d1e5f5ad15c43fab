import { useTranslation } from 'react-i18next';
import { dateTime } from '../lib/clock';
import { useTick } from './useTick';
import { readLog, watchdogStorage } from './watchdogPage';
import './watchdog.css';

/** Entries shown: the newest few (the log keeps 200). */
const SHOWN = 8;

/**
 * The kiosk's watchdog log (`?mode=kiosk&log=1`), newest first: when the page reloaded itself and
 * why. Read from localStorage every few seconds: it changes only when the watchdog acts.
 */
export function WatchdogLog() {
  const { t } = useTranslation('watchdog');
  useTick(5000);
  const log = readLog(watchdogStorage()).slice(-SHOWN).reverse();
  return (
    <section className="watchdog-log" aria-labelledby="watchdog-log-title" data-testid="watchdog-log">
      <h2 id="watchdog-log-title">{t('title')}</h2>
      {log.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <ol>
          {log.map((e, i) => (
            <li key={`${e.t}-${i}`} data-kind={e.kind} data-stall={e.stall}>
              <time dateTime={new Date(e.t).toISOString()}>{dateTime(e.t)}</time>{' '}
              {t(e.kind, { why: t(e.stall, { seconds: e.seconds }) })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
