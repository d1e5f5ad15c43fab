/** Fetches a twin document and validates it; a bad document becomes a list of problems, never a blank page. */
import { validateTwinText, type TwinResult } from '../twin/validate';

export interface TwinListing {
  id: string;
  title: string;
  description?: string;
  valid: boolean;
}

export async function fetchTwinList(): Promise<TwinListing[]> {
  const res = await fetch('/twins/index.json');
  if (!res.ok) throw new Error(`could not list twins (HTTP ${res.status})`);
  return (await res.json()) as TwinListing[];
}

export type LoadResult = TwinResult | { ok: false; fatal: string };

export async function fetchTwin(id: string): Promise<LoadResult> {
  let res: Response;
  try {
    res = await fetch(`/twins/${encodeURIComponent(id)}/twin.json`);
  } catch (err) {
    return { ok: false, fatal: `could not fetch the twin "${id}": ${String(err)}` };
  }
  if (res.status === 404) return { ok: false, fatal: `there is no twin "${id}" (models/${id}/twin.json)` };
  if (!res.ok) return { ok: false, fatal: `could not fetch the twin "${id}" (HTTP ${res.status})` };
  return validateTwinText(await res.text());
}

/** The broker to use: ?broker= in the page URL, else the server's configured override, else the twin's. */
export async function chooseBrokerUrl(twinUrl: string, params: URLSearchParams): Promise<string> {
  const fromPage = params.get('broker');
  if (fromPage && /^wss?:\/\//.test(fromPage)) return fromPage;
  try {
    const res = await fetch('/config.json');
    if (res.ok) {
      const config = (await res.json()) as { brokerUrl?: string | null };
      if (config.brokerUrl) return config.brokerUrl;
    }
  } catch {
    // No server config (a static host): the twin's own URL stands.
  }
  return twinUrl;
}
