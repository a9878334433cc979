// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  // After an htmx swap, put focus on a named target so keyboard and screen-reader users
  // do not lose their place (htmx restores focus only for elements with a stable id).
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.target);
  });
  document.body && document.body.addEventListener("portal:focus", function (event) {
    var target = document.getElementById(event.detail && event.detail.value);
    if (target) {
      target.focus();
    }
  });
})();
