import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Credentials } from '../engine/protocol';

/**
 * Asks for the broker's username and password before connecting (`"credentials": "prompt"`). A plain
 * form: labelled fields, Enter submits, focus starts in the first field, errors are announced. The
 * credentials go to the engine worker only; they are not stored, logged or put in the URL.
 */
export function LoginPrompt({
  title,
  brokerUrl,
  error,
  onSubmit,
}: {
  title: string;
  brokerUrl: string;
  /** Why the last attempt failed (the broker's reason), if it did. */
  error?: string | null;
  onSubmit(credentials: Credentials): void;
}) {
  const { t } = useTranslation('operator');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ username, password });
    setPassword('');
  };
  return (
    <main className="login">
      <form className="login-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="login">
        <h1 id={`${id}-title`}>{t('login.title', { title })}</h1>
        <p className="login-broker">{t('login.broker', { url: brokerUrl })}</p>
        {error && (
          <p className="login-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor={`${id}-user`}>{t('login.username')}</label>
        <input
          id={`${id}-user`}
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>{t('login.password')}</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit">{t('login.connect')}</button>
      </form>
    </main>
  );
}
