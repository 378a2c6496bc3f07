// The engineer's tablet keeps working without a network: this service worker keeps the
// app shell (the /field page, the WASM bundle, styles, manifest and icons). The page is
// kept as the server last rendered it, with that day's jobs; the page itself prefers
// the newer copy in its own storage, where the changes waiting to be sent live too, and
// signing out deletes this cache. Everything else goes to the network untouched.
const CACHE = 'crm-field-v1';
const PAGE = '/field';
const ASSETS = ['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

// Only a real page is kept: a sign-in redirect is not the engineer's day.
const keepable = (res) => res.ok && !res.redirected;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch(PAGE, { credentials: 'same-origin', cache: 'no-store' });
    // The bundle the page loads (script, WASM, styles), whatever the build named it.
    let bundle = [];
    if (keepable(page)) {
      const html = await page.clone().text();
      bundle = [...new Set(html.match(/\/pkg\/[\w.\-]+/g) || [])];
      await cache.put(PAGE, page);
    }
    await cache.addAll([...ASSETS, ...bundle].map((url) => new Request(url, { cache: 'no-store' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

function kept(url) {
  return url.origin === self.location.origin && (url.pathname === PAGE || url.pathname.startsWith('/pkg/') || ASSETS.includes(url.pathname));
}

// Network first, so the shell is never stale while online; the copy kept when offline.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (!kept(url)) return;
  const key = url.pathname;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (keepable(res)) {
          const copy = res.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return res;
      })
      .catch(() => caches.open(CACHE).then((cache) => cache.match(key)).then((hit) => hit || Response.error())),
  );
});
