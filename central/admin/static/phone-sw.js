// Badgeuse: the service worker of a phone badge's page (self_phone.go),
// served under the page's path: its scope is that page. Network first,
// so that the page and its codes are fresh whenever the phone is online;
// the last copy otherwise (airplane mode), marked so that the page says it
// works offline. A 404 or 410 (her link replaced, the badge disabled)
// empties the copies.
"use strict";
var scope = self.registration.scope; // "https://…/m/TOKEN/phone/ID/"
var cacheName = "badgeuse-phone:" + scope;
// The page loads the files of /static/ with their version
// (/static/style.css?v=…, static.go): the copies are kept by path, without
// the query, so that any version's address finds the last one offline.
var keep = [scope, scope + "codes.json", scope + "manifest.webmanifest", "/static/phone.js", "/static/style.css", "/static/app.js"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(cacheName).then(function (c) {
    return c.addAll(keep);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(self.clients.claim());
});

function offlineCopy(resp) {
  var h = new Headers(resp.headers);
  h.set("X-Badgeuse-Offline", "1");
  return resp.blob().then(function (b) {
    return new Response(b, { status: resp.status, statusText: resp.statusText, headers: h });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  var key = url.origin + url.pathname;
  var kept = keep.some(function (k) { return new URL(k, scope).href === key; });
  if (!kept) { return; }
  var lastCopy = function () {
    return caches.open(cacheName).then(function (c) { return c.match(key); });
  };
  e.respondWith(fetch(req).then(function (resp) {
    if (resp.status === 410 || resp.status === 404) {
      // The badge no longer works (her link was replaced, or the badge
      // disabled): forget its codes and stop serving this page, so that
      // it never shows one offline as if it still worked; the answer
      // says what to do.
      self.registration.unregister();
      return caches.delete(cacheName).then(function () { return resp; });
    }
    if (resp.ok) {
      // Into the copies that exist only: gone (a 404 or 410), they stay
      // gone, whatever the answer's page loads after.
      var copy = resp.clone();
      caches.has(cacheName).then(function (has) {
        return has && caches.open(cacheName).then(function (c) { return c.put(key, copy); });
      });
    }
    if (resp.status !== 503) { return resp; }
    // Central is busy drawing other phones' codes: the last copy, if any.
    return lastCopy().then(function (kept) { return kept ? offlineCopy(kept) : resp; });
  }).catch(function () {
    return lastCopy().then(function (resp) {
      if (!resp) { return Response.error(); }
      return offlineCopy(resp);
    });
  }));
});
