// The structure page's bar chart: each child unit's shares of former holders, non-public and social
// organisations, with the campaign's targets as dashed lines. Data comes from a json_script element
// (the Content-Security-Policy forbids inline scripts).
(function () {
  function draw() {
    var source = document.getElementById("structure-data");
    var target = document.getElementById("structure-chart");
    if (!source || !target || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var colors = ["#c8161d", "#e49b0f", "#2f7ebc"];
    var chart = window.echarts.init(target);
    chart.setOption({
      color: colors,
      tooltip: {
        trigger: "axis",
        // DOM nodes, not ECharts' HTML with style attributes (the CSP: wmh/charts.js)
        formatter: window.wmhCharts.axisTooltip({
          value: function (item) { return item.value === null || item.value === undefined ? "无创建集体" : item.value + "%"; }
        })
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 40, bottom: 60 },
      xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map(function (line) {
        return {
          name: line.name,
          type: "bar",
          data: line.data,
          markLine: {
            symbol: "none",
            lineStyle: { type: "dashed" },
            label: { position: "insideEndTop", formatter: line.name.replace("集体", "") + "目标 " + line.target + "%" },
            data: [{ yAxis: line.target }]
          }
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
