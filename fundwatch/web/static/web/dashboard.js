// Dashboard charts from the figures the page embeds; ECharts is served from the platform itself.
(function () {
  var figures = JSON.parse(document.getElementById("figures").textContent);
  var colours = { red: "#d62728", orange: "#ff7f0e", yellow: "#e6c200", blue: "#1f77b4", green: "#2ca02c" };
  var regions = figures.by_region.slice().reverse();
  var regionChart = echarts.init(document.getElementById("chart-region"));
  regionChart.setOption({
    grid: { left: 130, right: 30, top: 10, bottom: 30 },
    tooltip: {},
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: regions.map(function (r) { return r.name; }) },
    series: [{ type: "bar", barMaxWidth: 26, data: regions.map(function (r) { return r.value; }), itemStyle: { color: "#b03a2e" },
               label: { show: true, position: "right" } }]
  });
  var gradeChart = echarts.init(document.getElementById("chart-grade"));
  gradeChart.setOption({
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["40%", "70%"],
               data: figures.by_grade.filter(function (g) { return g.value > 0; }).map(function (g) {
                 return { name: g.name, value: g.value, itemStyle: { color: colours[g.key] } };
               }) }]
  });
  window.addEventListener("resize", function () { regionChart.resize(); gradeChart.resize(); });
})();
