import { useEffect } from 'react';
import { useApp } from '../store/app';
import { chooseBrokerUrl, fetchTwin } from './loadTwin';
import { startSession } from './session';
import { TwinProblems } from './TwinProblems';
import { Dashboard } from './Dashboard';

/** Loads, validates and connects one twin; shows its problems instead of a blank page. */
export function TwinPage({ id, params }: { id: string; params: URLSearchParams }) {
  const load = useApp((s) => s.load);

  useEffect(() => {
    let cancelled = false;
    let stop: (() => void) | null = null;
    useApp.setState({ load: { state: 'loading', id } });
    void (async () => {
      const result = await fetchTwin(id);
      if (cancelled) return;
      if (!result.ok) {
        useApp.setState({
          load:
            'fatal' in result
              ? { state: 'failed', id, message: result.fatal }
              : { state: 'invalid', id, problems: result.problems },
        });
        return;
      }
      const brokerUrl = await chooseBrokerUrl(result.twin.connection.url, params);
      if (cancelled) return;
      document.title = `${result.twin.title} · Twinview`;
      useApp.setState({ load: { state: 'ready', id, twin: result.twin, brokerUrl } });
      stop = startSession(result.twin, brokerUrl).stop;
    })();
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [id, params]);

  switch (load.state) {
    case 'idle':
    case 'loading':
      return <p className="center">Loading twin “{id}”…</p>;
    case 'invalid':
      return <TwinProblems id={id} problems={load.problems} />;
    case 'failed':
      return (
        <main className="problems" role="alert">
          <h1>Could not open “{id}”</h1>
          <p>{load.message}</p>
          <a href="./">← All twins</a>
        </main>
      );
    case 'ready':
      return <Dashboard twin={load.twin} brokerUrl={load.brokerUrl} />;
  }
}
