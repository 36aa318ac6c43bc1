/* The video lesson's player: resumes where the learner stopped and reports the seconds
   actually played (not the ones skipped by seeking) to the server, which merges them.

   An interval grows while timeupdate events follow each other closely during playback; a
   seek, a pause or a jump ends it. Intervals are sent every 10 seconds, when playback stops,
   and with sendBeacon when the page is hidden or left. The server decides what counts and
   answers with the status line shown under the player. */
(function () {
  "use strict";
  var root = document.querySelector("[data-video-lesson]");
  if (!root) return;
  var video = root.querySelector("video");
  var statusLine = root.querySelector("[data-watch-status]");
  var bar = root.querySelector("[data-watch-bar]");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = root.getAttribute("data-report-url");
  var token = root.getAttribute("data-token");
  var resume = parseFloat(root.getAttribute("data-position")) || 0;
  var MAX_RATE = 2;          // the server counts no faster than this
  var MAX_STEP = 1.5;        // seconds between timeupdates beyond which it was a jump
  var REPORT_EVERY = 10000;  // ms

  var pending = [];   // closed intervals not yet sent
  var current = null; // [start, end] being played
  var last = null;    // currentTime at the previous timeupdate while playing
  var inFlight = false;
  var sentPosition = resume;

  function close() {
    if (current && current[1] > current[0]) pending.push(current);
    current = null;
    last = null;
  }

  function take() {
    var out = pending;
    pending = [];
    if (current && current[1] > current[0]) {
      out.push([current[0], current[1]]);
      current = [current[1], current[1]];
    }
    return out;
  }

  function body(intervals) {
    var form = new FormData();
    form.append("csrfmiddlewaretoken", csrf);
    form.append("payload", JSON.stringify({
      token: token,
      intervals: intervals,
      position: Math.max(0, video.currentTime || 0)
    }));
    return form;
  }

  function show(data) {
    if (data.message) statusLine.textContent = data.message;
    if (bar && typeof data.watched_percent === "number") {
      bar.value = data.watched_percent;
      bar.textContent = data.watched_percent + "%";
    }
    if (data.completed) {
      statusLine.classList.add("status--done");
      root.setAttribute("data-completed", "true");
    }
    root.setAttribute("data-watched-seconds", String(data.watched_seconds || 0));
  }

  function send() {
    if (inFlight) return;
    var intervals = take();
    var position = video.currentTime || 0;
    if (!intervals.length && Math.abs(position - sentPosition) < 1) return;
    inFlight = true;
    fetch(url, {
      method: "POST",
      body: body(intervals),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          sentPosition = position;
          show(data);
        } else if (data && data.error) {
          statusLine.textContent = data.error;
        }
      });
    }).catch(function () {
      pending = intervals.concat(pending); // offline for a moment: send them next time
    }).then(function () {
      inFlight = false;
    });
  }

  function beacon() {
    var intervals = take();
    if (!intervals.length && Math.abs((video.currentTime || 0) - sentPosition) < 1) return;
    if (navigator.sendBeacon && navigator.sendBeacon(url, body(intervals))) {
      sentPosition = video.currentTime || 0;
    } else {
      pending = intervals.concat(pending);
    }
  }

  video.addEventListener("loadedmetadata", function () {
    if (resume > 0 && resume < video.duration - 1) video.currentTime = resume;
  });
  video.addEventListener("ratechange", function () {
    if (video.playbackRate > MAX_RATE) video.playbackRate = MAX_RATE;
  });
  video.addEventListener("seeking", close);
  video.addEventListener("pause", function () { close(); send(); });
  video.addEventListener("ended", function () { close(); send(); });
  video.addEventListener("timeupdate", function () {
    if (video.paused || video.seeking) { last = null; return; }
    var now = video.currentTime;
    var previous = last;
    last = now;
    if (previous === null) return;
    if (now > previous && now - previous <= MAX_STEP * Math.max(1, video.playbackRate)) {
      if (current && current[1] === previous) {
        current[1] = now;
      } else {
        if (current && current[1] > current[0]) pending.push(current);
        current = [previous, now];
      }
    } else if (current) {
      if (current[1] > current[0]) pending.push(current);
      current = null;
    }
  });
  window.setInterval(send, REPORT_EVERY);
  window.addEventListener("pagehide", beacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") beacon();
  });
})();
