/* Registers the service worker; keeps check-ins written offline on this device and sends each
   exactly once when back online (the Idempotency-Key makes a retried send return the same row).
   An offline check-in is merged into the day's saved one field by field; when both changed the
   same answer, the person chooses which to keep. Loaded once, from base.html. */
(function () {
  "use strict";
  if (window.nearerOffline) { return; }  // never twice on one page (a second copy would double every submit)
  var QUEUE = "nearer.checkinQueue.v1";
  var flushing = null;  // the send in progress, if any

  function currentUser() {
    var meta = document.querySelector('meta[name="nearer-user"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/ops/sw.js", { scope: "/" }).catch(function () { /* not supported here */ });
    // Tell the service worker who is signed in here: when that changes (sign-in, sign-out, another
    // person on a shared device) it drops the last person's pages and keeps this person's instead.
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === "who-ready") { document.documentElement.setAttribute("data-offline-ready", ev.data.user || "-"); }
    });
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) { reg.active.postMessage({ type: "who", user: currentUser() }); }
    }).catch(function () { /* no service worker: nothing kept */ });
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }
  function update(key, change) {
    save(load().map(function (x) { return x.key === key ? Object.assign(x, change) : x; }));
  }
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
    var waiting = load().filter(function (x) { return !x.conflict; }).length;
    if (waiting > 0) { say("waiting", String(waiting)); }
    var top = document.getElementById("offline-status");
    if (top && top.parentNode && statusEl()) {
      top.textContent = navigator.onLine ? "" : statusEl().dataset.offline;
    }
    renderConflicts();
  }

  /* ---- Choosing between this device's answers and the saved ones ---- */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  /* A day ("2026-12-03") written as the pages write dates: "3 Dec 2026" / "3 dic 2026". */
  function showDay(iso) {
    try {
      var parts = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
        day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).formatToParts(new Date(iso + "T12:00:00Z"));
      var pick = function (t) { var p = parts.filter(function (x) { return x.type === t; })[0]; return p ? p.value.replace(/\.$/, "").replace(/^sept$/, "sep") : ""; };
      return [pick("day"), pick("month"), pick("year")].join(" ");
    } catch (e) { return iso; }
  }
  function renderConflicts() {
    var box = document.getElementById("offline-conflicts");
    if (!box) { return; }
    var me = currentUser();
    var items = load().filter(function (x) { return x.conflict && String(x.user) === me; });
    box.replaceChildren();
    box.hidden = items.length === 0;
    items.forEach(function (item) {
      var form = el("form", { "class": "conflict card", "data-key": item.key });
      form.appendChild(el("h2", {}, box.dataset.title));
      form.appendChild(el("p", {}, box.dataset.intro.replace("%(day)s", showDay(item.local_date))));
      item.conflict.forEach(function (c, i) {
        var fs = el("fieldset", {});
        fs.appendChild(el("legend", {}, box.dataset["label" + c.field.charAt(0).toUpperCase() + c.field.slice(1)] || c.field));
        [["device", box.dataset.device, c.device], ["saved", box.dataset.saved, c.saved]].forEach(function (opt) {
          var id = "conflict-" + item.key + "-" + i + "-" + opt[0];
          var row = el("p", { "class": "choice" });
          var input = el("input", { type: "radio", name: c.field, value: opt[0], id: id, required: "required" });
          row.appendChild(input);
          row.appendChild(el("label", { "for": id }, opt[1] + " " + opt[2]));
          fs.appendChild(row);
        });
        form.appendChild(fs);
      });
      form.appendChild(el("p", { "class": "conflict-error", role: "status" }));
      form.appendChild(el("button", { type: "submit" }, box.dataset.button));
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var keep = {}, missing = false;
        item.conflict.forEach(function (c) {
          var chosen = form.querySelector('input[name="' + c.field + '"]:checked');
          if (chosen) { keep[c.field] = chosen.value; } else { missing = true; }
        });
        if (missing) { form.querySelector(".conflict-error").textContent = box.dataset.missing; return; }
        update(item.key, { conflict: null, keep: Object.assign(item.keep || {}, keep) });
        flush().then(function () {
          var live = document.getElementById("offline-conflicts-status");
          if (live && !load().some(function (x) { return x.key === item.key; })) { live.textContent = box.dataset.done; }
        });
      });
      box.appendChild(form);
    });
  }

  function flush() {
    if (flushing) { return flushing; }
    var items = load().filter(function (x) { return !x.conflict; });
    if (!items.length || !navigator.onLine) { render(); return Promise.resolve(); }
    flushing = fetch("/ops/offline/token", { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (r) { if (!r.ok) { throw new Error("not signed in"); } return r.json(); })
      .then(function (who) {
        var chain = Promise.resolve();
        items.forEach(function (item) {
          if (String(item.user) !== String(who.user)) { return; }  // only the person who wrote it
          chain = chain.then(function () {
            var body = { mood: item.mood, closeness: item.closeness, local_date: item.local_date, merge: true,
                         base_updated_at: item.base || null, keep: item.keep || {} };
            return fetch(item.endpoint, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf, "Idempotency-Key": item.key },
              body: JSON.stringify(body)
            }).then(function (resp) {
              if (resp.status === 409) {
                return resp.json().then(function (data) { update(item.key, { conflict: data.conflicts, base: data.updated_at }); });
              }
              var permanent = resp.status >= 400 && resp.status < 500 && [401, 403, 408, 429].indexOf(resp.status) < 0;
              if (resp.ok || permanent) {
                save(load().filter(function (x) { return x.key !== item.key; }));
                if (resp.ok) { say("sent"); }
              }
              return undefined;
            });
          });
        });
        return chain;
      })
      .catch(function () { /* still offline or signed out: keep everything for later */ })
      .then(function () { flushing = null; render(); });
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
    var day = today(form.dataset.tz);
    var items = load();
    // The saved check-in this page knew about, if the page was kept on the same day.
    var base = form.dataset.day === day ? (form.dataset.base || null) : null;
    items.push({ key: newKey(), user: form.dataset.user, endpoint: form.dataset.endpoint, mood: mood,
                 closeness: closeness, local_date: day, base: base, kept_at: new Date().toISOString() });
    save(items);
    form.reset();
    say("kept");
    if (navigator.onLine) { flush(); }
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

  function start() {
    var form = document.getElementById("offline-checkin-form");
    if (form) { form.addEventListener("submit", onSubmit); }
    var push = document.getElementById("push-enable");
    if (push) { push.addEventListener("click", function () { enablePush(push); }); }
    render();
    flush();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  window.nearerOffline = { flush: flush, queue: load };
})();
