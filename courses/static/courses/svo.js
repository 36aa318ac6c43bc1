// The SVO worksheet form, enhanced. Without this script the form still works: buttons save,
// move, remove, add and submit through the server.
//
// Autosave posts the statements as JSON with the CSRF header a moment after typing stops and
// when the page is hidden. The server answers the new lock_version (kept in the form, so a
// normal submit stays consistent) and the hints; a 409 means another window saved first: we
// stop autosaving and say so instead of overwriting.
//
// Rows: "Add a statement" copies the <template> row in place (or focuses the empty last row);
// "Move up"/"Move down" move the row at once and keep the focus on the pressed button;
// ticking "Remove" drops the row at the next save. Every change is announced in the status
// line, whose texts come translated from the form's data-text-* attributes.
(function () {
  "use strict";
  var form = document.getElementById("svo-form");
  if (!form || form.dataset.editable !== "1" || !window.fetch || !window.JSON) return;
  var url = form.dataset.autosaveUrl;
  var list = form.querySelector(".svo-statements");
  var status = form.querySelector("[data-svo-status]");
  var lock = form.querySelector("input[name=lock_version]");
  var rowCount = form.querySelector("input[name=rows]");
  var template = document.getElementById("svo-row-template");
  var addButton = form.querySelector("[data-svo-add]");
  var maxRows = parseInt(form.dataset.maxRows || "50", 10);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var fields = ["subject", "verb", "object", "medium", "frequency", "count_per_year",
    "minutes_per_case", "purpose", "beneficiary", "idea", "idea_type", "expected_effect"];
  var timer = null, saving = false, dirty = false, stopped = false;

  function text(name, replacements) {
    var value = form.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
    Object.keys(replacements || {}).forEach(function (key) {
      value = value.replace("__" + key + "__", replacements[key]);
    });
    return value;
  }
  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-svo-row]"));
  }
  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }
  function isRemoved(row) {
    var remove = row.querySelector("[data-svo-remove]");
    return Boolean(remove && remove.checked);
  }
  function hasContent(row) {
    var id = field(row, "id");
    return Boolean(id && id.value) || fields.some(function (name) {
      var input = field(row, name);
      return input && input.value;
    });
  }
  function collect() {
    return rows().filter(function (row) { return !isRemoved(row); }).map(function (row) {
      var data = {};
      fields.forEach(function (name) {
        var input = field(row, name);
        data[name] = input ? input.value : "";
      });
      var id = field(row, "id");
      data.id = id && id.value ? parseInt(id.value, 10) : null;
      return data;
    });
  }
  function say(message) { if (status && message) status.textContent = message; }

  // A number the server cannot read is refused with the whole save (nothing is dropped):
  // the error goes beside its field, tied to it for screen readers, until a save succeeds.
  function clearFieldErrors() {
    Array.prototype.slice.call(form.querySelectorAll("[data-svo-field-error]")).forEach(function (p) {
      var input = form.querySelector("[aria-describedby='" + p.id + "']");
      if (input) { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
      p.remove();
    });
  }
  function showFieldErrors(errors) {
    clearFieldErrors();
    var kept = rows().filter(function (row) { return !isRemoved(row); });
    errors.forEach(function (error) {
      var row = kept[error.row];
      var input = row && field(row, error.field);
      if (!input) return;
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = input.name + "-error";
      p.dataset.svoFieldError = "";
      p.textContent = error.message;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
      input.closest("label").insertAdjacentElement("afterend", p);
    });
  }

  // Form names follow the row order (s-0-..., s-1-...), so a plain submit after a move
  // posts the rows in the order shown.
  function renumber() {
    rows().forEach(function (row, index) {
      Array.prototype.slice.call(row.querySelectorAll("[name]")).forEach(function (input) {
        input.name = input.name.replace(/^s-(\d+|__i__)-/, "s-" + index + "-");
      });
      Array.prototype.slice.call(row.querySelectorAll("[data-svo-move]")).forEach(function (button) {
        button.value = button.dataset.svoMove + "-" + index;
      });
      var legend = row.querySelector("legend");
      if (legend && field(row, "id").value) {
        legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
      }
    });
    rowCount.value = rows().length;
    if (addButton) addButton.setAttribute("aria-disabled", rows().length >= maxRows ? "true" : "false");
  }

  function show(result) {
    var statements = result.statements || [];
    var kept = rows().filter(function (row) { return !isRemoved(row) && hasContent(row); });
    kept.forEach(function (row, index) {
      var data = statements[index];
      if (!data) return;
      field(row, "id").value = data.id;
      var hints = row.querySelector("[data-svo-hints]");
      if (hints) {
        Array.prototype.slice.call(hints.querySelectorAll(".svo-hint")).forEach(function (p) { p.remove(); });
        data.findings.slice().reverse().forEach(function (finding) {
          var p = document.createElement("p");
          p.className = "svo-hint";
          p.dataset.code = finding.code;
          p.textContent = finding.message;
          hints.insertBefore(p, hints.firstChild);
        });
      }
      var hours = row.querySelector("[data-svo-hours]");
      if (hours) hours.textContent = data.hours_per_year ? text("hours", { h: data.hours_per_year }) : "";
    });
    dropRemoved();
  }
  function dropRemoved() {
    var removed = rows().filter(isRemoved);
    if (!removed.length) return;
    var focusLost = removed.some(function (row) { return row.contains(document.activeElement); });
    removed.forEach(function (row) { row.remove(); });
    renumber();
    if (focusLost) {
      var first = rows()[0];
      (first ? field(first, "subject") : addButton).focus();
    }
    say(text("removed"));
  }

  function save() {
    timer = null;
    if (saving || stopped || !dirty) return;
    saving = true; dirty = false;
    say(text("saving"));
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
        clearFieldErrors();
        show(answer.body);
        if (!rows().some(isRemoved)) say(text("saved") + " " + new Date().toLocaleTimeString());
        if (dirty) schedule();
      } else if (answer.status === 409) {
        stopped = true;
        say(answer.body.error || text("error"));
      } else if (answer.body.field_errors) {
        showFieldErrors(answer.body.field_errors);
        say(text("fieldErrors"));
      } else {
        say(answer.body.error || text("error"));
      }
    }).catch(function () {
      saving = false; dirty = true;
      say(text("offline"));
      schedule(5000);
    });
  }
  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay || 1200);
  }
  function changed() { dirty = true; schedule(); }

  function addRow() {
    var all = rows();
    var last = all[all.length - 1];
    if (last && !hasContent(last)) {  // an empty row is already there: use it
      field(last, "subject").focus();
      return;
    }
    if (all.length >= maxRows || !template) {
      say(text("max"));
      return;
    }
    var fragment = template.content.cloneNode(true);
    var row = fragment.querySelector("[data-svo-row]");
    list.appendChild(fragment);
    renumber();
    field(row, "subject").focus();
    say(text("added"));
  }
  function move(button) {
    var row = button.closest("[data-svo-row]");
    var up = button.dataset.svoMove === "up";
    var sibling = up ? row.previousElementSibling : row.nextElementSibling;
    if (sibling) {
      list.insertBefore(row, up ? sibling : sibling.nextElementSibling);
      renumber();
      changed();
    }
    button.focus();
    say(text("moved", { n: rows().indexOf(row) + 1 }));
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-svo-add")) {
      event.preventDefault();
      addRow();
    } else if (button.hasAttribute("data-svo-move")) {
      event.preventDefault();
      move(button);
    }
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-svo-remove")) {
      var row = event.target.closest("[data-svo-row]");
      row.classList.toggle("svo-statement--removing", event.target.checked);
      if (event.target.checked) say(text("removing", { n: rows().indexOf(row) + 1 }));
    }
    changed();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) save();
  });
})();
