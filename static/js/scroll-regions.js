// Wide tables scroll sideways inside .table-wrap on a phone. A region that scrolls must be
// reachable by keyboard (WCAG 2.1.1): when a wrapper overflows and holds nothing focusable,
// make it a named, focusable region, so arrow keys scroll it. Loaded as a file (the CSP
// forbids inline scripts); without it the tables still scroll by touch and mouse.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function label(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heading = wrap.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    return heading ? heading.textContent.trim() : "";
  }

  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.hasAttribute("data-scroll-region")) {
        if (wrap.scrollWidth <= wrap.clientWidth) {
          ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
            wrap.removeAttribute(name);
          });
        }
        return;
      }
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.querySelector(FOCUSABLE)) return;
      var name = label(wrap);
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("data-scroll-region", "");
      if (name) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name);
      }
    });
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  });
  update();
})();
