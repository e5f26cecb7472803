// Hallway's service worker. The server prepends VERSION and PRECACHE (see pwa/shell.py).
/* global VERSION, PRECACHE */
import { syncNow } from './static/js/sync.js';
import { uploadPhotos } from './static/js/photos.js';
import { act, showReminder } from './static/js/notifications.js';
import { getMeta } from './static/js/localdb.js';

const SHELL_CACHE = `hallway-shell-${VERSION}`;
const NETWORK_TIMEOUT_MS = 3000;
const APP_ROUTES =
  /^\/(|capture|people|research|followups|card|scan|data|events|join)(\/[\w-]*)?(\/(prep|edit|introduce))?$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin)
    return;
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(apiOrSayOffline(event.request));
  } else if (
    event.request.mode === 'navigate' &&
    APP_ROUTES.test(url.pathname)
  ) {
    event.respondWith(networkFirstShell(event.request));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  }
});

// Pages: the network when it answers in time, else the cached app shell (the app routes itself).
async function networkFirstShell(request) {
  const cached = () => caches.match('/', { cacheName: SHELL_CACHE });
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('slow')), NETWORK_TIMEOUT_MS),
      ),
    ]);
    if (response.ok) return response;
    return (await cached()) || response;
  } catch {
    return (await cached()) || Response.error();
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, {
    cacheName: SHELL_CACHE,
    ignoreSearch: true,
  });
  return cached || fetch(request);
}

// The API is never answered from a cache: offline, say so in the API's error shape.
async function apiOrSayOffline(request) {
  try {
    return await fetch(request);
  } catch {
    const body = {
      error: 'offline',
      message: 'You are offline; this needs the server.',
    };
    return new Response(JSON.stringify(body), {
      status: 503,
      headers: { 'Content-Type': 'application/json' },
    });
  }
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'hallway-sync')
    event.waitUntil(syncNow().then(uploadPhotos));
});

self.addEventListener('message', (event) => {
  if (event.data === 'sync') event.waitUntil(syncNow().catch(() => {}));
});

self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Hallway', body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(showReminder(self.registration, data));
});

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  event.waitUntil(
    (async () => {
      if (await act(event.action, data)) return;
      await openPage(data.url || '/followups');
    })(),
  );
});

// Focus a Hallway window showing the page, else open one.
async function openPage(url) {
  const windows = await self.clients.matchAll({
    type: 'window',
    includeUncontrolled: true,
  });
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin) {
      await client.focus();
      return client
        .navigate(url)
        .catch(() => client.postMessage({ type: 'open', url }));
    }
  }
  return self.clients.openWindow(url);
}

// The push service replaced our subscription: subscribe again and tell the server.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const options = event.oldSubscription?.options || (await pushOptions());
      const fresh =
        event.newSubscription ||
        (await self.registration.pushManager.subscribe(options));
      const headers = {
        'Content-Type': 'application/json',
        'X-CSRF-Token': (await getMeta('csrf')) || '',
      };
      await fetch('/api/v1/push/subscriptions', {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: JSON.stringify(fresh),
      });
      if (
        event.oldSubscription &&
        event.oldSubscription.endpoint !== fresh.endpoint
      ) {
        await fetch('/api/v1/push/subscriptions', {
          method: 'DELETE',
          headers,
          credentials: 'same-origin',
          body: JSON.stringify({ endpoint: event.oldSubscription.endpoint }),
        });
      }
    })(),
  );
});

async function pushOptions() {
  const { publicKey } = await (
    await fetch('/api/v1/push/key', { credentials: 'same-origin' })
  ).json();
  return { userVisibleOnly: true, applicationServerKey: publicKey };
}
