import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import type { SignalHistory, WhatIf } from '../engine/whatIf';
import { parseRecording, type RecordedMessage } from '../engine/recording';
import { clockTime } from '../lib/clock';
import { fetchExport } from './trendHistory';
import { HISTORY_SPANS } from './whatIfSpans';
import { loadWhatIf } from './whatIfLoader';

/**
 * "Test a rule change": edit a rule's condition (its limit, say) and see which alarms it would have
 * raised over the values the dashboard holds, next to what the rule as deployed raised, before the
 * change goes into the twin file. Runs the engine on the main thread, on demand only.
 */
export function RuleWhatIf() {
  const { t } = useTranslation('alarms');
  const { t: tt } = useTranslation('trends');
  const twin = useApp((s) => (s.load.state === 'ready' ? s.load.twin : null));
  const rules = twin?.rules.filter((r) => r.kind === 'condition') ?? [];
  const [ruleId, setRuleId] = useState('');
  const [when, setWhen] = useState('');
  const [result, setResult] = useState<WhatIf | null>(null);
  const [recording, setRecording] = useState<{ name: string; messages: RecordedMessage[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Where the values come from without a file: this tab's rings, or a span of the historian's export.
  const [source, setSource] = useState('tab');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
  const test = async () => {
    setNote(null);
    setBusy(true);
    const run = await loadWhatIf(twin).catch(() => null);
    setBusy(false);
    if (!run) {
      setNote(tt('whatIf.loadFailed'));
      return;
    }
    if (recording) {
      setResult(run.whatIfRecording(twin, ruleId, when, recording.messages));
      return;
    }
    const span = HISTORY_SPANS.find((s) => s.id === source);
    if (span) {
      void testHistory(run, span.ms);
      return;
    }
    testTab(run);
  };
  type Run = Awaited<ReturnType<typeof loadWhatIf>>;
  // Over the historian's recording of the span; without a historian, over this tab's values, and said so.
  const testHistory = async (run: Run, ms: number) => {
    setBusy(true);
    const to = Date.now();
    const res = await fetchExport(fetch, { twin: twin.id, from: to - ms, to }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      const outcome = run.whatIfHistory(twin, ruleId, when, res.value);
      if (!outcome.ok && 'line' in outcome) {
        setResult(null);
        setNote(tt('whatIf.badRecording', { line: outcome.line, error: outcome.error }));
      } else setResult(outcome);
      return;
    }
    setNote(res && res.kind === 'error' ? tt('whatIf.refused', { message: res.message }) : tt('whatIf.fallback'));
    testTab(run);
  };
  const testTab = (run: Run) => {
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
    setResult(run.whatIf(twin, ruleId, when, history));
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
      {!recording && (
        <label>
          {tt('whatIf.source')}{' '}
          <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="whatif-source">
            <option value="tab">{tt('whatIf.sourceTab')}</option>
            {HISTORY_SPANS.map((s) => (
              <option key={s.id} value={s.id}>
                {tt(`whatIf.source${s.id}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" onClick={() => void test()} disabled={!ruleId || when.trim() === '' || busy}>
        {recording ? t('whatIf.testOver', { name: recording.name }) : t('whatIf.testRecorded')}
      </button>
      {busy && <p aria-live="polite">{tt('whatIf.loading')}</p>}
      {note && (
        <p className="note" role="status" data-testid="whatif-note">
          {note}
        </p>
      )}
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
