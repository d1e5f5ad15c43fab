import { useId, useState, type FormEvent } from 'react';
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
        <h1 id={`${id}-title`}>Sign in to {title}</h1>
        <p className="login-broker">Broker: {brokerUrl}</p>
        {error && (
          <p className="login-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor={`${id}-user`}>Username</label>
        <input
          id={`${id}-user`}
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit">Connect</button>
      </form>
    </main>
  );
}
