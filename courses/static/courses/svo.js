// Autosave of the SVO worksheet form: posts the statements as JSON with the CSRF header a
// moment after typing stops and when the page is hidden. The server answers the new
// lock_version (kept in the form, so a normal submit stays consistent) and the hints; a 409
// means another window saved first: we stop autosaving and say so instead of overwriting.
(function () {
  "use strict";
  var form = document.getElementById("svo-form");
  if (!form || form.dataset.editable !== "1" || !window.fetch || !window.JSON) return;
  var url = form.dataset.autosaveUrl;
  var status = form.querySelector("[data-svo-status]");
  var lock = form.querySelector("input[name=lock_version]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var fields = ["subject", "verb", "object", "medium", "frequency", "count_per_year",
    "minutes_per_case", "purpose", "beneficiary", "idea", "idea_type", "expected_effect"];
  var timer = null, saving = false, dirty = false, stopped = false;

  function rows() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-svo-row]"));
  }
  function collect() {
    return rows().map(function (row, index) {
      var data = {};
      var remove = row.querySelector("input[name$='-remove']");
      if (remove && remove.checked) return null;
      fields.forEach(function (name) {
        var input = row.querySelector("[name$='-" + name + "']");
        data[name] = input ? input.value : "";
      });
      var id = row.querySelector("input[name$='-id']");
      data.id = id && id.value ? parseInt(id.value, 10) : null;
      return data;
    }).filter(Boolean);
  }
  function say(text) { if (status) status.textContent = text; }
  function show(result) {
    var statements = result.statements || [];
    var kept = rows().filter(function (row) {
      var remove = row.querySelector("input[name$='-remove']");
      if (remove && remove.checked) return false;
      return fields.some(function (name) {
        var input = row.querySelector("[name$='-" + name + "']");
        return input && input.value;
      }) || row.querySelector("input[name$='-id']").value;
    });
    kept.forEach(function (row, index) {
      var data = statements[index];
      if (!data) return;
      row.querySelector("input[name$='-id']").value = data.id;
      var hints = row.querySelector("[data-svo-hints]");
      if (hints) {
        Array.prototype.slice.call(hints.querySelectorAll(".svo-hint")).forEach(function (p) { p.remove(); });
        data.findings.forEach(function (finding) {
          var p = document.createElement("p");
          p.className = "svo-hint";
          p.dataset.code = finding.code;
          p.textContent = finding.message;
          hints.insertBefore(p, hints.firstChild);
        });
      }
      var hours = row.querySelector("[data-svo-hours]");
      if (hours) hours.textContent = data.hours_per_year ? data.hours_per_year + " h/year" : "";
    });
  }
  function save() {
    timer = null;
    if (saving || stopped || !dirty) return;
    saving = true; dirty = false;
    say(form.dataset.savingText || "…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ lock_version: parseInt(lock.value, 10), statements: collect() })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (answer) {
      saving = false;
      if (answer.status === 200) {
        lock.value = answer.body.lock_version;
        show(answer.body);
        say("✓ " + new Date().toLocaleTimeString());
        if (dirty) schedule();
      } else if (answer.status === 409) {
        stopped = true;
        say(answer.body.error || "Conflict");
      } else {
        say(answer.body.error || "Error");
      }
    }).catch(function () {
      saving = false; dirty = true;
      say("⚠ offline");
      schedule(5000);
    });
  }
  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay || 1200);
  }
  form.addEventListener("input", function () { dirty = true; schedule(); });
  form.addEventListener("change", function () { dirty = true; schedule(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) save();
  });
})();
