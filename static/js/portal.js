// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  }

  // Character count of a textarea with a limit (includes/field.html): the text under it says
  // how many characters are left, updated shortly after typing stops so that screen readers
  // are not interrupted at every key. A newline counts twice, as the server counts it.
  function updateCount(area, output) {
    var limit = parseInt(area.getAttribute("data-character-count"), 10);
    var left = limit - area.value.replace(/\r?\n/g, "\r\n").length;
    var key = left >= 0 ? (left === 1 ? "leftOne" : "leftOther") : (left === -1 ? "overOne" : "overOther");
    output.textContent = output.dataset[key].replace("{count}", String(Math.abs(left)));
    output.classList.toggle("portal-character-count--over", left < 0);
  }

  function characterCounts(root) {
    root.querySelectorAll("textarea[data-character-count]").forEach(function (area) {
      var output = document.getElementById(area.id + "-count");
      var timer;
      if (!output) {
        return;
      }
      updateCount(area, output);
      area.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { updateCount(area, output); }, 500);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    characterCounts(document);
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
