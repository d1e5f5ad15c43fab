/**
 * Commands: one form per command (id, label, topic, payload template, parameters, confirmation),
 * validated as you type by the twin validator (a topic with a wildcard is refused at once). The
 * payload is typed as JSON; text that is not JSON is sent as that text, and the form says so.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, useDraft } from '../draft';
import { FieldProblems, TextField, useProblemsAt } from './fields';
import {
  CheckField,
  InlineText,
  SelectField,
  isObject,
  itemOf,
  numberOrText,
  setOrDelete,
  str,
  type Json,
} from './signalFields';
import './editorSignals.css';

const PARAM_KINDS = ['number', 'enum', 'boolean'] as const;
const NONE: unknown[] = [];

export function CommandsSection() {
  const { t } = useTranslation('editorSignals');
  const commands = useDraft((s) => (Array.isArray(s.doc.commands) ? (s.doc.commands as unknown[]) : NONE));
  return (
    <div className="editor-form">
      {commands.length === 0 ? <p className="empty">{t('commands.none')}</p> : null}
      {commands.map((c, i) => (
        <CommandForm key={i} index={i} command={isObject(c) ? c : {}} />
      ))}
      <button
        type="button"
        onClick={() =>
          edit(t('commands.add'), (doc) => {
            const n = Array.isArray(doc.commands) ? doc.commands.length : 0;
            Object.assign(itemOf(doc, 'commands', n), { id: `command${n + 1}`, label: '', topic: '', payload: '' });
          })
        }
      >
        {t('commands.add')}
      </button>
    </div>
  );
}

function CommandForm({ index, command }: { index: number; command: Json }) {
  const { t } = useTranslation('editorSignals');
  const at = `$.commands[${index}]`;
  const params = Array.isArray(command.params) ? (command.params as unknown[]) : NONE;
  return (
    <fieldset className="editor-item" data-testid="command-form" data-index={index}>
      <legend>{t('commands.heading', { n: index + 1, id: str(command.id) })}</legend>
      <TextField
        path={`${at}.id`}
        label={t('commands.id')}
        value={str(command.id)}
        undoLabel={t('commands.id')}
        apply={(d, v) => {
          itemOf(d, 'commands', index).id = v.trim();
        }}
        testId="command-id"
      />
      <TextField
        path={`${at}.label`}
        label={t('commands.label')}
        value={str(command.label)}
        undoLabel={t('commands.label')}
        apply={(d, v) => {
          itemOf(d, 'commands', index).label = v;
        }}
        testId="command-label"
      />
      <TextField
        path={`${at}.topic`}
        label={t('commands.topic')}
        hint={t('commands.topicHint')}
        value={str(command.topic)}
        undoLabel={t('commands.topic')}
        apply={(d, v) => {
          itemOf(d, 'commands', index).topic = v.trim();
        }}
        testId="command-topic"
      />
      <PayloadField index={index} payload={command.payload} />
      <fieldset className="editor-params">
        <legend>{t('commands.params')}</legend>
        {params.map((p, k) => (
          <ParamRow key={k} index={index} k={k} param={isObject(p) ? p : {}} />
        ))}
        <button
          type="button"
          onClick={() =>
            edit(t('commands.addParam'), (doc) => {
              const item = itemOf(doc, 'commands', index);
              if (!Array.isArray(item.params)) item.params = [];
              const list = item.params as unknown[];
              list.push({ id: `value${list.length + 1}`, kind: 'number' });
            })
          }
        >
          {t('commands.addParam')}
        </button>
      </fieldset>
      <CheckField
        path={`${at}.confirm`}
        label={t('commands.confirm')}
        checked={command.confirm !== false}
        undoLabel={t('commands.confirm')}
        apply={(d, v) => setOrDelete(itemOf(d, 'commands', index), 'confirm', v ? undefined : false)}
      />
      <button
        type="button"
        className="editor-remove"
        onClick={() =>
          edit(t('commands.remove'), (doc) => {
            if (Array.isArray(doc.commands)) doc.commands.splice(index, 1);
          })
        }
      >
        {t('commands.remove')}
      </button>
    </fieldset>
  );
}

/** The payload as typed: JSON when it parses (a number, "text", an object), else that text. */
function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const payloadText = (payload: unknown) =>
  typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload);

