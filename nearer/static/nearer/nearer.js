// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
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
