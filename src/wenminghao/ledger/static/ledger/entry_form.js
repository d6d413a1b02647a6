// The ledger entry form's study attendance: how many members are ticked, and "全选" / "全不选". The stage of a
// 对标创优 entry (which shows "meets the target") is wmh/components.js's fieldSwitch. Alpine's CSP build: logic here.
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("attendeePicker", function () {
      return {
        n: 0,
        total: 0,
        init: function () {
          this.sync();
        },
        boxes: function () {
          return Array.prototype.slice.call(this.$root.querySelectorAll("input[name=attendees]"));
        },
        sync: function () {
          const boxes = this.boxes();
          this.total = boxes.length;
          this.n = boxes.filter(function (box) { return box.checked; }).length;
        },
        toggle: function () {
          const on = this.n < this.total;
          this.boxes().forEach(function (box) { box.checked = on; });
          this.sync();
        },
        get toggleLabel() {
          return this.n < this.total ? "全选" : "全不选";
        },
      };
    });
  });
})();
