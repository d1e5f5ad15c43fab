import { useTranslation } from 'react-i18next';
import { openTrend } from './trendAdHoc';

/** "Trend" on an inspector reading: opens an ad-hoc trend panel of that signal. */
export function TrendButton({ signal, label }: { signal: string; label: string }) {
  const { t } = useTranslation('trends');
  return (
    <button
      type="button"
      className="trend-button"
      onClick={() => openTrend(signal)}
      aria-label={t('trendButtonLabel', { label })}
      data-testid={`trend-open-${signal}`}
    >
      {t('trendButton')}
    </button>
  );
}
