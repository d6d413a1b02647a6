// Training pages: "select all" on a training's attendance list. (The collective pickers of the forms are the
// platform's one picker: static wmh/picker.js.) No inline scripts (CSP): behaviour by delegation on data attributes.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-check-all]");
    if (!button) {
      return;
    }
    const scope = button.closest("[data-check-scope]");
    const value = button.dataset.checkAll === "1";
    scope.querySelectorAll("input[type=checkbox][name=attended]:not(:disabled)").forEach(function (box) {
      box.checked = value;
    });
  });
})();
