// The collective form's formsets (members, honours): "add a row" copies the blank row (the <template x-ref="blank">
// of collectives/_formset.html) with the next form index and counts it in TOTAL_FORMS. Alpine's CSP build: the
// logic is here, the template only names it.
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("formset", function () {
      return {
        total: 0,
        max: 1000,
        init: function () {
          this.total = parseInt(this.$root.dataset.total || "0", 10);
          this.max = parseInt(this.$root.dataset.max || "1000", 10);
        },
        get full() {
          return this.total >= this.max;
        },
        add: function () {
          if (this.full) {
            return;
          }
          const row = this.$refs.blank.innerHTML.split("__prefix__").join(String(this.total));
          this.$refs.rows.insertAdjacentHTML("beforeend", row);
          this.total++;
        },
      };
    });
  });
})();
