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
      fieldset.querySelectorAll("input").forEach(function (input) {
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
      if (event.target.type !== "text") return;
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

  document.querySelectorAll("form[data-autosave-url]").forEach(setupAutosave);
  document.querySelectorAll("[data-status-url]").forEach(setupPolling);
})();
