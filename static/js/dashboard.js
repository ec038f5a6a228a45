// The dashboard's charts (Chart.js, vendored) from the JSON each chart's table is rendered from, and its Print button.
(function () {
  "use strict";
  const COLOURS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384", "#0dcaf0", "#ffc107"];
  const percent = (value) => value.toLocaleString(document.documentElement.lang || "vi") + "%";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const narrow = window.matchMedia("(max-width: 576px)").matches;
    new Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        // A value above the axis' top (reports.charts.Chart.top) is drawn at the top edge, marked by a triangle
        // (lines) or a dark border (bars); its tooltip and the data table give the true value.
        datasets: spec.series.map(function (series, index) {
          const colour = COLOURS[index % COLOURS.length];
          const above = series.values.map(function (value) { return value !== null && value > spec.top; });
          return {
            label: series.label, data: series.values.map(function (value) { return value === null ? null : Math.min(value, spec.top); }),
            borderColor: spec.kind === "bar" ? above.map(function (over) { return over ? "#212529" : colour; }) : colour,
            borderWidth: spec.kind === "bar" ? above.map(function (over) { return over ? 3 : 0; }) : 2,
            pointStyle: above.map(function (over) { return over ? "triangle" : "circle"; }),
            pointRadius: above.map(function (over) { return over ? 7 : 3; }),
            backgroundColor: colour, spanGaps: true, tension: 0.2,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 60, font: { size: narrow ? 10 : 12 } } },
          y: { beginAtZero: true, max: spec.top, ticks: { callback: percent, font: { size: narrow ? 10 : 12 } } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12, font: { size: narrow ? 10 : 12 } } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + percent(spec.series[item.datasetIndex].values[item.dataIndex]); } } },
        },
      },
    });
  });

  // Chart.js does not follow the print layout by itself: draw each chart at its printed size (two side by side
  // on a landscape A4 page, see reports.css), then back at the screen's.
  window.addEventListener("beforeprint", function () {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(480, 260); });
  });
  window.addEventListener("afterprint", function () {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  });
  const print = document.getElementById("print-button");
  if (print) {
    print.addEventListener("click", function () { window.print(); });
  }
})();
