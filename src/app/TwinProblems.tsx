import { Trans, useTranslation } from 'react-i18next';
import type { TwinProblem } from '../twin/validate';
import { shellArg } from './shellArg';

/**
 * A bad twin document: every problem with its JSON path; nothing of the document is applied. `source`
 * is where its file really is (from the server's index, e.g. "e2e/twins/<folder>/twin.json"); null when
 * the server did not say, and then its URL is named instead.
 */
export function TwinProblems({ id, source, problems }: { id: string; source: string | null; problems: TwinProblem[] }) {
  const { t } = useTranslation('problems');
  return (
    <main className="problems" role="alert" aria-labelledby="problems-title">
      <h1 id="problems-title">{t('twinHas', { id, count: problems.length })}</h1>
      {source !== null ? (
        <p>
          {t('nothingLoaded')}{' '}
          <Trans
            t={t}
            i18nKey="fixSource"
            components={[
              <code key="source" data-testid="twin-source">
                {source}
              </code>,
              <code key="command">npm run twin -- validate {shellArg(source)}</code>,
            ]}
          />
        </p>
      ) : (
        <p>
          {t('nothingLoaded')}{' '}
          <Trans
            t={t}
            i18nKey="fixServed"
            components={[
              <code key="file" />,
              <code key="url" data-testid="twin-source">
                /twins/{encodeURIComponent(id)}/twin.json
              </code>,
            ]}
          />
        </p>
      )}
      <ul className="problem-list">
        {problems.map((p, i) => (
          <li key={i}>
            <code className="json-path">{p.path}</code> <span>{p.message}</span>
          </li>
        ))}
      </ul>
      <p>
        <a href="./">{t('common:backToAllTwins')}</a>
      </p>
    </main>
  );
}
