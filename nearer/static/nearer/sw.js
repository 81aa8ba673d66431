/* Nearer's service worker: crisis help and the person's safety plan stay available offline,
   other pages fall back to the offline page, and reminders arrive as notifications.
   Served from /ops/sw.js with "Service-Worker-Allowed: /" so it controls the whole site. */
"use strict";

const CACHE = "nearer-v2";
const OFFLINE = "/ops/offline/";
const PRECACHE = ["/help/", OFFLINE];
// Network first; the last good copy is kept on the device for when there is no connection.
const KEEP = ["/help/", "/safety/plan/", OFFLINE];
const PRIVATE = ["/safety/plan/", OFFLINE];
// Whose pages are kept (a made-up address inside the cache, never fetched).
const WHO = "/__nearer/who";

self.addEventListener("install", (event) => {
  // One page after another (gentle on a small server); a page that fails now is kept on its next visit.
  event.waitUntil(
    caches.open(CACHE).then((cache) => PRECACHE.reduce((chain, url) => chain.then(() =>
      fetch(url, { credentials: "same-origin" }).then((resp) => {
        if (resp.ok && !resp.redirected) { return cache.put(url, resp); }
        return undefined;
      }).catch(() => undefined)), Promise.resolve())
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

function keepCopy(path, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(path, copy));
  }
  return response;
}

function offlineFallback() {
  return caches.match(OFFLINE).then((r) => r || new Response(
    "<!doctype html><meta charset=utf-8><title>Offline</title><h1>You are offline</h1>" +
    "<p>If you might act on thoughts of harming yourself, call or text 988 (US) or call 911.</p>" +
    "<p lang=es>En español: llama al 988 y marca el 2, o envía AYUDA al 988 o al 741741. En peligro inmediato, llama al 911.</p>",
    { headers: { "Content-Type": "text/html; charset=utf-8" } }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    // Signing out removes this person's private pages from the device.
    event.waitUntil(caches.open(CACHE).then((cache) => Promise.all([WHO, ...PRIVATE].map((p) => cache.delete(p)))));
    return;
  }
  if (request.method !== "GET") { return; }
  if (KEEP.includes(url.pathname) && !url.search) {
    event.respondWith(
      fetch(request).then((resp) => keepCopy(url.pathname, resp))
        .catch(() => caches.match(url.pathname).then((r) => r || offlineFallback()))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      fetch(request).then((resp) => keepCopy(url.pathname, resp))
        .catch(() => caches.match(url.pathname).then((r) => r || Response.error()))
    );
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlineFallback()));
  }
});

function keepOne(cache, url, tries) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then((resp) => {
    if (resp.ok && !resp.redirected) {
      // The offline page's own styles and scripts are kept with it, so it looks and works the same offline.
      const assets = url === OFFLINE ? resp.clone().text().then((html) =>
        Array.from(html.matchAll(/(?:href|src)="(\/static\/[^"]+\.(?:css|js))"/g), (m) => m[1])) : Promise.resolve([]);
      return cache.put(url, resp).then(() => assets).then((list) => Promise.all(list.map((a) =>
        fetch(a).then((r) => (r.ok ? cache.put(a, r) : undefined)).catch(() => undefined)))).then(() => true);
    }
    if (resp.status >= 500 && tries > 1) { return new Promise((r) => setTimeout(r, 300)).then(() => keepOne(cache, url, tries - 1)); }
    return resp.status < 500;  // a page this person may not open (a 403 or a redirect) is simply not kept
  }).catch(() => false);
}

function keepFor(user) {
  // Each page tells the worker who is signed in. When that changes (sign-in, sign-out, another person
  // on a shared device) the last person's pages go and this person's offline page and plan are kept.
  return caches.open(CACHE).then((cache) => cache.match(WHO).then((r) => (r ? r.text() : null)).then((was) => {
    if (was === user) { return true; }
    const urls = user ? [OFFLINE, "/safety/plan/"] : [OFFLINE];
    return Promise.all([WHO, ...PRIVATE].map((p) => cache.delete(p)))
      .then(() => urls.reduce((chain, url) => chain.then((ok) => keepOne(cache, url, 3).then((one) => ok && one)), Promise.resolve(true)))
      // Remembered only when everything was kept, so the next page tries again after a failure.
      .then((ok) => (ok ? cache.put(WHO, new Response(user)).then(() => true) : false));
  }));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "who") { return; }
  const user = String(data.user || "");
  event.waitUntil(keepFor(user).catch(() => false).then((ok) => {
    if (ok && event.source) { event.source.postMessage({ type: "who-ready", user: user }); }
  }));
});

self.addEventListener("push", (event) => {
  let data = { title: "Nearer", body: "", url: "/" };
  try { data = Object.assign(data, event.data ? event.data.json() : {}); } catch (e) { /* keep defaults */ }
  event.waitUntil(self.registration.showNotification(data.title, {
    body: data.body, data: { url: data.url }, icon: "/static/nearer/icon-192.png", badge: "/static/nearer/icon-192.png"
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(target.startsWith("/") ? target : "/"));
});
