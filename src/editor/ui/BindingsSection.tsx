/**
 * Bind by clicking: a part picked in the scene or the node tree opens the binding form (signal,
 * effect, the effect's parameters from the schema: ../bindingForm.ts); "Add binding" is one undo
 * step, and the preview shows the effect with the next value. The section lists the bindings with
 * edit and delete.
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { Effect } from '../../twin/schema';
import { useApp } from '../../store/app';
import { edit, useDraft, type TwinDoc } from '../draft';
import {
  changeKind,
  COLOR_STATES,
  EFFECT_KINDS,
  effectKind,
  startingEffect,
  writtenEffect,
  type EffectField,
} from '../bindingForm';
import { listOf } from '../sceneEdit';
import { useProblemsAt } from './fields';

/** One empty list for every render (a new [] per render would be a change to the store's subscribers). */
const NONE: unknown[] = [];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface FormState {
  /** The binding being edited, or null for a new one. */
  index: number | null;
  node: string;
  signal: string;
  effect: Obj;
}

/** The form's state, shared by the part panel (the form) and the section (edit buttons). */
const useBindingForm = create<{ form: FormState | null }>(() => ({ form: null }));

interface SignalOption {
  id: string;
  range?: [number, number];
}

function signalsOf(doc: TwinDoc): SignalOption[] {
  const list = Array.isArray(doc.signals) ? doc.signals : [];
  return list.flatMap((s: unknown) => {
    // A template ("{pump}.temp") is not a value a binding can name: its concrete ids are.
    if (!isObj(s) || typeof s.id !== 'string' || s.id.includes('{')) return [];
    const range =
      Array.isArray(s.range) && s.range.length === 2 && s.range.every((n) => typeof n === 'number')
        ? (s.range as [number, number])
        : undefined;
    return [{ id: s.id, range }];
  });
}

function newForm(node: string, doc: TwinDoc): FormState {
  const signal = signalsOf(doc)[0];
  return {
    index: null,
    node,
    signal: signal?.id ?? '',
    effect: startingEffect('colorThresholds', signal?.range),
  };
}

function openBinding(index: number): void {
  const b = (useDraft.getState().doc.bindings as unknown[] | undefined)?.[index];
  if (!isObj(b)) return;
  const node = typeof b.node === 'string' ? b.node : '';
  useBindingForm.setState({
    form: {
      index,
      node,
      signal: typeof b.signal === 'string' ? b.signal : '',
      effect: isObj(b.effect) ? structuredClone(b.effect) : startingEffect('colorThresholds'),
    },
  });
  if (node) useApp.setState({ selected: node });
}

