import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { signalMeta } from '../twin/signalMeta';
import { LazyTrendPanel } from './LazyTrendPanel';
import { closeTrend } from './trendAdHoc';

/** The trends opened from the inspector: each closable; a new one takes the keyboard focus. */
export function AdHocTrends({ twin }: { twin: Twin }) {
  const { t } = useTranslation('trends');
  const trends = useApp((s) => s.trends);
  const holders = useRef(new Map<number, HTMLDivElement>());
  const seen = useRef(new Set<number>());

  // Another twin: its signals are not this one's.
  useEffect(() => () => useApp.setState({ trends: [] }), [twin]);

  useEffect(() => {
    for (const x of trends) {
      if (seen.current.has(x.key)) continue;
      seen.current.add(x.key);
      const el = holders.current.get(x.key);
      el?.focus();
      el?.scrollIntoView?.({ block: 'nearest' });
    }
  }, [trends]);

  const close = (key: number) => {
    closeTrend(key);
    // Focus goes somewhere sensible, not to the page's start: the previous ad-hoc trend, or the inspector.
    const rest = useApp.getState().trends;
    const target = rest.length ? holders.current.get(rest[rest.length - 1].key) : null;
    (target ?? document.querySelector<HTMLElement>('[data-testid="inspector"] h2 button'))?.focus();
  };

  return (
    <>
      {trends.map((x) => (
        <div
          key={x.key}
          className="adhoc-trend"
          tabIndex={-1}
          data-testid="adhoc-trend"
          data-signal={x.signal}
          ref={(el) => {
            if (el) holders.current.set(x.key, el);
            else holders.current.delete(x.key);
          }}
        >
          <LazyTrendPanel
            twin={twin}
            title={t('adhoc', { label: signalMeta(twin, x.signal).label })}
            signals={[x.signal]}
            window="15m"
            onClose={() => close(x.key)}
          />
        </div>
      ))}
    </>
  );
}
