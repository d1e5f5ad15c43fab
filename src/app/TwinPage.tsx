import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import { useApp } from '../store/app';
import { chooseBroker, fetchTwin } from './loadTwin';
import { BrokerRefused } from './BrokerRefused';
import { startSession } from './session';
import { TwinProblems } from './TwinProblems';
import { Dashboard } from './Dashboard';
import { LoginPrompt } from '../panels/LoginPrompt';
import { allowedHostOrigins, listenForHostCredentials } from './hostCredentials';
import type { Credentials } from '../engine/protocol';

/** Loads, validates and connects one twin; shows its problems instead of a blank page. */
export function TwinPage({ id, params }: { id: string; params: URLSearchParams }) {
  const { t } = useTranslation('start');
  const load = useApp((s) => s.load);
  const connection = useApp((s) => s.connection);
  // Credentials: asked for (prompt) or awaited from the host page, before connecting.
  const [auth, setAuth] = useState<{ mode: 'prompt' | 'host'; error: string | null } | null>(null);
  const session = useRef<{ stop(): void } | null>(null);
  // Where the invalid twin's file is, to name it in its problems.
  const [source, setSource] = useState<string | null>(null);
  // A ?broker= the deployment does not allow (src/app/brokerPolicy.ts): said on the page.
  const [refusedBroker, setRefusedBroker] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let stopListening: (() => void) | null = null;
    const stop = () => {
      session.current?.stop();
      session.current = null;
    };
    useApp.setState({ load: { state: 'loading', id } });
    void (async () => {
      const result = await fetchTwin(id);
      if (cancelled) return;
      if (!result.ok) {
        setSource('source' in result ? result.source : null);
        useApp.setState({
          load:
            'fatal' in result
              ? { state: 'failed', id, message: result.fatal }
              : { state: 'invalid', id, problems: result.problems },
        });
        return;
      }
      const { url: brokerUrl, refused } = await chooseBroker(result.twin.connection.url, params);
      if (cancelled) return;
      setRefusedBroker(refused);
      document.title = `${result.twin.title} · Twinview`;
      useApp.setState({ load: { state: 'ready', id, twin: result.twin, brokerUrl } });
      const mode = result.twin.connection.credentials;
      if (mode === 'none') session.current = startSession(result.twin, brokerUrl);
      else if (mode === 'prompt') setAuth({ mode, error: null });
      else {
        const allowed = allowedHostOrigins(params);
        setAuth({
          mode,
          error: allowed.length ? null : i18next.t('start:noHostAllowed'),
        });
        stopListening = listenForHostCredentials(allowed, (credentials) => {
          stopListening?.();
          setAuth(null);
          stop();
          session.current = startSession(result.twin, brokerUrl, credentials);
        });
      }
    })();
    return () => {
      cancelled = true;
      stopListening?.();
      setAuth(null);
      stop();
    };
  }, [id, params]);

  // The broker refused the credentials: ask again, saying why.
  const refused = connection?.state === 'offline' && connection.reason !== 'stopped' ? connection.reason : null;
  useEffect(() => {
    if (refused === null || load.state !== 'ready' || load.twin.connection.credentials !== 'prompt') return;
    if (!session.current) return;
    session.current.stop();
    session.current = null;
    setAuth({ mode: 'prompt', error: refused });
  }, [refused, load]);

  const connectWith = (credentials: Credentials) => {
    if (load.state !== 'ready') return;
    session.current?.stop();
    setAuth(null);
    session.current = startSession(load.twin, load.brokerUrl, credentials);
  };

  if (load.state === 'ready' && auth?.mode === 'prompt')
    return <LoginPrompt title={load.twin.title} brokerUrl={load.brokerUrl} error={auth.error} onSubmit={connectWith} />;
  if (load.state === 'ready' && auth?.mode === 'host')
    return (
      <main className="center" role="status" data-testid="waiting-for-host">
        {auth.error ?? t('waitingForHost')}
      </main>
    );

  switch (load.state) {
    case 'idle':
    case 'loading':
      return <p className="center">{t('loadingTwin', { id })}</p>;
    case 'invalid':
      return <TwinProblems id={id} source={source} problems={load.problems} />;
    case 'failed':
      return (
        <main className="problems" role="alert">
          <h1>{t('couldNotOpen', { id })}</h1>
          <p>{load.message}</p>
          <a href="./">{t('common:backToAllTwins')}</a>
        </main>
      );
    case 'ready':
      return (
        <>
          {refusedBroker !== null && <BrokerRefused refused={refusedBroker} using={load.brokerUrl} />}
          <Dashboard twin={load.twin} brokerUrl={load.brokerUrl} />
        </>
      );
  }
}
