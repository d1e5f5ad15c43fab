/** The validator's problems of the draft, with their JSON paths; a click or Enter focuses the field. */
import { useTranslation } from 'react-i18next';
import { focusField, useDraft } from '../draft';

export function ProblemsList() {
  const { t } = useTranslation('editor');
  const problems = useDraft((s) => s.problems);
  return (
    <section className="editor-problems" data-testid="editor-problems" aria-labelledby="editor-problems-title">
      <h2 id="editor-problems-title">
        {t('problems.title')} <span className={problems.length ? 'count unacked' : 'count'}>{problems.length}</span>
      </h2>
      {problems.length === 0 ? (
        <p className="empty">{t('problems.none')}</p>
      ) : (
        <ul>
          {problems.map((p) => (
            <li key={`${p.path}\n${p.message}`}>
              {/* A button: Enter and Space work, and it is in the tab order. */}
              <button
                type="button"
                className="editor-problem"
                data-problem-path={p.path}
                onClick={() => focusField(p.path)}
              >
                <code className="json-path">{p.path}</code> <span>{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
