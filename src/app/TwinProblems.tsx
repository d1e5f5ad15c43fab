import type { TwinProblem } from '../twin/validate';

/** A bad twin document: every problem with its JSON path; nothing of the document is applied. */
export function TwinProblems({ id, problems }: { id: string; problems: TwinProblem[] }) {
  return (
    <main className="problems" role="alert" aria-labelledby="problems-title">
      <h1 id="problems-title">
        The twin “{id}” has {problems.length === 1 ? 'a problem' : `${problems.length} problems`}
      </h1>
      <p>
        Nothing of it was loaded. Fix <code>models/{id}/twin.json</code> (check it with{' '}
        <code>npm run twin -- validate models/{id}/twin.json</code>) and reload.
      </p>
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
