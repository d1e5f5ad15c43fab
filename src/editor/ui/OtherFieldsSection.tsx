/**
 * The twin's fields without a form of their own (value panels, HTTP sources, the kiosk, the embed),
 * as JSON text, so a twin that has them can be edited and fixed here too: each is validated by the
 * twin validator like the rest, and a problem below one of them focuses its text.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, useDraft } from '../draft';
import { FieldProblems, useProblemsAt } from './fields';

export const OTHER_FIELDS = ['panels', 'sources', 'kiosk', 'embed'] as const;
type Other = (typeof OTHER_FIELDS)[number];

export function OtherFieldsSection() {
  const { t } = useTranslation('editor');
  return (
    <div className="editor-form">
      <p className="editor-field-hint">{t('other.hint')}</p>
      {OTHER_FIELDS.map((f) => (
        <JsonField key={f} field={f} />
      ))}
    </div>
  );
}

const asText = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

function JsonField({ field }: { field: Other }) {
  const { t } = useTranslation('editor');
  const id = useId();
  const path = `$.${field}`;
  const value = useDraft((s) => s.doc[field]);
  const problems = useProblemsAt(path);
  // While typing the text is the user's (it may not be JSON yet); the document gets each text that parses.
  const [typing, setTyping] = useState<string | null>(null);
  const [syntax, setSyntax] = useState<string | null>(null);
  const visits = useRef(0);
  const onChange = (text: string) => {
    setTyping(text);
    let parsed: unknown;
    if (text.trim() === '') parsed = undefined;
    else
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        setSyntax(err instanceof Error ? err.message : String(err));
        return;
      }
    setSyntax(null);
    edit(
      t(`other.${field}`),
      (doc) => {
        if (parsed === undefined) delete doc[field];
        else doc[field] = parsed;
      },
      `${path}#${visits.current}`,
    );
  };
  const invalid = syntax !== null || problems.length > 0;
  return (
    <div className="editor-field">
      <label htmlFor={id}>
        {t(`other.${field}`)} <code>{field}</code>
      </label>
      <textarea
        id={id}
        data-path={path}
        className="editor-json"
        rows={3}
        spellCheck={false}
        placeholder={field === 'kiosk' || field === 'embed' ? '{}' : '[]'}
        value={typing ?? asText(value)}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-problems` : undefined}
        onFocus={() => {
          visits.current++;
          setTyping(asText(value));
        }}
        onBlur={() => {
          // Text that is not JSON stays on screen until it is fixed; JSON is shown as the document has it.
          if (syntax === null) setTyping(null);
        }}
        onChange={(e) => onChange(e.target.value)}
      />
      {syntax !== null ? (
        <ul className="editor-field-problems" id={`${id}-problems`}>
          <li>{t('other.notJson', { message: syntax })}</li>
        </ul>
      ) : (
        <FieldProblems id={`${id}-problems`} problems={problems} />
      )}
    </div>
  );
}
