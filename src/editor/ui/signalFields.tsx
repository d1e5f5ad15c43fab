/**
 * Small field helpers for the Signals, Rules and Commands forms: the list item at an index of a
 * top-level array of the draft, a select and a number field that keep `data-path` and show the
 * validator's problems for their path (as TextField does).
 */
import { useId, useRef, type ReactNode } from 'react';
import { edit, type TwinDoc } from '../draft';
import { FieldProblems, useProblemsAt } from './fields';

export type Json = Record<string, unknown>;

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The item at `index` of the document's array `key`, made an object if it is not one (for a recipe). */
export function itemOf(doc: TwinDoc, key: string, index: number): Json {
  if (!Array.isArray(doc[key])) doc[key] = [];
  const list = doc[key] as unknown[];
  if (!isObject(list[index])) list[index] = {};
  return list[index] as Json;
}

/** Sets a field, or removes it when the text is empty (optional fields are absent, not ""). */
export function setOrDelete(item: Json, field: string, value: unknown): void {
  if (value === '' || value === undefined) delete item[field];
  else item[field] = value;
}

/**
 * A typed number, or the text itself when it is not one written plainly (the validator then names
 * the problem). "1." stays text while typing, so the field keeps showing what was typed.
 */
export function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) && String(n) === trimmed ? n : text;
}

export function SelectField({
  path,
  label,
  value,
  options,
  apply,
  undoLabel,
  testId,
}: {
  path: string;
  label: ReactNode;
  value: string;
  options: { value: string; label: string }[];
  apply: (doc: TwinDoc, value: string) => void;
  undoLabel: string;
  testId?: string;
}) {
  const id = useId();
  const problems = useProblemsAt(path);
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-path={path}
        data-testid={testId}
        value={value}
        aria-invalid={problems.length > 0}
        aria-describedby={problems.length ? `${id}-problems` : undefined}
        onChange={(e) => edit(undoLabel, (doc) => apply(doc, e.target.value))}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

export function CheckField({
  path,
  label,
  checked,
  apply,
  undoLabel,
}: {
  path: string;
  label: ReactNode;
  checked: boolean;
  apply: (doc: TwinDoc, value: boolean) => void;
  undoLabel: string;
}) {
  const id = useId();
  return (
    <div className="editor-field editor-check">
      <input
        id={id}
        type="checkbox"
        data-path={path}
        checked={checked}
        onChange={(e) => edit(undoLabel, (doc) => apply(doc, e.target.checked))}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A one-line text input whose edits are one undo step per visit (like TextField), for inline rows. */
export function InlineText({
  path,
  label,
  value,
  apply,
  undoLabel,
  testId,
}: {
  path: string;
  label: string;
  value: string;
  apply: (doc: TwinDoc, value: string) => void;
  undoLabel: string;
  testId?: string;
}) {
  const visits = useRef(0);
  const problems = useProblemsAt(path);
  return (
    <input
      aria-label={label}
      title={problems.map((p) => p.message).join('\n') || undefined}
      data-path={path}
      data-testid={testId}
      value={value}
      spellCheck={false}
      aria-invalid={problems.length > 0}
      onFocus={() => visits.current++}
      onChange={(e) => edit(undoLabel, (doc) => apply(doc, e.target.value), `${path}#${visits.current}`)}
    />
  );
}
