/**
 * Which broker a page may connect to. `?broker=` in a link is only honoured for brokers the deployment
 * allows (the served config.json: `brokerUrl` and the `brokers` list, or the twin's own
 * `connection.url`), so a crafted link cannot show a look-alike broker's fake plant as "Online".
 * Pure: no fetch, no DOM.
 */

/** The run-time settings the server hands the page (/config.json). */
export interface ServerConfig {
  /** A broker that overrides every twin's connection.url; null when the twins' own stand. */
  brokerUrl: string | null;
  /** More brokers a link may choose with ?broker=; entries may use `*` for any run of host or port characters. */
  brokers: string[];
}

export interface BrokerChoice {
  /** The broker the page connects to. */
  url: string;
  /** The ?broker= value that was refused, as given (shown as text); null when none was refused. */
  refused: string | null;
}

/** Reads a config.json body leniently: unknown or mistyped fields are ignored, never fatal. */
export function parseServerConfig(body: unknown): ServerConfig {
  const o = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const brokerUrl = typeof o.brokerUrl === 'string' && o.brokerUrl ? o.brokerUrl : null;
  const brokers = Array.isArray(o.brokers) ? o.brokers.filter((b): b is string => typeof b === 'string' && !!b) : [];
  return { brokerUrl, brokers };
}

/**
 * A ws:/wss: URL in one spelling (lower-case scheme and host, no default "/" path), so that
 * "WS://Host:9001/" and "ws://host:9001" are one broker; null for anything else, and for a URL with a
 * user name or password in it (credentials never travel in a link).
 */
export function normaliseBrokerUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return null;
  if (u.username || u.password || u.hash) return null;
  const path = u.pathname === '/' ? '' : u.pathname;
  return `${u.protocol}//${u.host}${path}${u.search}`;
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether a broker URL matches one allowlist entry; `*` matches within the host or port, never across "/". */
export function matchesBrokerEntry(url: string, entry: string): boolean {
  const candidate = normaliseBrokerUrl(url);
  if (candidate === null) return false;
  if (!entry.includes('*')) return normaliseBrokerUrl(entry) === candidate;
  // A pattern cannot go through URL (its "*" port would not parse): tidy it by hand the same way.
  const [, scheme = '', rest = ''] = /^([a-z]+):\/\/(.*)$/i.exec(entry.trim()) ?? [];
  if (scheme.toLowerCase() !== 'ws' && scheme.toLowerCase() !== 'wss') return false;
  const slash = rest.indexOf('/');
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = slash < 0 || rest.slice(slash) === '/' ? '' : rest.slice(slash);
  const pattern = `${scheme.toLowerCase()}://${host}${path}`;
  const re = new RegExp(`^${pattern.split('*').map(escape).join('[^/?#]*')}$`);
  return re.test(candidate);
}

/** The brokers a link may choose: the server's override, its list, and the twin's own. */
export function allowedBrokers(twinUrl: string, config: ServerConfig): string[] {
  return [...(config.brokerUrl ? [config.brokerUrl] : []), ...config.brokers, twinUrl];
}

/**
 * The broker to use: `?broker=` when the deployment allows it, else the server's override, else the
 * twin's own. A refused `?broker=` is reported so the page can say so rather than silently differ.
 */
export function pickBroker(twinUrl: string, fromPage: string | null, config: ServerConfig): BrokerChoice {
  const fallback = config.brokerUrl ?? twinUrl;
  if (fromPage === null || fromPage === '') return { url: fallback, refused: null };
  const ok = allowedBrokers(twinUrl, config).some((entry) => matchesBrokerEntry(fromPage, entry));
  return ok ? { url: fromPage, refused: null } : { url: fallback, refused: fromPage };
}
