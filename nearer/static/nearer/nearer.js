// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Phones: the main menu folds behind one button (without this script every link stays visible).
    var header = document.querySelector(".site-header");
    var toggle = document.querySelector(".menu-toggle");
    if (header && toggle) {
      document.documentElement.classList.add("js-menu");
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = header.classList.toggle("menu-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape" && header.classList.contains("menu-open")) {
          header.classList.remove("menu-open"); toggle.setAttribute("aria-expanded", "false"); toggle.focus();
        }
      });
    }
    // Select the whole invitation link or token on focus so it can be copied in one step.
    document.querySelectorAll(".copy-field").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    // Close the crisis panel with Escape and return focus to its button.
    var crisis = document.getElementById("crisis-control");
    if (crisis) {
      crisis.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape" && crisis.open) { crisis.open = false; crisis.querySelector("summary").focus(); }
      });
    }
    // The browser's time zone: filled into sign-up, and offered when it differs from the account's.
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    document.querySelectorAll("input[data-browser-timezone]").forEach(function (el) { if (!el.value) { el.value = zone; } });
    var meta = document.querySelector('meta[name="nearer-tz"]');
    var account = meta ? meta.getAttribute("content") : "";
    if (zone && account && zone !== account) {
      document.querySelectorAll("[data-tz-offer]").forEach(function (box) {
        var text = box.querySelector("[data-tz-text]");
        if (text) { text.textContent = text.dataset.tzText.replace("%(zone)s", zone.replace(/_/g, " ")).replace("%(current)s", account.replace(/_/g, " ")); }
        var select = document.getElementById(box.dataset.tzOffer);
        var use = box.querySelector("button[data-tz-use]");
        if (select && use) {
          if (!Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
            var opt = document.createElement("option"); opt.value = zone; opt.textContent = zone.replace(/_/g, " "); select.appendChild(opt);
          }
          use.addEventListener("click", function () { select.value = zone; select.form.requestSubmit(); });
        }
        box.hidden = false;
      });
    }
    // 0-100 ratings: a slider beside the number box, kept in step both ways (the box alone works too).
    document.querySelectorAll("input[data-slider]").forEach(function (box) {
      var range = document.createElement("input");
      range.type = "range"; range.min = box.min || "0"; range.max = box.max || "100"; range.step = box.step || "1";
      range.className = "rating-slider"; range.tabIndex = -1; range.setAttribute("aria-hidden", "true");
      range.value = box.value === "" ? String((Number(range.min) + Number(range.max)) / 2) : box.value;
      if (box.value === "") { range.classList.add("unset"); }
      range.addEventListener("input", function () { box.value = range.value; range.classList.remove("unset"); });
      box.addEventListener("input", function () { if (box.value !== "") { range.value = box.value; range.classList.remove("unset"); } });
      box.parentNode.insertBefore(range, box);
    });
    // Copy and Share buttons for a link in a field (Web Share where the device has it).
    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      var field = document.getElementById(btn.dataset.copy);
      if (!field || !navigator.clipboard) { return; }
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          var st = btn.parentNode.querySelector(".copy-status");
          if (st) { st.textContent = btn.dataset.done; }
        }).catch(function () { field.focus(); field.select(); });
      });
    });
    document.querySelectorAll("button[data-share]").forEach(function (btn) {
      var field = document.getElementById(btn.dataset.share);
      if (!field || !navigator.share) { return; }
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.share({ title: btn.dataset.title, url: field.value }).catch(function () { /* closed: nothing to do */ });
      });
    });
    // Print buttons (no inline script allowed by the content security policy).
    document.querySelectorAll("[data-print]").forEach(function (el) {
      el.addEventListener("click", function () { window.print(); });
    });
  });
  // The htmx CSRF header, read from the cookie-free token the page renders.
  document.addEventListener("htmx:configRequest", function (ev) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { ev.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
