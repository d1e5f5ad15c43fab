/**
 * Credentials handed over by the page that embeds the dashboard (`"credentials": "host"`): the host
 * posts `{ type: 'twinview:credentials', username, password }` to the iframe. Only origins on the
 * allowlist (`?hostOrigin=https://portal.example`, several separated by commas) are listened to;
 * anything else is ignored, so a page that frames the dashboard without permission learns nothing
 * and cannot inject credentials. Pure functions plus one listener; no credentials are stored.
 */
import type { Credentials } from '../engine/protocol';

export const CREDENTIALS_MESSAGE = 'twinview:credentials';
export const CREDENTIALS_NEEDED = 'twinview:credentials-needed';

/** The allowed host origins from the page URL: exact origins such as "https://portal.example:8443". */
export function allowedHostOrigins(params: URLSearchParams): string[] {
  const out: string[] = [];
  for (const raw of params.getAll('hostOrigin').flatMap((v) => v.split(','))) {
    try {
      const url = new URL(raw.trim());
      // Only the origin counts; a path or a wildcard is not an origin and is ignored.
      if ((url.protocol === 'https:' || url.protocol === 'http:') && raw.trim().replace(/\/$/, '') === url.origin)
        out.push(url.origin);
    } catch {
      // Not a URL: ignored.
    }
  }
  return out;
}

/** The credentials in a message event, when it comes from an allowed origin and has the right shape. */
export function credentialsFromMessage(
  event: { origin: string; data: unknown },
  allowed: readonly string[],
): Credentials | null {
  if (!allowed.includes(event.origin)) return null;
  const data = event.data as { type?: unknown; username?: unknown; password?: unknown } | null;
  if (data === null || typeof data !== 'object' || data.type !== CREDENTIALS_MESSAGE) return null;
  if (typeof data.username !== 'string' || typeof data.password !== 'string') return null;
  return { username: data.username, password: data.password };
}

/**
 * Waits for the host's credentials. Tells each allowed host that they are needed (never with a
 * "*" target, so nothing goes to a page that is not on the list). Returns the stop function.
 */
export function listenForHostCredentials(
  allowed: readonly string[],
  onCredentials: (credentials: Credentials) => void,
  win: Window = window,
): () => void {
  let ignored = 0;
  const listener = (event: MessageEvent) => {
    const credentials = credentialsFromMessage(event, allowed);
    if (credentials) onCredentials(credentials);
    else if (
      !allowed.includes(event.origin) &&
      (event.data as { type?: unknown } | null)?.type === CREDENTIALS_MESSAGE
    ) {
      // Counted where diagnostics and tests can see it: a page off the list tried to sign in.
      win.document.documentElement.dataset.hostCredentialsIgnored = String(++ignored);
    }
  };
  win.addEventListener('message', listener);
  if (win.parent !== win) for (const origin of allowed) win.parent.postMessage({ type: CREDENTIALS_NEEDED }, origin);
  return () => win.removeEventListener('message', listener);
}
