/** Twin & broker: title, id (the folder name), description, broker URL with its test, credential mode. */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, useDraft, type TwinDoc } from '../draft';
import { testBroker, type BrokerTestResult } from '../brokerTest';
import { FieldProblems, TextField, useProblemsAt } from './fields';
import { parseSubscriptions, signalFilters, subscriptionsText } from '../subscriptions';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function connectionOf(doc: TwinDoc): Record<string, unknown> {
  if (typeof doc.connection !== 'object' || doc.connection === null || Array.isArray(doc.connection))
    doc.connection = {};
  return doc.connection as Record<string, unknown>;
}

export function TwinSection() {
  const { t } = useTranslation('editor');
  const doc = useDraft((s) => s.doc);
  const folder = useDraft((s) => s.folder);
  const connection = (typeof doc.connection === 'object' && doc.connection ? doc.connection : {}) as Record<
    string,
    unknown
  >;
  const url = str(connection.url);
  const credentials = str(connection.credentials) || 'none';
  const credentialsId = useId();
  const credentialProblems = useProblemsAt('$.connection.credentials');

  return (
    <div className="editor-form">
      <TextField
        path="$.title"
        label={t('twin.titleLabel')}
        value={str(doc.title)}
        undoLabel={t('twin.titleLabel')}
        apply={(d, v) => {
          d.title = v;
        }}
      />
      <TextField
        path="$.id"
        label={t('twin.idLabel')}
        value={str(doc.id)}
        undoLabel={t('twin.idLabel')}
        hint={folder ? t('twin.idHintFolder', { folder }) : t('twin.idHint')}
        apply={(d, v) => {
          d.id = v;
        }}
      />
      <TextField
        path="$.description"
        label={t('twin.descriptionLabel')}
        value={str(doc.description)}
        multiline
        undoLabel={t('twin.descriptionLabel')}
        apply={(d, v) => {
          if (v) d.description = v;
          else delete d.description;
        }}
      />
      <TextField
        path="$.connection.url"
        label={t('twin.brokerLabel')}
        value={url}
        type="url"
        testId="editor-broker-url"
        placeholder="ws://127.0.0.1:9001"
        undoLabel={t('twin.brokerLabel')}
        apply={(d, v) => {
          connectionOf(d).url = v.trim();
        }}
      />
      <BrokerTest url={url} needsCredentials={credentials !== 'none'} />
      <SubscriptionsField subscribe={connection.subscribe} signals={doc.signals} />
      <div className="editor-field">
        <label htmlFor={credentialsId}>{t('twin.credentialsLabel')}</label>
        <select
          id={credentialsId}
          data-path="$.connection.credentials"
          value={credentials}
          aria-invalid={credentialProblems.length > 0}
          onChange={(e) => {
            const value = e.target.value;
            edit(t('twin.credentialsLabel'), (d) => {
              const c = connectionOf(d);
              if (value === 'none') delete c.credentials;
              else c.credentials = value;
            });
          }}
        >
          <option value="none">{t('twin.credentialsNone')}</option>
          <option value="prompt">{t('twin.credentialsPrompt')}</option>
          <option value="host">{t('twin.credentialsHost')}</option>
        </select>
        <p className="editor-field-hint">{t('twin.credentialsHint')}</p>
        <FieldProblems id={`${credentialsId}-problems`} problems={credentialProblems} />
      </div>
    </div>
  );
}

function BrokerTest({ url, needsCredentials }: { url: string; needsCredentials: boolean }) {
  const { t } = useTranslation('editor');
  const [state, setState] = useState<{ running: true } | { running: false; result: BrokerTestResult } | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userId = useId();
  const passId = useId();

  const run = async () => {
    setState({ running: true });
    // mqtt.js loads with the first test, not with the editor page.
    const mqtt = (await import('mqtt')).default;
    const result = await testBroker(url, mqtt.connect, { username, password });
    setState({ running: false, result });
  };

  let text = '';
  if (state?.running) text = t('twin.testing');
  else if (state && state.result.ok) text = t('twin.connected');
  else if (state && !state.result.ok)
    text = t(`twin.testFailed.${state.result.reason}`, { detail: state.result.detail ?? '' });

  return (
    <div className="editor-broker-test">
      {needsCredentials ? (
        <div className="editor-test-credentials">
          <p className="editor-field-hint">{t('twin.testCredentialsHint')}</p>
          <label htmlFor={userId}>{t('twin.username')}</label>
          <input id={userId} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
          <label htmlFor={passId}>{t('twin.password')}</label>
          <input
            id={passId}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
      ) : null}
      <button
        type="button"
        data-testid="editor-broker-test"
        disabled={state?.running === true}
        onClick={() => void run()}
      >
        {t('twin.test')}
      </button>{' '}
      <span
        data-testid="editor-broker-state"
        role="status"
        className={state && !state.running ? (state.result.ok ? 'editor-ok' : 'editor-bad') : undefined}
      >
        {text}
      </span>
    </div>
  );
}

/** Topic filters, one a line; the text is the user's while they type (a trailing new line stays). */
function SubscriptionsField({ subscribe, signals }: { subscribe: unknown; signals: unknown }) {
  const { t } = useTranslation('editor');
  const id = useId();
  const problems = useProblemsAt('$.connection.subscribe');
  const fromDoc = subscriptionsText(subscribe);
  const [typing, setTyping] = useState<string | null>(null);
  const visits = useRef(0);
  const own = signalFilters(signals);
  const narrowed = own.length > 0 && fromDoc === own.join('\n');
  return (
    <div className="editor-field">
      <label htmlFor={id}>{t('twin.subscribeLabel')}</label>
      <textarea
        id={id}
        data-path="$.connection.subscribe"
        data-testid="editor-subscribe"
        rows={2}
        spellCheck={false}
        value={typing ?? fromDoc}
        aria-invalid={problems.length > 0}
        aria-describedby={problems.length ? `${id}-problems` : `${id}-hint`}
        onFocus={() => {
          visits.current++;
          setTyping(fromDoc);
        }}
        onBlur={() => setTyping(null)}
        onChange={(e) => {
          const text = e.target.value;
          setTyping(text);
          edit(
            t('twin.subscribeLabel'),
            (d) => {
              connectionOf(d).subscribe = parseSubscriptions(text);
            },
            `$.connection.subscribe#${visits.current}`,
          );
        }}
      />
      {problems.length ? null : (
        <p className="editor-field-hint" id={`${id}-hint`}>
          {t('twin.subscribeHint')}
        </p>
      )}
      <FieldProblems id={`${id}-problems`} problems={problems} />
      <div>
        <button
          type="button"
          data-testid="editor-subscribe-signals"
          disabled={own.length === 0 || narrowed}
          onClick={() =>
            edit(t('twin.subscribeSignals'), (d) => {
              connectionOf(d).subscribe = own;
            })
          }
        >
          {t('twin.subscribeSignals')}
        </button>
      </div>
    </div>
  );
}
