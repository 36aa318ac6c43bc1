// A tiny SCORM 2004 SCO for the tests: two questions, resume by cmi.location, no sequencing.
(function () {
  "use strict";
  function findAPI(win) {
    for (var i = 0; win && i < 10; i += 1) {
      if (win.API_1484_11) { return win.API_1484_11; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window);
  var started = Date.now();
  function show(id) {
    ["p1", "p2", "result"].forEach(function (name) {
      document.getElementById(name).hidden = name !== id;
    });
  }
  function sessionTime() {
    return "PT" + Math.round((Date.now() - started) / 1000) + "S";
  }
  function choice(name) {
    var checked = document.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : "";
  }
  api.Initialize("");
  var state = {};
  try { state = JSON.parse(api.GetValue("cmi.suspend_data") || "{}"); } catch (e) { state = {}; }
  if (api.GetValue("cmi.location") === "p2") {
    document.getElementById("resumed").hidden = false;
    show("p2");
  } else {
    show("p1");
    api.SetValue("cmi.completion_status", "incomplete");
  }
  document.getElementById("next").addEventListener("click", function () {
    state.p1 = choice("p1");
    api.SetValue("cmi.suspend_data", JSON.stringify(state));
    api.SetValue("cmi.location", "p2");
    api.SetValue("cmi.exit", "suspend");
    api.SetValue("cmi.session_time", sessionTime());
    api.Commit("");
    show("p2");
  });
  document.getElementById("finish").addEventListener("click", function () {
    state.p2 = choice("p2");
    var right = (state.p1 === "verify" ? 1 : 0) + (state.p2 === "shred" ? 1 : 0);
    var scaled = right / 2;
    api.SetValue("cmi.suspend_data", JSON.stringify(state));
    api.SetValue("cmi.score.scaled", String(scaled));
    api.SetValue("cmi.score.raw", String(right * 50));
    api.SetValue("cmi.score.min", "0");
    api.SetValue("cmi.score.max", "100");
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", scaled >= 0.8 ? "passed" : "failed");
    api.SetValue("cmi.location", "end");
    api.SetValue("cmi.exit", "normal");
    api.SetValue("cmi.session_time", sessionTime());
    api.Commit("");
    api.Terminate("");
    var result = document.getElementById("result");
    result.textContent = "終了しました。得点 " + (right * 50) + " 点";
    show("result");
  });
})();
