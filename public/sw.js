/* global self, caches, fetch, URL, Request, AbortController, setTimeout, clearTimeout */
// Twinview's kiosk service worker (docs/kiosk.md). Registered by src/app/serviceWorker.ts for
// `?mode=kiosk` pages of the built app only, as /sw.js?v=<build>: a new build is a new worker whose
// activation drops the older builds' caches. It keeps what a kiosk needs to come back after a reload
// while the web server is down (the app shell, its hashed assets, the decoders, config.json, the twin
// and its models), so the wall shows the twin and connects to the broker again on its own.
// Plain script, no build step and no library: it must keep working when nothing else does.
'use strict';

const PREFIX = 'twinview-kiosk-';
const VERSION = new URL(self.location.href).searchParams.get('v') || 'unversioned';
const CACHE = PREFIX + VERSION;
/** A network-first answer that has a cached copy waits this long before giving the copy instead. */
const NETWORK_TIMEOUT_MS = 5000;

function scopeUrl() {
  return new URL(self.registration.scope);
}

/** The app shell (index.html) is cached under the scope's URL, whatever the page's query. */
function shellKey() {
  return scopeUrl().href;
}

/**
 * How a request is answered: 'shell' (a kiosk page: network first, the cached shell offline),
 * 'network-first' (config.json, the twins' JSON: a changed twin wins while the server is up),
 * 'cache-first' (hashed assets and decoders: never change under a name), 'cache-then-refresh'
 * (models: from the cache at once, refreshed behind for the next load), or null: not ours (the
 * history API, other APIs, other origins, anything not GET), left to the browser untouched.
 */
function strategyFor(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  const scope = scopeUrl();
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const path = url.pathname.slice(scope.pathname.length);
  if (path.startsWith('api/') || path === 'csp-report' || path === 'sw.js') return null;
  if (request.mode === 'navigate') return url.searchParams.get('mode') === 'kiosk' ? 'shell' : null;
  if (path.startsWith('assets/') || path.startsWith('draco/') || path.startsWith('basis/')) return 'cache-first';
  if (path === 'config.json') return 'network-first';
  if (path.startsWith('twins/')) return path.endsWith('.json') ? 'network-first' : 'cache-then-refresh';
  if (path === '' || path === 'index.html' || path === 'favicon.svg') return 'network-first';
  return null;
}

/** Only whole, same-origin answers are kept (no errors, no partial content, nothing opaque). */
function cacheable(response) {
  return response.ok && response.status === 200 && response.type === 'basic';
}

async function put(key, response) {
  if (!cacheable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

async function cached(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key);
}

async function networkFirst(request, key) {
  const copy = await cached(key);
  const controller = new AbortController();
  const timer = copy ? setTimeout(() => controller.abort(), NETWORK_TIMEOUT_MS) : null;
  try {
    const response = await fetch(request, { signal: controller.signal });
    await put(key, response.clone());
    return response;
  } catch (error) {
    if (copy) return copy;
    throw error;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

async function cacheFirst(request, refresh) {
  const copy = await cached(request);
  if (copy) {
    if (refresh)
      fetch(request).then(
        (r) => put(request, r),
        () => undefined,
      );
    return copy;
  }
  const response = await fetch(request);
  await put(request, response.clone());
  return response;
}

/** Requests from an operator's or embed's page in the same browser pass through untouched. */
async function fromKioskPage(event) {
  if (!event.clientId) return true;
  const client = await self.clients.get(event.clientId);
  if (!client || client.type !== 'window') return true; // the kiosk's own workers
  return new URL(client.url).searchParams.get('mode') === 'kiosk';
}

async function answer(event, strategy) {
  const request = event.request;
  if (strategy !== 'shell' && !(await fromKioskPage(event))) return fetch(request);
  switch (strategy) {
    case 'shell':
      // Offline, a navigation without a network answer gets the cached app shell.
      // A navigation request cannot be re-made with options: a plain GET of its URL instead.
      return networkFirst(new Request(request.url, { credentials: 'same-origin' }), shellKey());
    case 'network-first':
      return networkFirst(request, request);
    case 'cache-first':
      return cacheFirst(request, false);
    default:
      return cacheFirst(request, true);
  }
}

self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request);
  if (strategy !== null) event.respondWith(answer(event, strategy));
});

self.addEventListener('install', (event) => {
  // The shell first, so even a page whose first load came before this worker can come back.
  event.waitUntil(
    fetch(scopeUrl().href)
      .then((r) => put(shellKey(), r))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page's first load came before this worker controlled it: the page sends what it fetched (its
// resource timing entries) and this worker caches those that are its to keep, then answers.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  const work = Promise.all(
    data.urls
      .filter((u) => typeof u === 'string')
      .map(async (u) => {
        const request = new Request(u);
        const strategy = strategyFor(request);
        const page = strategyFor({ method: 'GET', url: u, mode: 'navigate' }) === 'shell';
        if (strategy === null && !page) return false;
        const key = page ? shellKey() : request;
        if (!page && (await cached(key))) return true;
        const response = await fetch(request).catch(() => null);
        if (!response || !cacheable(response)) return false;
        await put(key, response);
        return true;
      }),
  ).then((done) => {
    if (port) port.postMessage({ type: 'cached', version: VERSION, cached: done.filter(Boolean).length });
  });
  if (event.waitUntil) event.waitUntil(work);
});

// For the unit tests (src/app/serviceWorker.test.ts), which run this file in a sandbox.
self.twinviewServiceWorker = { strategyFor, CACHE };
