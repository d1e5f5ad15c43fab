import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { fetchTwinList, type TwinListing } from './loadTwin';

/** "2 problems": says an invalid twin is invalid before it is opened (older indexes give no count). */
const problemsBadge = (n: number | undefined, t: TFunction) =>
  n === undefined || n === 0 ? t('hasErrors') : t('problems', { count: n });

/**
 * Lists every twin the server has (each folder with a twin.json in its twin folders), marking the ones
 * the validator refuses.
 */
export function StartPage() {
  const { t } = useTranslation('start');
  const [twins, setTwins] = useState<TwinListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchTwinList().then(setTwins, (e: unknown) => setError(String(e)));
  }, []);
  return (
    <main className="start">
      <h1>Twinview</h1>
      <p className="lead">{t('lead')}</p>
      <p>
        <a href="?mode=edit" data-testid="new-twin">
          {t('newTwinLink')}
        </a>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {twins === null && !error && <p>{t('loadingList')}</p>}
      {twins?.length === 0 && <p>{t('noTwins')}</p>}
      <ul className="twin-list">
        {twins?.map((twin) => (
          <li key={twin.id} data-twin={twin.id} data-valid={twin.valid}>
            <a href={`?twin=${encodeURIComponent(twin.id)}`} title={twin.path}>
              <strong>{twin.title}</strong>
              <code>{twin.id}</code>
              {!twin.valid && <span className="badge bad">{problemsBadge(twin.problems, t)}</span>}
              {twin.description && <span className="desc">{twin.description}</span>}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
