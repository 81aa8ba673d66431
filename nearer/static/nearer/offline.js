/* Registers the service worker; keeps check-ins written offline on this device and sends each
   exactly once when back online (the Idempotency-Key makes a retried send return the same row). */
(function () {
  "use strict";
  var QUEUE = "nearer.checkinQueue.v1";
  var flushing = null;  // the send in progress, if any

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/ops/sw.js", { scope: "/" }).catch(function () { /* not supported here */ });
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return "offline-" + crypto.randomUUID(); }
    var a = new Uint32Array(4); crypto.getRandomValues(a);
    return "offline-" + Array.prototype.join.call(a, "-");
  }
  function today(tz) {
    // The day in the person's own time zone (their account setting), whatever the device's clock zone.
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (e) {
      var d = new Date();
      return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    }
  }
  function statusEl() { return document.getElementById("offline-queue"); }
  function say(kind, extra) {
    var el = statusEl();
    if (!el) { return; }
    el.textContent = (el.dataset[kind] || "") + (extra === undefined ? "" : " " + extra);
  }
  function render() {
    var n = load().length;
    if (n > 0) { say("waiting", String(n)); }
    var top = document.getElementById("offline-status");
    if (top && top.parentNode && statusEl()) {
      top.textContent = navigator.onLine ? "" : statusEl().dataset.offline;
    }
  }

  function flush() {
    var items = load();
    if (flushing) { return flushing; }
    if (!items.length || !navigator.onLine) { render(); return Promise.resolve(); }
    flushing = fetch("/ops/offline/token", { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (r) { if (!r.ok) { throw new Error("not signed in"); } return r.json(); })
      .then(function (who) {
        var chain = Promise.resolve();
        items.forEach(function (item) {
          if (String(item.user) !== String(who.user)) { return; }  // only the person who wrote it
          chain = chain.then(function () {
            return fetch(item.endpoint, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf, "Idempotency-Key": item.key },
              body: JSON.stringify({ mood: item.mood, closeness: item.closeness, local_date: item.local_date })
            }).then(function (resp) {
              var permanent = resp.status >= 400 && resp.status < 500 && [401, 403, 408, 429].indexOf(resp.status) < 0;
              if (resp.ok || permanent) {
                save(load().filter(function (x) { return x.key !== item.key; }));
                if (resp.ok) { say("sent"); }
              }
            });
          });
        });
        return chain;
      })
      .catch(function () { /* still offline or signed out: keep everything for later */ })
      .then(function () { flushing = null; if (load().length) { render(); } });
    return flushing;
  }

  function onSubmit(event) {
    event.preventDefault();
    var form = event.target;
    var mood = Number(form.elements.mood.value), closeness = Number(form.elements.closeness.value);
    var ok = function (v) { return Number.isInteger(v) && v >= 0 && v <= 10; };
    if (form.elements.mood.value === "" || form.elements.closeness.value === "" || !ok(mood) || !ok(closeness)) {
      say("invalid");
      return;
    }
    var items = load();
    items.push({ key: newKey(), user: form.dataset.user, endpoint: form.dataset.endpoint, mood: mood,
                 closeness: closeness, local_date: today(form.dataset.tz), kept_at: new Date().toISOString() });
    save(items);
    form.reset();
    say("kept");
    flush();
  }

  function urlKey(b64) {
    var pad = "=".repeat((4 - (b64.length % 4)) % 4);
    var raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function enablePush(button) {
    var st = document.getElementById("push-status");
    var fail = function () { if (st) { st.textContent = st.dataset.off; } };
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) { fail(); return; }
    Notification.requestPermission().then(function (perm) {
      if (perm !== "granted") { throw new Error("denied"); }
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlKey(button.dataset.key) });
    }).then(function (sub) {
      return fetch("/ops/offline/token", { credentials: "same-origin", cache: "no-store", redirect: "manual" })
        .then(function (r) { return r.json(); })
        .then(function (who) {
          return fetch("/ops/push/subscribe", { method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf }, body: JSON.stringify(sub.toJSON()) });
        });
    }).then(function (resp) {
      if (!resp.ok) { throw new Error("refused"); }
      if (st) { st.textContent = st.dataset.on; }
    }).catch(fail);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("offline-checkin-form");
    if (form) { form.addEventListener("submit", onSubmit); }
    var push = document.getElementById("push-enable");
    if (push) { push.addEventListener("click", function () { enablePush(push); }); }
    render();
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  window.nearerOffline = { flush: flush, queue: load };
})();
