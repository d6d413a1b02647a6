// The indicator dashboard's charts (Apache ECharts, vendored): the four activities (bars), entries by month (lines)
// and the units side by side (stacked bars). The numbers come from the json_script element "dashboard-data" (the
// Content-Security-Policy forbids inline scripts); the table beside each chart holds the same numbers. On a narrow
// screen the axes use smaller, rotated or cut labels, and every chart is redrawn when its box changes size.
(function () {
  "use strict";
  var ACTIVITY_COLORS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1"];
  var RED = "#c8161d";
  var NARROW = 480;

  function isNarrow(element) {
    return element.clientWidth < NARROW;
  }

  function legend(narrow) {
    // On a phone, small enough for four or five names to fit on one line; more pages if they do not.
    return narrow ? { top: 0, type: "scroll", icon: "circle", itemWidth: 9, itemHeight: 9, itemGap: 6,
      textStyle: { fontSize: 11 } }
      : { top: 0, type: "scroll" };
  }

  function grid(right) {
    return { left: 8, right: right || 12, top: 40, bottom: 8, containLabel: true };
  }

  function activities(element, data) {
    var narrow = isNarrow(element);
    return {
      color: [RED, "#6c757d"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: window.wmhCharts.axisTooltip() },
      legend: legend(narrow),
      grid: grid(),
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, fontSize: narrow ? 11 : 12 } },
      yAxis: [
        { type: "value", name: "集体", minInterval: 1, max: data.creating > 0 ? data.creating : null },
        { type: "value", name: "记录", minInterval: 1, splitLine: { show: false } }
      ],
      series: [
        { name: "参与集体", type: "bar", data: data.collectives, barMaxWidth: 32, label: { show: true, position: "top" } },
        { name: "台账记录", type: "bar", yAxisIndex: 1, data: data.entries, barMaxWidth: 32,
          label: { show: true, position: "top" } }
      ]
    };
  }

  function months(element, data) {
    var narrow = isNarrow(element);
    var lines = [{ name: "合计", type: "line", data: data.total, lineStyle: { width: 3 }, symbolSize: 6 }];
    data.series.forEach(function (line) {
      lines.push({ name: line.name, type: "line", data: line.data, symbolSize: 4, lineStyle: { width: 1.5 } });
    });
    return {
      color: [RED].concat(ACTIVITY_COLORS),
      tooltip: { trigger: "axis", formatter: window.wmhCharts.axisTooltip() },
      legend: legend(narrow),
      grid: grid(28),  // room for the last month's label, centred on the axis's end
      xAxis: {
        type: "category", boundaryGap: false, data: data.labels,
        axisLabel: {
          hideOverlap: true, rotate: narrow && data.labels.length > 6 ? 45 : 0, fontSize: narrow ? 11 : 12,
          formatter: function (value) { return narrow ? value.slice(2).replace("-", "/") : value; }
        }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: lines
    };
  }

  function units(element, data) {
    var narrow = isNarrow(element);
    element.style.height = Math.max(200, data.labels.length * (narrow ? 32 : 36) + 80) + "px";
    return {
      color: ACTIVITY_COLORS,
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        // Built as DOM text (wmh/charts.js): a unit's name is typed by an admin and is never read as HTML.
        formatter: window.wmhCharts.axisTooltip({
          title: function (items) {
            var index = items[0].dataIndex;
            return data.names[index] + "（创建集体 " + data.creating[index] + " 个）";
          },
          value: function (item) { return item.value + " 条"; }
        })
      },
      legend: legend(narrow),
      grid: grid(),
      xAxis: { type: "value", minInterval: 1, name: narrow ? "" : "台账记录" },
      yAxis: {
        type: "category", inverse: true, data: data.labels,
        axisLabel: { width: narrow ? 80 : 150, overflow: "truncate", fontSize: narrow ? 11 : 12 }
      },
      series: data.series.map(function (line) {
        return { name: line.name, type: "bar", stack: "entries", data: line.data, barMaxWidth: 22 };
      })
    };
  }

  function draw(id, build, data) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = window.echarts.init(element);
    var wasNarrow = null;
    function render() {
      var narrow = isNarrow(element);
      if (narrow !== wasNarrow) {
        chart.setOption(build(element, data), true);
        wasNarrow = narrow;
      }
      chart.resize();
    }
    render();
    if (typeof window.ResizeObserver === "function") {
      new window.ResizeObserver(render).observe(element);
    } else {
      window.addEventListener("resize", render);
    }
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    draw("chart-activities", activities, data.activities);
    draw("chart-months", months, data.months);
    draw("chart-units", units, data.units);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
