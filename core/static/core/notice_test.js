// The test send of a notice template: posts the edit form as it stands (saved or not) and
// says the result beside the buttons, so the edits stay on the screen. Without this script
// the buttons submit the form to the same address and the server answers with a message.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-notice-test] button[formaction]");
    if (!button || !button.form) return;
    event.preventDefault();
    var box = button.closest("[data-notice-test]");
    var result = box.querySelector("[data-notice-test-result]");
    var data = new FormData(button.form);
    data.set("test_language", button.value);
    box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    result.textContent = box.dataset.sending;
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        result.textContent = answer.message;
        result.dataset.ok = answer.ok ? "1" : "0";
      })
      .catch(function () {
        result.textContent = box.dataset.failed;
        result.dataset.ok = "0";
      })
      .finally(function () {
        box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      });
  });
})();