/** Left column: the bindings, with edit and delete. */
export function BindingsSection() {
  const { t } = useTranslation('editorScene');
  const bindings = useDraft((s) => (Array.isArray(s.doc.bindings) ? (s.doc.bindings as unknown[]) : NONE));
  const focus = useDraft((s) => s.focus);

  // A problem under a binding was clicked: open that binding in the form, where its fields are.
  useEffect(() => {
    const m = focus ? /^\$\.bindings\[(\d+)\]/.exec(focus.path) : null;
    if (m) openBinding(Number(m[1]));
  }, [focus]);

  return (
    <div className="editor-form">
      <p className="editor-field-hint">{t('bindings.hint')}</p>
      {bindings.length === 0 ? <p className="empty">{t('bindings.none')}</p> : null}
      <ul className="editor-bindings">
        {bindings.map((b, i) => {
          const binding = isObj(b) ? b : {};
          const kind = isObj(binding.effect) ? String(binding.effect.kind) : '?';
          return (
            <li key={i} className="editor-binding" data-binding={i}>
              <span>
                {t('bindings.row', {
                  signal: String(binding.signal ?? ''),
                  node: String(binding.node ?? ''),
                  effect: t(`effects.${kind}`, { defaultValue: kind }),
                })}
              </span>
              <span className="editor-row-actions">
                <button type="button" data-path={`$.bindings[${i}]`} onClick={() => openBinding(i)}>
                  {t('bindings.edit')}
                </button>
                <button
                  type="button"
                  aria-label={t('bindings.deleteLabel', { node: String(binding.node ?? '') })}
                  onClick={() => {
                    edit(`Unbind ${String(binding.node ?? '')}`, (doc) => {
                      listOf(doc, 'bindings').splice(i, 1);
                    });
                    useBindingForm.setState({ form: null });
                  }}
                >
                  {t('bindings.delete')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Right column: the selected part and the binding form for it. */
export function BindingPanel() {
  const { t } = useTranslation('editorScene');
  const selected = useApp((s) => s.selected);
  const form = useBindingForm((s) => s.form);

  // A newly picked part starts a new binding for it (an open edit of an existing one follows its node).
  useEffect(() => {
    const current = useBindingForm.getState().form;
    if (current?.index !== null && current?.node === selected) return;
    useBindingForm.setState({ form: selected ? newForm(selected, useDraft.getState().doc) : null });
  }, [selected]);

  if (!form) return <p className="empty">{t('bindings.pick')}</p>;
  return <BindingForm form={form} />;
}

function BindingForm({ form }: { form: FormState }) {
  const { t } = useTranslation('editorScene');
  const doc = useDraft((s) => s.doc);
  const signals = useMemo(() => signalsOf(doc), [doc]);
  const set = (patch: Partial<FormState>) =>
    useBindingForm.setState((s) => ({ form: s.form ? { ...s.form, ...patch } : null }));
  const base = form.index === null ? null : `$.bindings[${form.index}]`;
  const spec = effectKind(String(form.effect.kind));
  const range = signals.find((s) => s.id === form.signal)?.range;
  const ids = { node: useId(), signal: useId(), effect: useId() };
  const problems = useProblemsAt(base ?? '$.__none__');
  // A binding names a part of a model ("skid/Motor"), not a whole asset (the schema's rule).
  const isPart = /^[^/]+\/.+$/.test(form.node.trim());

  const save = () => {
    const binding = { signal: form.signal, node: form.node.trim(), effect: writtenEffect(form.effect) };
    if (form.index === null) {
      edit(`Bind ${binding.node}`, (doc) => {
        listOf(doc, 'bindings').push(binding);
      });
      // The binding is made: the form goes on as that binding, so a second click does not add it twice.
      const index = (useDraft.getState().doc.bindings as unknown[]).length - 1;
      set({ index });
    } else {
      const index = form.index;
      edit(`Change binding of ${binding.node}`, (doc) => {
        const list = listOf(doc, 'bindings');
        if (index < list.length) list[index] = binding;
      });
    }
  };

  return (
    <form
      className="editor-form editor-binding-form"
      data-testid="binding-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <p className="editor-binding-title">
        {form.index === null ? t('bindings.newFor') : t('bindings.editing', { n: form.index + 1 })}
      </p>
      <div className="editor-field">
        <label htmlFor={ids.node}>{t('bindings.node')}</label>
        <input
          id={ids.node}
          data-path={base ? `${base}.node` : undefined}
          data-testid="binding-node"
          value={form.node}
          spellCheck={false}
          onChange={(e) => set({ node: e.target.value })}
          aria-describedby={isPart ? undefined : `${ids.node}-hint`}
        />
        {isPart ? null : (
          <p className="editor-field-hint" id={`${ids.node}-hint`}>
            {t('bindings.wholeAsset')}
          </p>
        )}
      </div>
      <div className="editor-field">
        <label htmlFor={ids.signal}>{t('bindings.signal')}</label>
        {signals.length === 0 ? <p className="editor-field-hint">{t('bindings.noSignals')}</p> : null}
        <select
          id={ids.signal}
          data-path={base ? `${base}.signal` : undefined}
          data-testid="binding-signal"
          value={form.signal}
          onChange={(e) => set({ signal: e.target.value })}
        >
          {form.signal && !signals.some((s) => s.id === form.signal) ? (
            <option value={form.signal}>{form.signal}</option>
          ) : null}
          {signals.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
      </div>
      <div className="editor-field">
        <label htmlFor={ids.effect}>{t('bindings.effect')}</label>
        <select
          id={ids.effect}
          data-path={base ? `${base}.effect.kind` : undefined}
          data-testid="binding-effect"
          value={String(form.effect.kind)}
          onChange={(e) =>
            set({ effect: changeKind(form.effect, e.target.value as Effect['kind'], range) as unknown as Obj })
          }
        >
          {EFFECT_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {t(`effects.${k.kind}`)}
            </option>
          ))}
        </select>
        {spec ? <p className="editor-field-hint">{t(`effectHints.${spec.kind}`)}</p> : null}
      </div>
      {spec?.fields.map((field) => (
        <EffectFieldInput
          key={`${String(form.effect.kind)}.${field.name}`}
          kind={String(form.effect.kind)}
          field={field}
          path={base ? `${base}.effect.${field.name}` : undefined}
          value={form.effect[field.name]}
          onChange={(value) => {
            const effect = { ...form.effect };
            if (value === undefined) delete effect[field.name];
            else effect[field.name] = value;
            set({ effect });
          }}
        />
      ))}
      {problems.length ? (
        <ul className="editor-field-problems">
          {problems.map((p) => (
            <li key={`${p.path}\n${p.message}`}>{p.message}</li>
          ))}
        </ul>
      ) : null}
      <div className="editor-row-actions">
        <button type="submit" data-testid="binding-save" disabled={!form.signal || !isPart}>
          {form.index === null ? t('bindings.add') : t('bindings.save')}
        </button>
        <button type="button" onClick={() => useBindingForm.setState({ form: null })}>
          {t('bindings.close')}
        </button>
      </div>
    </form>
  );
}

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <fieldset className="editor-effect-field">
      <legend>{label}</legend>
      {children}
      {hint ? <p className="editor-field-hint">{hint}</p> : null}
    </fieldset>
  );
}

/** A number typed as text, so "-" or "1." can be on the way to a number. */
function FormNumber({
  value,
  onChange,
  label,
  path,
  testId,
}: {
  value: unknown;
  onChange: (n: number) => void;
  label: string;
  path?: string;
  testId?: string;
}) {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    setText((old) =>
      typeof value === 'number' && Number(old) === value && old.trim() !== ''
        ? old
        : typeof value === 'number'
          ? String(value)
          : '',
    );
  }, [value]);
  return (
    <input
      type="number"
      step="any"
      aria-label={label}
      data-path={path}
      data-testid={testId}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        if (Number.isFinite(e.target.valueAsNumber)) onChange(e.target.valueAsNumber);
      }}
    />
  );
}

