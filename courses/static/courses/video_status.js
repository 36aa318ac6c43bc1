/* The video editor's processing status: polled every two seconds until ready or failed. */
(function () {
  "use strict";
  var box = document.querySelector("[data-video-status]");
  if (!box || box.getAttribute("data-done") === "true") return;
  var label = box.querySelector("[data-video-status-label]");
  var progress = box.querySelector("[data-video-status-progress]");
  var bar = box.querySelector("[data-video-status-bar]");
  var error = box.querySelector("[data-video-status-error]");
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        label.textContent = data.label;
        progress.textContent = data.progress;
        bar.value = data.progress;
        error.textContent = data.error || "";
        if (!data.done) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
