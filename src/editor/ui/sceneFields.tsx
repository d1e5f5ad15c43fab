/** Number inputs of the scene sections: typed text is kept while it is not yet a number ("-", "1."). */
import { useEffect, useId, useRef, useState } from 'react';
import { edit, type TwinDoc } from '../draft';
import { useProblemsAt } from './fields';

export function NumberInput({
  path,
  label,
  value,
  apply,
  undoLabel,
  step,
  testId,
}: {
  path: string;
  label: string;
  value: number | undefined;
  apply: (doc: TwinDoc, value: number) => void;
  undoLabel: string;
  step?: number;
  testId?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const visits = useRef(0);
  const problems = useProblemsAt(path);
  // Follow the document (undo, a gizmo drag) unless the text already means that number.
  useEffect(() => {
    setText((old) =>
      value !== undefined && Number(old) === value && old.trim() !== ''
        ? old
        : value === undefined
          ? ''
          : String(value),
    );
  }, [value]);
  return (
    <span className="editor-number">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-path={path}
        data-testid={testId}
        type="number"
        step={step ?? 'any'}
        value={text}
        aria-invalid={problems.length > 0}
        title={problems.map((p) => p.message).join('\n') || undefined}
        onFocus={() => visits.current++}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.valueAsNumber;
          // One undo step per visit to the field, not one per key.
          if (Number.isFinite(n)) edit(undoLabel, (doc) => apply(doc, n), `${path}#${visits.current}`);
        }}
      />
    </span>
  );
}
