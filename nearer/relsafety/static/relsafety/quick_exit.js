/* Quick exit: leave for a neutral site at once, replacing this page in the history, so Back does not
   return here. Also on the Escape key. Links marked data-replace move within these pages without
   adding history entries. No inline script (CSP). */
(function () {
  "use strict";
  function leave(url) {
    try { document.body.style.visibility = "hidden"; } catch (e) { /* nothing to hide */ }
    window.location.replace(url);
  }
  function exitUrl() {
    var a = document.querySelector("[data-quick-exit]");
    return a ? a.getAttribute("href") : "https://www.weather.gov/";
  }
  document.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[data-quick-exit], a[data-replace]") : null;
    if (!a) { return; }
    event.preventDefault();
    if (a.hasAttribute("data-quick-exit")) { leave(a.getAttribute("href")); } else { window.location.replace(a.getAttribute("href")); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector("[data-quick-exit]")) { leave(exitUrl()); }
  });
})();
