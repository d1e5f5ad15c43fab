/**
 * Rules: one form per rule (id, kind, condition or watched signal, limit, on-delay, priority,
 * message), validated as you type (the condition by the rule language's parser, through the twin
 * validator, with the character where it fails), and a what-if: how often the rule would have fired
 * over the values the topic browser has seen, replayed by the dashboard's what-if engine.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { edit, useDraft } from '../draft';
import { TextField, useProblemsAt } from './fields';
import { parseCondition } from '../../twin/condition';
import { SelectField, isObject, itemOf, numberOrText, setOrDelete, str, type Json } from './signalFields';
import { topicModel } from '../topicStore';
import type { SeenWhatIf } from '../ruleWhatIf';
import { formatNumber } from '../../lib/format';
import './editorSignals.css';

const KINDS = ['condition', 'anomaly', 'forecast'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const NONE: unknown[] = [];

export function RulesSection() {
  const { t } = useTranslation('editorSignals');
  const rules = useDraft((s) => (Array.isArray(s.doc.rules) ? (s.doc.rules as unknown[]) : NONE));
  return (
    <div className="editor-form">
      {rules.length === 0 ? <p className="empty">{t('rules.none')}</p> : null}
      {rules.map((r, i) => (
        <RuleForm key={i} index={i} rule={isObject(r) ? r : {}} />
      ))}
      <button
        type="button"
        onClick={() =>
          edit(t('rules.add'), (doc) => {
            const n = Array.isArray(doc.rules) ? doc.rules.length : 0;
            Object.assign(itemOf(doc, 'rules', n), { id: `rule${n + 1}`, when: '', message: '' });
          })
        }
      >
        {t('rules.add')}
      </button>
    </div>
  );
}

function RuleForm({ index, rule }: { index: number; rule: Json }) {
  const { t } = useTranslation('editorSignals');
  const at = `$.rules[${index}]`;
  const kind = str(rule.kind) || 'condition';
  const set = (field: string) => (doc: Json, value: unknown) => setOrDelete(itemOf(doc, 'rules', index), field, value);
  return (
    <fieldset className="editor-item" data-testid="rule-form" data-index={index}>
      <legend>{t('rules.heading', { n: index + 1, id: str(rule.id) })}</legend>
      <TextField
        path={`${at}.id`}
        label={t('rules.id')}
        value={str(rule.id)}
        undoLabel={t('rules.id')}
        apply={(d, v) => {
          itemOf(d, 'rules', index).id = v.trim();
        }}
        testId="rule-id"
      />
      <SelectField
        path={`${at}.kind`}
        label={t('rules.kind')}
        value={kind}
        options={KINDS.map((k) => ({ value: k, label: t(`rules.kinds.${k}`) }))}
        undoLabel={t('rules.kind')}
        apply={(d, v) => set('kind')(d, v === 'condition' ? undefined : v)}
        testId="rule-kind"
      />
      {kind === 'condition' ? (
        <TextField
          path={`${at}.when`}
          label={t('rules.when')}
          hint={t('rules.whenHint')}
          value={str(rule.when)}
          undoLabel={t('rules.when')}
          // Kept as typed (even empty), so the validator says what a condition needs.
          apply={(d, v) => {
            itemOf(d, 'rules', index).when = v;
          }}
          testId="rule-when"
        />
      ) : (
        <TextField
          path={`${at}.signal`}
          label={t('rules.signal')}
          value={str(rule.signal)}
          undoLabel={t('rules.signal')}
          apply={(d, v) => set('signal')(d, v.trim())}
          testId="rule-signal"
        />
      )}
      {kind === 'condition' ? <ConditionCheck path={`${at}.when`} text={str(rule.when)} /> : null}
      {kind === 'forecast' ? (
        <TextField
          path={`${at}.limit`}
          label={t('rules.limit')}
          value={rule.limit === undefined ? '' : String(rule.limit)}
          undoLabel={t('rules.limit')}
          apply={(d, v) => set('limit')(d, numberOrText(v))}
        />
      ) : null}
      <TextField
        path={`${at}.for`}
        label={t('rules.for')}
        hint={t('rules.forHint')}
        value={rule.for === undefined ? '' : String(rule.for)}
        undoLabel={t('rules.for')}
        apply={(d, v) => set('for')(d, numberOrText(v))}
        testId="rule-for"
      />
      <SelectField
        path={`${at}.priority`}
        label={t('rules.priority')}
        value={str(rule.priority) || 'medium'}
        options={PRIORITIES.map((p) => ({ value: p, label: t(`rules.priorities.${p}`) }))}
        undoLabel={t('rules.priority')}
        apply={(d, v) => set('priority')(d, v)}
        testId="rule-priority"
      />
      <TextField
        path={`${at}.message`}
        label={t('rules.message')}
        value={str(rule.message)}
        undoLabel={t('rules.message')}
        apply={(d, v) => {
          itemOf(d, 'rules', index).message = v;
        }}
        testId="rule-message"
      />
      <RuleWhatIfSeen rule={rule} />
      <button
        type="button"
        className="editor-remove"
        onClick={() =>
          edit(t('rules.remove'), (doc) => {
            if (Array.isArray(doc.rules)) doc.rules.splice(index, 1);
          })
        }
      >
        {t('rules.remove')}
      </button>
    </fieldset>
  );
}

/** "Would have fired N times over the last M minutes of values seen": on demand, engine loaded then. */
function RuleWhatIfSeen({ rule }: { rule: Json }) {
  const { t } = useTranslation('editorSignals');
  const [result, setResult] = useState<SeenWhatIf | 'loading' | 'load-failed' | null>(null);
  // An answer is about the rule as it was tested: an edit of the rule clears it.
  const ruleText = JSON.stringify(rule);
  useEffect(() => setResult(null), [ruleText]);
  const test = async () => {
    setResult('loading');
    const mod = await import('../ruleWhatIf').catch(() => null);
    if (!mod) {
      setResult('load-failed');
      return;
    }
    setResult(mod.seenWhatIf(rule, useDraft.getState().doc.signals, topicModel));
  };
  return (
    <div className="rule-whatif-seen">
      <button type="button" onClick={() => void test()} disabled={result === 'loading'} data-testid="rule-whatif-run">
        {t('rules.whatIf')}
      </button>
      <p role="status" data-testid="rule-whatif">
        {result === null
          ? null
          : result === 'loading'
            ? t('rules.whatIfLoading')
            : result === 'load-failed'
              ? t('rules.whatIfLoadFailed')
              : describe(result, t)}
      </p>
    </div>
  );
}

function describe(result: SeenWhatIf, t: TFunction): string {
  if (!result.ok) return t('rules.whatIfError', { error: result.error });
  if (result.from === null || result.to === null) return t('rules.whatIfNone');
  const seconds = (result.to - result.from) / 1000;
  const span =
    seconds < 120
      ? t('rules.seconds', { value: formatNumber(seconds, seconds < 10 ? 1 : 0) })
      : t('rules.minutes', { value: formatNumber(seconds / 60, 1) });
  return t('rules.whatIfFired', { count: result.fired, span, signals: result.signals.join(', ') });
}

/**
 * The condition parsed as you type, whatever else of the document is wrong: the validator checks
 * conditions only once the schema passes (a rule without its message yet), the parser always.
 */
function ConditionCheck({ path, text }: { path: string; text: string }) {
  const { t } = useTranslation('editorSignals');
  const validatorSays = useProblemsAt(path).length > 0;
  if (validatorSays || text.trim() === '') return null;
  const parsed = parseCondition(text);
  if (parsed.ok) return null;
  return (
    <p className="editor-field-problems" data-testid="rule-when-error">
      {t('rules.whenError', { error: parsed.error, position: parsed.position + 1 })}
    </p>
  );
}
