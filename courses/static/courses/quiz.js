// Quiz pages: save each answer on the server as it changes, and show the result when graded.
// Progressive enhancement only: without this script the forms post and the page reloads.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setupAutosave(form) {
    var url = form.dataset.autosaveUrl;
    var timers = {};

    function save(fieldset) {
      var key = fieldset.dataset.question;
      var status = fieldset.querySelector(".quiz-question__saved");
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      data.append("question", key);
      fieldset.querySelectorAll("input, select, textarea").forEach(function (input) {
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
        data.append(input.name, input.value);
      });
      if (status) status.textContent = form.dataset.textSaving;
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(form) },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!status) return;
            status.textContent = body.saved ? form.dataset.textSaved : body.error || form.dataset.textFailed;
          });
        })
        .catch(function () {
          if (status) status.textContent = form.dataset.textFailed;
        });
    }

    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest("fieldset[data-question]");
      if (fieldset) save(fieldset);
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "text" && event.target.type !== "textarea") return;
      var fieldset = event.target.closest("fieldset[data-question]");
      if (!fieldset) return;
      var key = fieldset.dataset.question;
      clearTimeout(timers[key]);
      timers[key] = setTimeout(function () { save(fieldset); }, 800);
    });
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        // One submit per click: a second click would only repeat it.
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  }

  // A question counts as answered as the server counts it (selectors.unanswered_questions):
  // a choice ticked, or text that is not only spaces; a matching question once every item
  // has its answer chosen.
  function isAnswered(fieldset) {
    var selects = fieldset.querySelectorAll("select");
    if (fieldset.hasAttribute("data-all-items")) {
      return Array.prototype.every.call(selects, function (select) { return select.value !== ""; });
    }
    return Array.prototype.some.call(fieldset.querySelectorAll("input, textarea"), function (input) {
      if (input.type === "radio" || input.type === "checkbox") return input.checked;
      if (input.type === "text" || input.type === "textarea") return input.value.trim() !== "";
      return false;
    });
  }

  function unanswered(form) {
    return Array.prototype.filter.call(
      form.querySelectorAll("fieldset[data-question]"),
      function (fieldset) { return !isAnswered(fieldset); }
    );
  }

  // "n / 15 answered", kept up to date as the learner answers (the server renders the first).
  function setupProgress(form) {
    var progress = document.querySelector("[data-quiz-progress]");
    if (!progress) return;
    var total = form.querySelectorAll("fieldset[data-question]").length;
    function update() {
      var count = total - unanswered(form).length;
      progress.textContent = progress.dataset.textTemplate.replace("{answered}", String(count));
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
  }

  // Before a submit that leaves questions unanswered, ask in a native dialog (keyboard: the
  // dialog takes focus, Esc goes back). Without the dialog the server asks on its own page.
  function setupConfirm(form) {
    var dialog = document.querySelector("dialog[data-quiz-confirm]");
    var flag = form.querySelector("[data-confirm-blanks]");
    var submit = form.querySelector("[data-quiz-submit]");
    if (!dialog || !flag || !submit || typeof dialog.showModal !== "function") return;
    var text = dialog.querySelector("[data-quiz-confirm-text]");
    var blanks = [];

    form.addEventListener("submit", function (event) {
      if (event.submitter !== submit || flag.value === "1") return;
      blanks = unanswered(form);
      if (!blanks.length) return;
      event.preventDefault();
      event.stopImmediatePropagation(); // the buttons stay usable while the dialog is open
      var labels = blanks.map(function (fieldset) {
        var number = fieldset.querySelector(".quiz-question__number");
        return number ? number.textContent.trim() : "";
      });
      var template = blanks.length === 1 ? dialog.dataset.textOne : dialog.dataset.textOther;
      text.textContent = template.replace("{questions}", labels.join(dialog.dataset.separator));
      dialog.showModal();
    });
    dialog.querySelector("[data-quiz-confirm-back]").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (flag.value === "1" || !blanks.length) return;
      var first = blanks[0].querySelector("input, select, textarea");
      blanks[0].scrollIntoView({ block: "start" });
      if (first) first.focus();
    });
    dialog.querySelector("[data-quiz-confirm-submit]").addEventListener("click", function () {
      flag.value = "1";
      dialog.close();
      form.requestSubmit(submit);
    });
  }

  function setupPolling(region) {
    var url = region.dataset.statusUrl;
    var delay = 1000;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.html) region.innerHTML = body.html;
          if (body.done) return;
          delay = Math.min(delay * 1.5, 10000);
          setTimeout(poll, delay);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 500);
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(function (form) {
    setupConfirm(form); // first: its submit handler may stop the submit before it happens
    setupAutosave(form);
    setupProgress(form);
  });
  document.querySelectorAll("[data-status-url]").forEach(setupPolling);
})();