function ColorInput({
  value,
  onChange,
  label,
  path,
}: {
  value: unknown;
  onChange: (c: string) => void;
  label: string;
  path?: string;
}) {
  const { t } = useTranslation('editorScene');
  const text = typeof value === 'string' ? value : 'normal';
  const custom = text.startsWith('#');
  return (
    <span className="editor-color">
      <select
        aria-label={label}
        data-path={path}
        value={custom ? 'custom' : text}
        onChange={(e) => onChange(e.target.value === 'custom' ? '#ff8800' : e.target.value)}
      >
        {COLOR_STATES.map((c) => (
          <option key={c} value={c}>
            {t(`colors.${c}`)}
          </option>
        ))}
        <option value="custom">{t('colors.custom')}</option>
      </select>
      {custom ? (
        <input
          type="color"
          aria-label={t('colors.pick', { what: label })}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : null}
    </span>
  );
}

function EffectFieldInput({
  kind: effect,
  field,
  path,
  value,
  onChange,
}: {
  kind: string;
  field: EffectField;
  path?: string;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { t, i18n } = useTranslation('editorScene');
  const label = t(`fields.${field.name}`, { defaultValue: field.name });
  // A hint where the field's name alone does not say enough (not every field has one).
  const hintKey = `fieldHints.${effect}.${field.name}`;
  const hint = i18n.exists(hintKey, { ns: 'editorScene' }) ? t(hintKey) : undefined;
  const kind = field.kind;
  const numbers = (n: number, fallback: number): number[] =>
    Array.from({ length: n }, (_, i) =>
      Array.isArray(value) && typeof value[i] === 'number' ? (value[i] as number) : fallback,
    );
  switch (kind.type) {
    case 'enum':
      return (
        <Field label={label} hint={hint}>
          <select
            aria-label={label}
            data-path={path}
            value={typeof value === 'string' ? value : String(field.default ?? kind.options[0])}
            onChange={(e) => onChange(e.target.value)}
          >
            {kind.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
      );
    case 'number':
      return (
        <Field label={label} hint={hint}>
          <FormNumber label={label} path={path} value={value ?? field.default} onChange={onChange} />
        </Field>
      );
    case 'string':
      return (
        <Field label={label} hint={hint}>
          <input
            aria-label={label}
            data-path={path}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value === '' && !field.required ? undefined : e.target.value)}
          />
        </Field>
      );
    case 'pair':
    case 'vec3': {
      const n = kind.type === 'pair' ? 2 : 3;
      const current = numbers(n, 0);
      // An optional vector left alone stays out of the file.
      const present = Array.isArray(value);
      return (
        <Field label={label} hint={hint}>
          {current.map((v, i) => (
            <FormNumber
              key={i}
              label={`${label} ${i + 1}`}
              path={path ? `${path}[${i}]` : undefined}
              value={present ? v : undefined}
              onChange={(x) => {
                const next = [...current];
                next[i] = x;
                onChange(next);
              }}
            />
          ))}
          {!field.required && present ? (
            <button type="button" onClick={() => onChange(undefined)}>
              {t('bindings.clear')}
            </button>
          ) : null}
        </Field>
      );
    }
    case 'color':
      return (
        <Field label={label} hint={hint}>
          <ColorInput label={label} path={path} value={value ?? field.default} onChange={onChange} />
        </Field>
      );
    case 'stops': {
      const stops = Array.isArray(value) ? (value as [number, string][]) : [];
      const setStop = (i: number, stop: [number, string]) => onChange(stops.map((s, j) => (j === i ? stop : s)));
      return (
        <Field label={label} hint={hint}>
          <ol className="editor-stops">
            {stops.map((stop, i) => (
              <li key={i} data-stop={i}>
                <FormNumber
                  label={t('bindings.stopValue', { n: i + 1 })}
                  path={path ? `${path}[${i}][0]` : undefined}
                  testId={`binding-stop-value-${i}`}
                  value={stop[0]}
                  onChange={(x) => setStop(i, [x, stop[1]])}
                />
                <ColorInput
                  label={t('bindings.stopColor', { n: i + 1 })}
                  path={path ? `${path}[${i}][1]` : undefined}
                  value={stop[1]}
                  onChange={(c) => setStop(i, [stop[0], c])}
                />
                <button
                  type="button"
                  disabled={stops.length <= kind.min}
                  aria-label={t('bindings.removeStop', { n: i + 1 })}
                  onClick={() => onChange(stops.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => {
              const last = stops[stops.length - 1];
              onChange([...stops, [last ? last[0] + 10 : 0, 'alarm']]);
            }}
          >
            {t('bindings.addStop')}
          </button>
        </Field>
      );
    }
  }
}
