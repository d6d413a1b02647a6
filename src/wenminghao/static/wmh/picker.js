// The collective picker of the forms (templates/partials/collective_picker.html), for every app: evaluation's
// training, exchange and pair forms, the joint projects' form and partner form. No inline scripts (CSP): behaviour by
// delegation on data attributes.
(function () {
  "use strict";

  // A search result ticked moves to the picked list (for a single choice, it replaces what was picked); a picked
  // one unticked leaves the list. The results come from htmx (partials/collective_options.html).
  document.addEventListener("change", function (event) {
    const input = event.target;
    const picker = input.closest("[data-picker]");
    if (!picker || input.type !== "checkbox") {
      return;
    }
    const item = input.closest("li");
    const picked = picker.querySelector("[data-picker-picked]");
    if (input.hasAttribute("data-option") && input.checked) {
      input.removeAttribute("data-option");
      item.classList.remove("list-group-item-action");
      if (picker.dataset.multiple !== "1") {
        picked.replaceChildren();
      }
      picked.appendChild(item);
      const search = picker.querySelector("[data-picker-search]");
      if (picker.dataset.multiple !== "1") {
        picker.querySelector("[data-picker-options]").replaceChildren();
        if (search) { search.value = ""; }
      }
    } else if (!input.checked && picked.contains(item)) {
      item.remove();
    }
  });

  // Enter in a picker's search box searches; it does not send the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-picker-search]")) {
      event.preventDefault();
      if (window.htmx) { window.htmx.trigger(event.target, "search"); }
    }
  });
})();
