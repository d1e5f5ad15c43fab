import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkCustomRange, toLocalDateTime, windowLabel, type WindowChoice } from './trendWindow';

/**
 * The trend's controls: window buttons (the panel's configured window first when it is not a
 * preset), a custom range form with its own validation messages, pause/resume and CSV export.
 */
export function TrendControls({
  windows,
  choice,
  onChoose,
  paused,
  onPause,
  onExport,
  disabled,
  span,
}: {
  windows: readonly number[];
  choice: WindowChoice;
  onChoose: (choice: WindowChoice) => void;
  paused: boolean;
  onPause: (paused: boolean) => void;
  onExport: () => void;
  /** Replay or a host-set range decide the span: the window buttons wait. */
  disabled: boolean;
  span: { from: number; to: number };
}) {
  const { t } = useTranslation('trends');
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [problem, setProblem] = useState<{ field: 'from' | 'to'; reason: string } | null>(null);
  const openCustom = () => {
    setFromText(toLocalDateTime(span.from));
    setToText(toLocalDateTime(span.to));
    setProblem(null);
    setEditing(true);
  };
  const apply = () => {
    const checked = checkCustomRange(fromText, toText, Date.now());
    if (!checked.ok) {
      setProblem({ field: checked.field, reason: checked.reason });
      return;
    }
    setEditing(false);
    onChoose({ kind: 'custom', from: checked.from, to: checked.to });
  };
  const errorId = (field: string) => (problem?.field === field ? `${id}-error` : undefined);
  return (
    <div className="trend-controls">
      <div role="group" aria-label={t('window.group')} className="trend-windows">
        {windows.map((ms) => (
          <button
            key={ms}
            type="button"
            aria-pressed={choice.kind === 'span' && choice.ms === ms}
            disabled={disabled}
            onClick={() => {
              setEditing(false);
              onChoose({ kind: 'span', ms });
            }}
          >
            {windowLabel(ms, t)}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={choice.kind === 'custom'}
          aria-expanded={editing}
          disabled={disabled}
          onClick={() => (editing ? setEditing(false) : openCustom())}
        >
          {t('window.custom')}
        </button>
      </div>
      <button type="button" aria-pressed={paused} onClick={() => onPause(!paused)} disabled={disabled}>
        {paused ? t('resume') : t('pause')}
      </button>
      <button type="button" onClick={onExport} title={t('csvTitle')}>
        {t('csv')}
      </button>
      {editing && (
        <form
          className="trend-custom"
          aria-label={t('custom.legend')}
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
          noValidate
        >
          <label>
            {t('custom.from')}{' '}
            <input
              type="datetime-local"
              value={fromText}
              onChange={(e) => setFromText(e.target.value)}
              aria-invalid={problem?.field === 'from'}
              aria-describedby={errorId('from')}
            />
          </label>
          <label>
            {t('custom.to')}{' '}
            <input
              type="datetime-local"
              value={toText}
              onChange={(e) => setToText(e.target.value)}
              aria-invalid={problem?.field === 'to'}
              aria-describedby={errorId('to')}
            />
          </label>
          <button type="submit">{t('custom.apply')}</button>
          <button type="button" onClick={() => setEditing(false)}>
            {t('custom.cancel')}
          </button>
          {problem && (
            <p className="error" role="alert" id={`${id}-error`}>
              {t(`custom.${problem.reason}`)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
