/*
 * Reports reading of a guidebook chapter for signed-in readers.
 *
 * Counts active seconds only while the tab is visible and the reader did something in the last
 * minute (scroll, key, pointer, touch), notices when the end of the chapter comes into view,
 * and posts {seconds_active, reached_end} to the article's data-read-url with the CSRF token.
 * Seconds are kept until the server accepts them, so a throttled report (429) loses nothing.
 */
(function () {
  "use strict";
  var article = document.querySelector("article[data-read-url]");
  if (!article || !window.fetch) { return; }
  var url = article.getAttribute("data-read-url");
  var token = article.getAttribute("data-csrf-token");
  var IDLE_AFTER_MS = 60000;
  var REPORT_EVERY_SECONDS = 30;
  var pendingSeconds = 0;
  var reachedEnd = false;
  var endSeen = false;
  var totalActive = 0;
  var MIN_SECONDS_FOR_END = 5; // an end visible on load is not "read to the end"
  var endReported = false;
  var lastActivity = Date.now();
  var sending = false;
  var retryAt = 0;

  function markActive() { lastActivity = Date.now(); }
  ["scroll", "keydown", "pointerdown", "pointermove", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, markActive, { passive: true });
  });

  function isActive() {
    return document.visibilityState === "visible" && Date.now() - lastActivity < IDLE_AFTER_MS;
  }

  function send(useKeepalive) {
    if (sending || Date.now() < retryAt) { return; }
    if (pendingSeconds <= 0 && (!reachedEnd || endReported)) { return; }
    var seconds = pendingSeconds;
    var end = reachedEnd;
    sending = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!useKeepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ seconds_active: seconds, reached_end: end })
    }).then(function (response) {
      if (response.ok) {
        pendingSeconds -= seconds;
        if (end) { endReported = true; }
      } else if (response.status === 429) {
        retryAt = Date.now() + 10000;
      } else {
        retryAt = Date.now() + 60000;
      }
    }).catch(function () {
      retryAt = Date.now() + 30000;
    }).then(function () { sending = false; });
  }

  window.setInterval(function () {
    if (isActive()) { pendingSeconds += 1; totalActive += 1; }
    if (endSeen && totalActive >= MIN_SECONDS_FOR_END) { reachedEnd = true; }
    if (pendingSeconds >= REPORT_EVERY_SECONDS || (reachedEnd && !endReported)) { send(false); }
  }, 1000);

  var end = document.getElementById("chapter-end");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          endSeen = true;
          observer.disconnect();
        }
      });
    }).observe(end);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(true); }
  });
  window.addEventListener("pagehide", function () { send(true); });
})();
