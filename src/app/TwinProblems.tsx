import type { TwinProblem } from '../twin/validate';
import { shellArg } from './shellArg';

/**
 * A bad twin document: every problem with its JSON path; nothing of the document is applied. `source`
 * is where its file really is (from the server's index, e.g. "e2e/twins/<folder>/twin.json"); null when
 * the server did not say, and then its URL is named instead.
 */
export function TwinProblems({ id, source, problems }: { id: string; source: string | null; problems: TwinProblem[] }) {
  return (
    <main className="problems" role="alert" aria-labelledby="problems-title">
      <h1 id="problems-title">
        The twin “{id}” has {problems.length === 1 ? 'a problem' : `${problems.length} problems`}
      </h1>
      {source !== null ? (
        <p>
          Nothing of it was loaded. Fix <code data-testid="twin-source">{source}</code> (check it with{' '}
          <code>npm run twin -- validate {shellArg(source)}</code>) and reload.
        </p>
      ) : (
        <p>
          Nothing of it was loaded. Fix its <code>twin.json</code> (served as{' '}
          <code data-testid="twin-source">/twins/{encodeURIComponent(id)}/twin.json</code>) and reload.
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
        <a href="./">← All twins</a>
      </p>
    </main>
  );
}
