/**
 * Registers the kiosk's service worker (public/sw.js, docs/kiosk.md): only for `?mode=kiosk`, only in
 * the built app (the Vite dev server's modules are not worth caching and would go stale), and only
 * in a secure context (https, or localhost / 127.0.0.1), which browsers require anyway. Other screens
 * register nothing: Playwright's page.route cannot see what a service worker answers, and an operator's
 * page should always show what the server has.
 */
import { screenMode } from '../engine/commands';

export interface ServiceWorkerEnv {
  search: string;
  secure: boolean;
  supported: boolean;
  /** The built app (import.meta.env.PROD), not the dev server. */
  production: boolean;
}

export function shouldRegister(env: ServiceWorkerEnv): boolean {
  return screenMode(env.search) === 'kiosk' && env.secure && env.supported && env.production;
}

/**
 * The worker's URL for this build: `sw.js?v=<the entry chunk's hashed name>`. Each build changes the
 * name, so the browser installs the new worker, whose activation drops the older builds' caches.
 */
export function serviceWorkerUrl(base: string, moduleUrl: string): string {
  const file = moduleUrl.split(/[?#]/)[0].split('/').pop() ?? '';
  const build = file.replace(/\.m?js$/, '') || 'unversioned';
  return `${base}sw.js?v=${encodeURIComponent(build)}`;
}

/** Same-origin URLs among `urls` (the page's own resource timing entries), without duplicates. */
export function sameOriginUrls(urls: readonly string[], origin: string): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    try {
      const url = new URL(u);
      if (url.origin === origin && (url.protocol === 'http:' || url.protocol === 'https:')) out.add(url.href);
    } catch {
      // not a URL: skip
    }
  }
  return [...out];
}

/** The fields of a resource timing entry that say whether this page's service worker saw the request. */
export interface ResourceEntryTimes {
  name: string;
  startTime: number;
  workerStart: number;
}

/**
 * The URLs among `entries` that went around the service worker, so it has not cached them: those
 * started before it took control (at `controlledAt`), and any other with no `workerStart`. Chromium's
 * engine worker script can be fetched around a worker that already controls the page, and then its
 * entry's startTime is later than `controlledAt` (its duration even negative): by time alone it was
 * missed, and a kiosk reloaded during an outage came back without its engine.
 */
export function urlsAroundWorker(entries: readonly ResourceEntryTimes[], controlledAt: number): string[] {
  return entries.filter((e) => e.startTime < controlledAt || e.workerStart === 0).map((e) => e.name);
}

/**
 * Registers the worker when this page should have one. A first load, or the first load of a new
 * build, came before this build's worker took control (the older build's worker, if any, cached into
 * a cache the new one drops), so the page hands it what it fetched until then (its resource timing
 * entries, including those still loading then) to cache. `<html data-offline="ready">` says the
 * worker answered the last such batch (or that this whole load went through it).
 */
export async function registerKioskServiceWorker(): Promise<void> {
  const env: ServiceWorkerEnv = {
    search: window.location.search,
    secure: window.isSecureContext,
    supported: 'serviceWorker' in navigator,
    production: import.meta.env.PROD,
  };
  if (!shouldRegister(env)) return;
  const sw = navigator.serviceWorker;
  try {
    const base = import.meta.env.BASE_URL;
    const url = new URL(serviceWorkerUrl(base, import.meta.url), window.location.href).href;
    const ours = () => sw.controller?.scriptURL === url;
    const oursFromStart = ours();
    await sw.register(url, { scope: base });
    await sw.ready;
    if (oursFromStart) {
      document.documentElement.dataset.offline = 'ready';
      return;
    }
    // It takes over at once (skipWaiting, clients.claim); an older build's worker may come first.
    while (!ours()) await new Promise((ok) => sw.addEventListener('controllerchange', ok, { once: true }));
    const controlledAt = performance.now();
    let pending = 0;
    const send = (urls: string[]) => {
      if (urls.length === 0) return;
      pending++;
      document.documentElement.dataset.offline = 'pending';
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        if (--pending === 0) document.documentElement.dataset.offline = 'ready';
      };
      sw.controller?.postMessage({ type: 'cache-urls', urls }, [channel.port2]);
    };
    send([window.location.href]);
    // Requests that went around the worker (most of them started before it took control); it sees
    // the others itself.
    new PerformanceObserver((list) =>
      send(
        sameOriginUrls(
          urlsAroundWorker(list.getEntries() as PerformanceResourceTiming[], controlledAt),
          window.location.origin,
        ),
      ),
    ).observe({ type: 'resource', buffered: true });
  } catch (error) {
    // No worker: the kiosk runs as before, without surviving a web server outage.
    console.warn('Twinview: the kiosk service worker could not be registered', error);
  }
}
