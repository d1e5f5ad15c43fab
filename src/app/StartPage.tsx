import { useEffect, useState } from 'react';
import { fetchTwinList, type TwinListing } from './loadTwin';

/** "2 problems": says an invalid twin is invalid before it is opened (older indexes give no count). */
const problemsBadge = (n: number | undefined) =>
  n === undefined || n === 0 ? 'has errors' : n === 1 ? '1 problem' : `${n} problems`;

/**
 * Lists every twin the server has (each folder with a twin.json in its twin folders), marking the ones
 * the validator refuses.
 */
export function StartPage() {
  const [twins, setTwins] = useState<TwinListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchTwinList().then(setTwins, (e: unknown) => setError(String(e)));
  }, []);
  return (
    <main className="start">
      <h1>Twinview</h1>
      <p className="lead">Live 3D digital twins. Choose a site:</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {twins === null && !error && <p>Loading the list of twins…</p>}
      {twins?.length === 0 && <p>No twins found. Add one as models/&lt;twin&gt;/twin.json.</p>}
      <ul className="twin-list">
        {twins?.map((t) => (
          <li key={t.id} data-twin={t.id} data-valid={t.valid}>
            <a href={`?twin=${encodeURIComponent(t.id)}`} title={t.path}>
              <strong>{t.title}</strong>
              <code>{t.id}</code>
              {!t.valid && <span className="badge bad">{problemsBadge(t.problems)}</span>}
              {t.description && <span className="desc">{t.description}</span>}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
