import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { whatIf, whatIfRecording, type SignalHistory, type WhatIf } from '../engine/whatIf';
import { parseRecording, type RecordedMessage } from '../engine/recording';
import { clockTime } from '../lib/clock';

/**
 * "Test a rule change": edit a rule's condition (its limit, say) and see which alarms it would have
 * raised over the values the dashboard holds, next to what the rule as deployed raised, before the
 * change goes into the twin file. Runs the engine on the main thread, on demand only.
 */
export function RuleWhatIf() {
  const { t } = useTranslation('alarms');
  const twin = useApp((s) => (s.load.state === 'ready' ? s.load.twin : null));
  const rules = twin?.rules.filter((r) => r.kind === 'condition') ?? [];
  const [ruleId, setRuleId] = useState('');
  const [when, setWhen] = useState('');
  const [result, setResult] = useState<WhatIf | null>(null);
  const [recording, setRecording] = useState<{ name: string; messages: RecordedMessage[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  if (!twin || rules.length === 0) return null;
  const pick = (id: string) => {
    setRuleId(id);
    setWhen(rules.find((r) => r.id === id)?.when ?? '');
    setResult(null);
  };
  const load = async (file: File | undefined) => {
    setLoadError(null);
    setRecording(null);
    if (!file) return;
    const parsed = parseRecording(await file.text());
    if (parsed.ok) setRecording({ name: file.name, messages: parsed.messages });
    else setLoadError(t('whatIf.loadError', { file: file.name, line: parsed.line, error: parsed.error }));
  };
  const test = () => {
    if (recording) {
      setResult(whatIfRecording(twin, ruleId, when, recording.messages));
      return;
    }
    const history: SignalHistory[] = [];
    telemetry.signals.forEach((info, i) => {
      const ring = telemetry.history[i];
      if (info && ring)
        history.push({
          id: info.id,
          length: ring.length,
          timeAt: (k) => ring.timeAt(k),
          valueAt: (k) => ring.valueAt(k),
        });
    });
    setResult(whatIf(twin, ruleId, when, history));
  };
  return (
    <details className="rule-whatif" data-testid="rule-whatif">
      <summary>{t('whatIf.title')}</summary>
      <select aria-label={t('whatIf.rule')} value={ruleId} onChange={(e) => pick(e.target.value)}>
        <option value="">{t('whatIf.pick')}</option>
        {rules.map((r) => (
          <option key={r.id} value={r.id}>
            {r.id}
          </option>
        ))}
      </select>
      <input
        aria-label={t('whatIf.condition')}
        value={when}
        onChange={(e) => setWhen(e.target.value)}
        disabled={!ruleId}
      />
      <label>
        {t('whatIf.recording')}{' '}
        <input type="file" accept=".jsonl,.json,.txt" onChange={(e) => void load(e.target.files?.[0])} />
      </label>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <button type="button" onClick={test} disabled={!ruleId || when.trim() === ''}>
        {recording ? t('whatIf.testOver', { name: recording.name }) : t('whatIf.testRecorded')}
      </button>
      {result && !result.ok && (
        <p className="error" role="alert">
          {t('whatIf.error', { error: result.error, position: result.position + 1 })}
        </p>
      )}
      {result?.ok && (
        <div data-testid="whatif-result">
          <p>
            {result.from === null || result.to === null
              ? t('whatIf.noValues')
              : t('whatIf.over', {
                  from: clockTime(result.from),
                  to: clockTime(result.to),
                  current: count(result.current, t),
                  edited: count(result.edited, t),
                })}
          </p>
          <ul>
            {result.edited.map((e, i) => (
              <li key={i}>
                {clockTime(e.t)} {e.event}
                {e.value !== undefined && ` ${t('whatIf.value', { value: e.value })}`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

function count(events: readonly { event: string }[], t: TFunction): string {
  return t('whatIf.alarmCount', { count: events.filter((e) => e.event === 'raise').length });
}