function PayloadField({ index, payload }: { index: number; payload: unknown }) {
  const { t } = useTranslation('editorSignals');
  const id = useId();
  const path = `$.commands[${index}].payload`;
  const problems = useProblemsAt(path);
  const visits = useRef(0);
  const focused = useRef(false);
  // The text as typed (a JSON string typed with its quotes is stored without them); follows undo/redo when not focused.
  const [text, setText] = useState(() => payloadText(payload));
  useEffect(() => {
    if (!focused.current) setText(payloadText(payload));
  }, [payload]);
  const parsed = parsePayload(text);
  const asText = text.trim() !== '' && typeof parsed === 'string' && !/^\s*"/.test(text);
  return (
    <div className="editor-field">
      <label htmlFor={id}>{t('commands.payload')}</label>
      <textarea
        id={id}
        rows={2}
        data-path={path}
        data-testid="command-payload"
        value={text}
        spellCheck={false}
        aria-invalid={problems.length > 0}
        aria-describedby={`${id}-hint`}
        onFocus={() => {
          focused.current = true;
          visits.current++;
        }}
        onBlur={() => {
          focused.current = false;
        }}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          edit(
            t('commands.payload'),
            (doc) => {
              itemOf(doc, 'commands', index).payload = parsePayload(next);
            },
            `${path}#${visits.current}`,
          );
        }}
      />
      <p className="editor-field-hint" id={`${id}-hint`}>
        {asText ? t('commands.payloadText') : t('commands.payloadHint')}
      </p>
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

function ParamRow({ index, k, param }: { index: number; k: number; param: Json }) {
  const { t } = useTranslation('editorSignals');
  const at = `$.commands[${index}].params[${k}]`;
  const kind = str(param.kind) || 'number';
  const problems = useProblemsAt(at);
  const paramOf = (doc: Json): Json => {
    const item = itemOf(doc, 'commands', index);
    if (!Array.isArray(item.params)) item.params = [];
    const list = item.params as unknown[];
    if (!isObject(list[k])) list[k] = {};
    return list[k] as Json;
  };
  return (
    <div className="editor-param" data-path={at}>
      <InlineText
        path={`${at}.id`}
        label={t('commands.paramId')}
        value={str(param.id)}
        undoLabel={t('commands.paramId')}
        apply={(d, v) => {
          paramOf(d).id = v.trim();
        }}
      />
      <SelectField
        path={`${at}.kind`}
        label={t('commands.paramKind')}
        value={kind}
        options={PARAM_KINDS.map((p) => ({ value: p, label: t(`commands.paramKinds.${p}`) }))}
        undoLabel={t('commands.paramKind')}
        apply={(d, v) => {
          const p = paramOf(d);
          // Keep only the fields the new kind has.
          for (const key of Object.keys(p)) if (!['id', 'label', 'kind'].includes(key)) delete p[key];
          p.kind = v;
          if (v === 'enum') p.values = ['on', 'off'];
        }}
      />
      <InlineText
        path={`${at}.label`}
        label={t('commands.paramLabel')}
        value={str(param.label)}
        undoLabel={t('commands.paramLabel')}
        apply={(d, v) => setOrDelete(paramOf(d), 'label', v)}
      />
      {kind === 'number' ? (
        <>
          <InlineText
            path={`${at}.min`}
            label={t('commands.min')}
            value={param.min === undefined ? '' : String(param.min)}
            undoLabel={t('commands.min')}
            apply={(d, v) => setOrDelete(paramOf(d), 'min', numberOrText(v))}
          />
          <InlineText
            path={`${at}.max`}
            label={t('commands.max')}
            value={param.max === undefined ? '' : String(param.max)}
            undoLabel={t('commands.max')}
            apply={(d, v) => setOrDelete(paramOf(d), 'max', numberOrText(v))}
          />
        </>
      ) : null}
      {kind === 'enum' ? (
        <ValuesField
          path={`${at}.values`}
          values={Array.isArray(param.values) ? (param.values as unknown[]).map(String) : []}
          apply={(d, values) => {
            paramOf(d).values = values;
          }}
        />
      ) : null}
      <button
        type="button"
        aria-label={t('commands.removeParam')}
        title={t('commands.removeParam')}
        onClick={() =>
          edit(t('commands.removeParam'), (doc) => {
            const item = itemOf(doc, 'commands', index);
            if (Array.isArray(item.params)) item.params.splice(k, 1);
          })
        }
      >
        ×
      </button>
      <FieldProblems id={`${at}-problems`} problems={problems} />
    </div>
  );
}

/** Comma-separated choices, kept as typed while focused ("a, " must not lose its comma). */
function ValuesField({
  path,
  values,
  apply,
}: {
  path: string;
  values: string[];
  apply: (doc: Json, values: string[]) => void;
}) {
  const { t } = useTranslation('editorSignals');
  const joined = values.join(', ');
  const [text, setText] = useState(joined);
  const focused = useRef(false);
  const visits = useRef(0);
  const problems = useProblemsAt(path);
  useEffect(() => {
    if (!focused.current) setText(joined);
  }, [joined]);
  return (
    <input
      aria-label={t('commands.values')}
      title={problems.map((p) => p.message).join('\n') || undefined}
      data-path={path}
      value={text}
      aria-invalid={problems.length > 0}
      onFocus={() => {
        focused.current = true;
        visits.current++;
      }}
      onBlur={() => {
        focused.current = false;
        setText(joined);
      }}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const list = next
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '');
        edit(t('commands.values'), (doc) => apply(doc, list), `${path}#${visits.current}`);
      }}
    />
  );
}
