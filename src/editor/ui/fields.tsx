/**
 * Form fields shared by the editor's sections: each carries `data-path` (the validator's JSON path),
 * shows the validator's problems for its path as you type, and edits the draft with one undo step
 * per visit to the field (typing a word is one step, not one per key).
 */
import { useId, useRef, type ReactNode } from 'react';
import { edit, useDraft, type TwinDoc } from '../draft';
import type { TwinProblem } from '../../twin/validate';

const NO_PROBLEMS: TwinProblem[] = [];

/** The problems at `path` or below it ("$.connection" also shows "$.connection.url"'s). */
export function useProblemsAt(path: string): TwinProblem[] {
  const problems = useDraft((s) => s.problems);
  const at = problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
  return at.length ? at : NO_PROBLEMS;
}

export function FieldProblems({ id, problems }: { id: string; problems: TwinProblem[] }) {
  if (!problems.length) return null;
  return (
    <ul className="editor-field-problems" id={id}>
      {problems.map((p) => (
        <li key={`${p.path}\n${p.message}`}>{p.message}</li>
      ))}
    </ul>
  );
}

interface TextFieldProps {
  path: string;
  label: ReactNode;
  value: string;
  /** Writes the typed text into the copy of the document (an empty string may mean "remove"). */
  apply: (doc: TwinDoc, value: string) => void;
  /** Undo step label. */
  undoLabel: string;
  hint?: ReactNode;
  multiline?: boolean;
  testId?: string;
  placeholder?: string;
  type?: 'text' | 'url';
}

export function TextField({
  path,
  label,
  value,
  apply,
  undoLabel,
  hint,
  multiline,
  testId,
  placeholder,
  type = 'text',
}: TextFieldProps) {
  const id = useId();
  const visits = useRef(0);
  const problems = useProblemsAt(path);
  const onChange = (text: string) => edit(undoLabel, (doc) => apply(doc, text), `${path}#${visits.current}`);
  const common = {
    id,
    'data-path': path,
    'data-testid': testId,
    value,
    placeholder,
    'aria-invalid': problems.length > 0,
    'aria-describedby': problems.length ? `${id}-problems` : hint ? `${id}-hint` : undefined,
    onFocus: () => {
      visits.current++;
    },
  };
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && !problems.length ? (
        <p className="editor-field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
