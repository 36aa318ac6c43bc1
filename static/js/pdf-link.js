// Links to PDFs made on request (guidebook editions, certificates) take a second or three.
// On click: say that the PDF is being prepared (a live region, read out by screen readers),
// mark the link busy so a second click does nothing, fetch the PDF, then hand it to the
// browser as a download and clear the message. Loaded as a file (the CSP forbids inline
// scripts); without it, or if anything fails, the plain link is followed as usual.
(function () {
  "use strict";

  function filename(response, link) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : link.pathname.split("/").filter(Boolean).pop() || "document.pdf";
  }

  function finish(link, status, message) {
    link.removeAttribute("aria-disabled");
    link.classList.remove("is-busy");
    status.textContent = message || "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-pdf-link]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    var status = link.nextElementSibling;
    if (!status || !status.classList.contains("pdf-status")) {
      status = document.createElement("span");
      status.className = "pdf-status";
      status.setAttribute("role", "status");
      link.insertAdjacentElement("afterend", status);
    }
    link.setAttribute("aria-disabled", "true");
    link.classList.add("is-busy");
    status.textContent = link.getAttribute("data-pdf-preparing");
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/pdf") !== 0) throw new Error(response.status);
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = filename(response, link);
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          finish(link, status, "");
        });
      })
      .catch(function () {
        finish(link, status, link.getAttribute("data-pdf-failed"));
      });
  });
})();
