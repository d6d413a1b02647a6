// ECharts tooltips as DOM nodes instead of HTML strings. ECharts' own tooltip markup (and each item's ``marker``)
// carries style="" attributes, which the Content-Security-Policy refuses (style-src 'self', core/middleware.py);
// styles set through the CSSOM (element.style) are allowed, and text set with textContent is never run as HTML,
// so names typed by admins need no escaping. Loaded after echarts.min.js by the pages with charts.
(function () {
  "use strict";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // An axis tooltip: a title line, then one line per series (its colour dot, name and value).
  // options.title(items) gives the title (default: the axis label), options.value(item) a value's text (default:
  // the value itself, "—" for none).
  function axisTooltip(options) {
    const settings = options || {};
    return function (params) {
      const items = Array.isArray(params) ? params : [params];
      const box = element("div", "wmh-tip");
      const title = settings.title ? settings.title(items) : items.length ? items[0].axisValueLabel || items[0].name : "";
      box.appendChild(element("div", "wmh-tip-title", title));
      items.forEach(function (item) {
        const line = element("div", "wmh-tip-line");
        const dot = element("span", "wmh-tip-dot");
        if (typeof item.color === "string") {
          dot.style.backgroundColor = item.color;
        }
        line.appendChild(dot);
        line.appendChild(element("span", "wmh-tip-name", item.seriesName));
        const value = settings.value ? settings.value(item)
          : item.value === null || item.value === undefined ? "—" : String(item.value);
        line.appendChild(element("span", "wmh-tip-value", value));
        box.appendChild(line);
      });
      return box;
    };
  }

  window.wmhCharts = { axisTooltip: axisTooltip };
})();
