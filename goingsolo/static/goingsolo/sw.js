// The service worker of the installable app (docs/push.md). Served at /sw.js by
// goingsolo/core/views.py, which puts `self.GOINGSOLO` (addresses and version) above this.
//
// What it keeps: the offline page in each language and the few static files it needs.
// Pages are never cached: navigations go to the network, and only when the network fails
// is the offline page shown, so nobody is ever shown a stale or someone else's page.
"use strict";

const CONFIG = self.GOINGSOLO;
const CACHE = "goingsolo-" + CONFIG.version;
const LANGUAGE_KEY = "/__goingsolo/language";
const OFFLINE_URLS = Object.values(CONFIG.offline);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Without cookies: the offline pages and assets are the same for everyone.
      Promise.all(
        [...OFFLINE_URLS, ...CONFIG.assets].map((url) =>
          fetch(url, { credentials: "omit", cache: "reload" }).then((response) => {
            if (!response.ok) throw new Error(url + " answered " + response.status);
            return cache.put(url, response);
          }),
        ),
      ),
    ).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("goingsolo-") && key !== CACHE).map((key) => caches.delete(key)),
      ))
      .then(() => self.clients.claim()),
  );
});

// The language of the last page the visitor saw (its Content-Language), else the
// browser's: the offline page speaks it.
async function rememberLanguage(response) {
  const language = (response.headers.get("Content-Language") || "").split(",")[0].trim();
  if (language && CONFIG.offline[language]) {
    const cache = await caches.open(CACHE);
    await cache.put(LANGUAGE_KEY, new Response(language));
  }
}

async function offlineLanguage() {
  const cache = await caches.open(CACHE);
  const remembered = await cache.match(LANGUAGE_KEY);
  if (remembered) {
    const language = await remembered.text();
    if (CONFIG.offline[language]) return language;
  }
  for (const tag of self.navigator.languages || [self.navigator.language || ""]) {
    const language = tag.toLowerCase().split("-")[0];
    if (CONFIG.offline[language]) return language;
  }
  return CONFIG.defaultLanguage;
}

async function offlinePage() {
  const cache = await caches.open(CACHE);
  const page = await cache.match(CONFIG.offline[await offlineLanguage()]);
  return page || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(rememberLanguage(response));
          return response;
        })
        .catch(() => offlinePage()),
    );
    return;
  }
  // The offline page's own files, from the cache when the network is gone.
  const path = new URL(request.url).pathname;
  if (CONFIG.assets.includes(path)) {
    event.respondWith(fetch(request).catch(() => caches.match(path).then((found) => found || Response.error())));
  }
});

// Web Push: the server sends {title, body, url, tag, lang} (goingsolo/accounts/push.py).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const title = message.title || CONFIG.name;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || "",
      tag: message.tag || undefined,
      renotify: Boolean(message.tag),
      lang: message.lang || "",
      icon: CONFIG.icon,
      badge: CONFIG.badge,
      data: { url: message.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  // Only this site's addresses: a message cannot send the member elsewhere.
  const url = target.origin === self.location.origin ? target.href : self.location.origin + "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && "focus" in client) return client.focus();
      }
      // A new window rather than another page in an open one, which may hold a reply
      // being written.
      return self.clients.openWindow(url);
    }),
  );
});
