// Roster import page: poll the status endpoint, move the progress bar, reload when done.
// Loaded as a file (no inline script: the CSP forbids them). Without it, the page's
// "refresh" link does the same by hand.
(function () {
  "use strict";
  var root = document.querySelector("[data-roster-import-status-url]");
  if (!root || root.getAttribute("data-finished") === "true") {
    return;
  }
  var url = root.getAttribute("data-roster-import-status-url");
  var bar = root.querySelector("progress");
  var label = root.querySelector("[data-roster-import-status-label]");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (bar) {
          bar.value = state.progress;
          bar.textContent = state.progress + "%";
        }
        if (label) {
          label.textContent = state.status_label;
        }
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
