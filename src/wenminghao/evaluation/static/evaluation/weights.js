// The weights form: the live sum of the five weights (the fields marked data-weight), which must be 100. The server
// checks the same rule (services.assessments); this only shows it while typing. Alpine's CSP build: logic here.
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("weightsTotal", function () {
      return {
        total: 0,
        init: function () {
          this.sync();
        },
        sync: function () {
          let sum = 0;
          this.$root.querySelectorAll("[data-weight]").forEach(function (field) {
            sum += Number(field.value) || 0;
          });
          this.total = sum;
        },
        get complete() {
          return this.total === 100;
        },
      };
    });
  });
})();
