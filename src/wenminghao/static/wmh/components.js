// Alpine components shared by several pages. Alpine runs as its CSP build (no eval): attributes may only read
// properties, compare them and call methods; anything more is a method here or in the feature's own file
// (works/works.js, collectives/formset.js, ledger/entry_form.js, evaluation/weights.js), registered with
// Alpine.data() before Alpine starts (base.html loads Alpine last). Server values come from the page's markup
// (data-* attributes, the form's own fields, json_script), never as JavaScript in an attribute.
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    // A choice that decides which fields show: <div x-data="fieldSwitch" data-field="role"> ... x-show="value ===
    // 'collective'". ``value`` follows the field named data-field inside the element (a select, or radio buttons),
    // starting from what the server rendered as chosen.
    window.Alpine.data("fieldSwitch", function () {
      return {
        value: "",
        init: function () {
          const name = this.$root.dataset.field;
          const fields = this.$root.querySelectorAll("[name='" + name + "']");
          const self = this;
          fields.forEach(function (field) {
            if (field.type === "radio" || field.type === "checkbox") {
              if (field.checked) {
                self.value = field.value;
              }
            } else {
              self.value = field.value;
            }
          });
          this.$root.addEventListener("change", function (event) {
            if (event.target.name === name) {
              self.value = event.target.value;
            }
          });
        },
      };
    });
  });
})();
