/**
 * Signals: one form per signal (topic, payload decoder, JSON path or Sparkplug metric, id, label,
 * unit, range), each field validated as you type by the twin validator and carrying its data-path.
 * New signals usually come from the topic browser (right column) with their guesses filled in.
 */
import { useTranslation } from 'react-i18next';
import { edit, useDraft } from '../draft';
import { FieldProblems, TextField } from './fields';
import { SelectField, isObject, itemOf, numberOrText, setOrDelete, str, type Json } from './signalFields';
import './editorSignals.css';

const DECODERS = ['json', 'number', 'boolean', 'text', 'sparkplug'] as const;
const NONE: unknown[] = [];

export function SignalsSection() {
  const { t } = useTranslation('editorSignals');
  const signals = useDraft((s) => (Array.isArray(s.doc.signals) ? (s.doc.signals as unknown[]) : NONE));
  return (
    <div className="editor-form">
      {signals.length === 0 ? <p className="empty">{t('signals.none')}</p> : null}
      {signals.map((s, i) => (
        <SignalForm key={i} index={i} signal={isObject(s) ? s : {}} />
      ))}
      <button
        type="button"
        onClick={() =>
          edit(t('signals.add'), (doc) => {
            itemOf(doc, 'signals', Array.isArray(doc.signals) ? doc.signals.length : 0);
          })
        }
      >
        {t('signals.add')}
      </button>
    </div>
  );
}

function SignalForm({ index, signal }: { index: number; signal: Json }) {
  const { t } = useTranslation('editorSignals');
  const at = `$.signals[${index}]`;
  const decoder = str(signal.decoder) || 'json';
  const range = Array.isArray(signal.range) ? (signal.range as unknown[]) : [];
  const set = (field: string) => (doc: Json, value: unknown) =>
    setOrDelete(itemOf(doc, 'signals', index), field, value);
  const setRange = (end: 0 | 1) => (doc: Json, text: string) => {
    const item = itemOf(doc, 'signals', index);
    const next = Array.isArray(item.range) ? [...(item.range as unknown[])] : [undefined, undefined];
    next[end] = numberOrText(text);
    if (next[0] === undefined && next[1] === undefined) delete item.range;
    else item.range = next.map((v) => v ?? '');
  };
  return (
    <fieldset className="editor-item" data-testid="signal-form" data-index={index}>
      <legend>{t('signals.heading', { n: index + 1, id: str(signal.id) })}</legend>
      <TextField
        path={`${at}.topic`}
        label={t('signals.topic')}
        hint={t('signals.topicHint')}
        value={str(signal.topic)}
        undoLabel={t('signals.topic')}
        apply={(d, v) => set('topic')(d, v.trim() || undefined)}
        testId="signal-topic"
      />
      <SelectField
        path={`${at}.decoder`}
        label={t('signals.decoder')}
        value={decoder}
        options={DECODERS.map((d) => ({ value: d, label: d }))}
        undoLabel={t('signals.decoder')}
        apply={(d, v) => {
          const item = itemOf(d, 'signals', index);
          item.decoder = v;
          // A path is for json, a metric for sparkplug: keep the name the user wrote in the other field.
          if (v === 'sparkplug' && typeof item.path === 'string') {
            item.metric = item.path;
            delete item.path;
          } else if (v !== 'sparkplug' && typeof item.metric === 'string') {
            if (v === 'json') item.path = item.metric;
            delete item.metric;
          }
        }}
        testId="signal-decoder"
      />
      {decoder === 'sparkplug' ? (
        <TextField
          path={`${at}.metric`}
          label={t('signals.metric')}
          value={str(signal.metric)}
          undoLabel={t('signals.metric')}
          apply={(d, v) => set('metric')(d, v)}
          testId="signal-metric"
        />
      ) : decoder === 'json' ? (
        <TextField
          path={`${at}.path`}
          label={t('signals.path')}
          hint={t('signals.pathHint')}
          value={str(signal.path)}
          undoLabel={t('signals.path')}
          apply={(d, v) => set('path')(d, v.trim())}
          testId="signal-path"
        />
      ) : null}
      <TextField
        path={`${at}.id`}
        label={t('signals.id')}
        value={str(signal.id)}
        undoLabel={t('signals.id')}
        apply={(d, v) => {
          itemOf(d, 'signals', index).id = v.trim();
        }}
        testId="signal-id"
      />
      <TextField
        path={`${at}.label`}
        label={t('signals.label')}
        value={str(signal.label)}
        undoLabel={t('signals.label')}
        apply={(d, v) => set('label')(d, v)}
        testId="signal-label"
      />
      <TextField
        path={`${at}.unit`}
        label={t('signals.unit')}
        value={str(signal.unit)}
        undoLabel={t('signals.unit')}
        apply={(d, v) => set('unit')(d, v)}
        testId="signal-unit"
      />
      <RangeProblems path={`${at}.range`} />
      <div className="editor-pair">
        <TextField
          path={`${at}.range[0]`}
          label={t('signals.rangeLow')}
          value={range[0] === undefined ? '' : String(range[0])}
          undoLabel={t('signals.rangeLow')}
          apply={setRange(0)}
          testId="signal-range-low"
        />
        <TextField
          path={`${at}.range[1]`}
          label={t('signals.rangeHigh')}
          value={range[1] === undefined ? '' : String(range[1])}
          undoLabel={t('signals.rangeHigh')}
          apply={setRange(1)}
          testId="signal-range-high"
        />
      </div>
      <button
        type="button"
        className="editor-remove"
        onClick={() =>
          edit(t('signals.remove'), (doc) => {
            if (Array.isArray(doc.signals)) doc.signals.splice(index, 1);
          })
        }
      >
        {t('signals.remove')}
      </button>
    </fieldset>
  );
}

/** Problems of the range as a whole ("low must be below high"): its two fields show their own. */
function RangeProblems({ path }: { path: string }) {
  const problems = useDraft((s) => s.problems).filter((p) => p.path === path);
  return <FieldProblems id={`${path}-problems`} problems={problems} />;
}
