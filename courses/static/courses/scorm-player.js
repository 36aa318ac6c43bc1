// The SCORM lesson's player: starts the bundled runtime (scorm-again), loads the learner's
// saved data, lets the package in the frame find it (window.API for SCORM 1.2,
// window.API_1484_11 for SCORM 2004) and posts the runtime data to the server on every
// commit, on finish, every minute while something changed (a crashed browser loses at most
// that) and when the page is hidden or closed (sendBeacon, else fetch keepalive). Saves of
// one launch are numbered, so the server keeps the newest; each says how long the page has
// been open, the time of packages that do not report their own.
(function () {
  "use strict";
  var root = document.querySelector("[data-scorm-player]");
  if (!root) {
    return;
  }
  var status = root.querySelector("[data-scorm-status]");
  var frame = root.querySelector("iframe");
  var is2004 = root.dataset.runtime === "scorm2004";
  var Runtime = is2004 ? window.Scorm2004API : window.Scorm12API;
  if (!Runtime) {
    status.textContent = root.dataset.msgNoRuntime;
    return;
  }
  var url = root.dataset.commitUrl;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var session = window.crypto && window.crypto.randomUUID
    ? window.crypto.randomUUID()
    : String(Date.now()) + "-" + String(Math.random()).slice(2);
  var sequence = 0;
  var openedAt = Date.now();
  var lastSent = "";
  // sendBeacon and keepalive requests are limited to 64 KiB.
  var BEACON_LIMIT = 60000;

  var api = new Runtime({ autocommit: false, logLevel: 5 });
  api.loadFromJSON(JSON.parse(document.getElementById("scorm-cmi").textContent));

  function say(text, done) {
    status.textContent = text;
    status.classList.toggle("status--done", Boolean(done));
  }

  function form(data) {
    sequence += 1;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("session", session);
    body.append("sequence", String(sequence));
    body.append("data", data);
    body.append("elapsed", String(Math.round((Date.now() - openedAt) / 1000)));
    return body;
  }

  // mode: "commit" (the package committed, or the minute's save), "finish" (the package
  // finished: the page may be closing, so keepalive) or "leave" (the page is hidden or
  // closing: a beacon, whose answer nobody reads).
  function save(mode) {
    var data = JSON.stringify(api.renderCMIToJSONObject());
    if (data === lastSent) {
      return;
    }
    lastSent = data;
    var small = data.length < BEACON_LIMIT;
    if (mode === "leave" && small && navigator.sendBeacon && navigator.sendBeacon(url, form(data))) {
      return;
    }
    fetch(url, {
      method: "POST",
      body: form(data),
      credentials: "same-origin",
      keepalive: mode !== "commit" && small,
      headers: { "X-CSRFToken": csrf }
    })
      .then(function (response) {
        return response.json().then(function (result) {
          if (!response.ok || !result.result) {
            throw new Error(result.message || String(response.status));
          }
          return result;
        });
      })
      .then(function (result) {
        if (result.done) {
          say(root.dataset.msgDone, true);
        } else {
          say(root.dataset.msgSaved, false);
        }
      })
      .catch(function () {
        lastSent = "";  // send it again at the next commit
        say(root.dataset.msgFailed, false);
      });
  }

  ["LMSCommit", "Commit"].forEach(function (name) {
    api.on(name, function () { save("commit"); });
  });
  ["LMSFinish", "Terminate"].forEach(function (name) {
    api.on(name, function () { save("finish"); });
  });
  window.setInterval(function () { save("commit"); }, 60000);
  window.addEventListener("pagehide", function () { save("leave"); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save("leave");
    }
  });

  if (is2004) {
    window.API_1484_11 = api;
  } else {
    window.API = api;
  }
  frame.src = root.dataset.src;
})();
