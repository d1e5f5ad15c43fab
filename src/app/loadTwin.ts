/** Fetches a twin document and validates it; a bad document becomes a list of problems, never a blank page. */
import { validateTwinText, type TwinProblem } from '../twin/validate';
import type { Twin } from '../twin/schema';
import { parseServerConfig, pickBroker, type BrokerChoice, type ServerConfig } from './brokerPolicy';

/** One entry of /twins/index.json (tools/vite-plugin-twins.ts). */
export interface TwinListing {
  /** The folder's name: `?twin=<id>` opens it. */
  id: string;
  title: string;
  description?: string;
  /** Whether the document passes the twin validator. */
  valid: boolean;
  /** How many problems the validator found; absent from an index written by an older server. */
  problems?: number;
  /** Where its twin.json is on the server (e.g. "models/pump-station/twin.json"). */
  path?: string;
}

export async function fetchTwinList(): Promise<TwinListing[]> {
  const res = await fetch('/twins/index.json');
  if (!res.ok) throw new Error(`could not list twins (HTTP ${res.status})`);
  return (await res.json()) as TwinListing[];
}

/** A twin that failed validation carries where its file is (`source`), so the page can name it. */
export type LoadResult =
  | { ok: true; twin: Twin }
  | { ok: false; problems: TwinProblem[]; source: string | null }
  | { ok: false; fatal: string };

/** Where the twin's file really is, from the server's index; null when the index does not say. */
export async function twinSource(id: string): Promise<string | null> {
  try {
    return (await fetchTwinList()).find((t) => t.id === id)?.path ?? null;
  } catch {
    // No index (a static host without one): the page names the file's URL instead.
    return null;
  }
}

export const twinFileUrl = (id: string) => `/twins/${encodeURIComponent(id)}/twin.json`;

export async function fetchTwin(id: string): Promise<LoadResult> {
  let res: Response;
  try {
    res = await fetch(twinFileUrl(id));
  } catch (err) {
    return { ok: false, fatal: `could not fetch the twin "${id}": ${String(err)}` };
  }
  if (res.status === 404)
    return {
      ok: false,
      fatal: `there is no twin "${id}" here: the server has no folder "${id}" with a twin.json (the start page lists the twins it has)`,
    };
  if (!res.ok) return { ok: false, fatal: `could not fetch the twin "${id}" (HTTP ${res.status})` };
  const result = validateTwinText(await res.text());
  // Only a twin with problems needs its path named; the index is not fetched for a good one.
  return result.ok ? result : { ...result, source: await twinSource(id) };
}

/** The server's run-time settings (/config.json); none at all (a static host without one) is no override. */
export async function fetchServerConfig(): Promise<ServerConfig> {
  try {
    const res = await fetch('/config.json');
    if (res.ok) return parseServerConfig(await res.json());
  } catch {
    // No server config (a static host): the twin's own URL stands.
  }
  return parseServerConfig(null);
}

/**
 * The broker to use: ?broker= in the page URL when the deployment allows it (src/app/brokerPolicy.ts),
 * else the server's configured override, else the twin's. A refused ?broker= comes back to be shown.
 */
export async function chooseBroker(twinUrl: string, params: URLSearchParams): Promise<BrokerChoice> {
  return pickBroker(twinUrl, params.get('broker'), await fetchServerConfig());
}

/** The broker URL alone (see chooseBroker). */
export async function chooseBrokerUrl(twinUrl: string, params: URLSearchParams): Promise<string> {
  return (await chooseBroker(twinUrl, params)).url;
}
