// A tiny SCORM 1.2 SCO for the tests: two questions, resume by lesson_location.
(function () {
  "use strict";
  function findAPI(win) {
    for (var i = 0; win && i < 10; i += 1) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  var started = Date.now();
  function show(id) {
    ["q1", "q2", "result"].forEach(function (name) {
      document.getElementById(name).hidden = name !== id;
    });
  }
  function sessionTime() {
    var s = Math.round((Date.now() - started) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return String(h).padStart(4, "0") + ":" + String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
  }
  function choice(name) {
    var checked = document.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : "";
  }
  api.LMSInitialize("");
  var state = {};
  try { state = JSON.parse(api.LMSGetValue("cmi.suspend_data") || "{}"); } catch (e) { state = {}; }
  if (api.LMSGetValue("cmi.core.lesson_location") === "q2") {
    document.getElementById("resumed").hidden = false;
    show("q2");
  } else {
    show("q1");
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  document.getElementById("next").addEventListener("click", function () {
    state.q1 = choice("q1");
    api.LMSSetValue("cmi.suspend_data", JSON.stringify(state));
    api.LMSSetValue("cmi.core.lesson_location", "q2");
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSSetValue("cmi.core.session_time", sessionTime());
    api.LMSCommit("");
    show("q2");
  });
  document.getElementById("finish").addEventListener("click", function () {
    state.q2 = choice("q2");
    var score = (state.q1 === "report" ? 50 : 0) + (state.q2 === "approval" ? 50 : 0);
    api.LMSSetValue("cmi.suspend_data", JSON.stringify(state));
    api.LMSSetValue("cmi.core.score.raw", String(score));
    api.LMSSetValue("cmi.core.lesson_status", score >= 80 ? "passed" : "failed");
    api.LMSSetValue("cmi.core.lesson_location", "end");
    api.LMSSetValue("cmi.core.exit", "");
    api.LMSSetValue("cmi.core.session_time", sessionTime());
    api.LMSCommit("");
    api.LMSFinish("");
    var result = document.getElementById("result");
    result.textContent = "終了しました。得点 " + score + " 点";
    show("result");
  });
})();
