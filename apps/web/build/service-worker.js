/**
 * The demo's service worker: after one visit the page, the worker, the wasm binaries, the models
 * and the sample images all come from Cache Storage, so the demo works offline. The build
 * (build/offline.ts) fills in the version and the precache list; responses are stored as the
 * server sent them, headers included, so the page stays cross-origin isolated (COOP/COEP) offline
 * and wasm keeps its threads and the shared-memory Cancel.
 */
const VERSION = '__MLAP_VERSION__';
const PRECACHE = /* __MLAP_PRECACHE__ */ [];
const PREFIX = 'mlap-web-';
const CACHE = `${PREFIX}${VERSION}`;

self.addEventListener('install', (event) => {
  // Relative URLs resolve against this script, so the site works from any sub-folder.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  // Earlier builds' caches would only waste the visitor's disk: drop every other mlap-web cache.
  const stale = (name) => name.startsWith(PREFIX) && name !== CACHE;
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter(stale).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** Cache first; a miss goes to the network and is kept (e.g. a file added after install). */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  // `?backend=wasm` links open the same cached page.
  const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
  if (hit !== undefined) return hit;
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic')
    await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(cacheFirst(request));
});
