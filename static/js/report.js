// Draws the report's charts from the JSON that the page embeds, and wires the print button.
(function () {
  "use strict";

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var blue = "#1f4e8c";
  var orange = "#a4400b";
  var grid = "#6c757d";

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";
  if (reduceMotion) { Chart.defaults.animation = false; }

  // Long dimension names are cut off at the canvas edge on phones: break them into lines.
  function wrap(label) {
    var lines = [];
    String(label).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= 14) { lines[last] += " " + word; }
      else { lines.push(word); }
    });
    return lines;
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  // Legends draw each dataset's point style, not a box stroked with the line's dash pattern.
  var legend = { labels: { usePointStyle: true, padding: 16 } };

  var radarSets = [{
    label: data.radar.label,
    data: data.radar.values,
    borderColor: blue,
    backgroundColor: "rgba(31, 78, 140, 0.15)",
    pointBackgroundColor: blue,
    pointStyle: "rectRot",
    pointRadius: 5
  }];
  if (data.radar.previous) {
    radarSets.push({
      label: data.radar.previousLabel,
      data: data.radar.previous,
      borderColor: orange,
      backgroundColor: "transparent",
      borderDash: [6, 4],
      pointBackgroundColor: orange,
      pointStyle: "triangle",
      pointRadius: 4
    });
  }

  draw("radar-chart", {
    type: "radar",
    data: { labels: data.radar.labels.map(wrap), datasets: radarSets },
    options: {
      maintainAspectRatio: false,
      layout: { padding: 4 },
      plugins: { legend: legend },
      // The scale numbers sit on a white backdrop beside the top axis, above the shapes.
      scales: { r: { min: 0, max: 4, beginAtZero: true,
                     ticks: { stepSize: 1, z: 1, showLabelBackdrop: true, backdropColor: "rgba(255, 255, 255, 0.85)",
                              font: { size: 11 } },
                     pointLabels: { font: function (ctx) { return { size: ctx.chart.width < 400 ? 11 : 13 }; } },
                     grid: { color: grid }, angleLines: { color: grid } } }
    }
  });

  draw("phase-chart", {
    type: "bar",
    data: {
      labels: data.phases.labels,
      datasets: [
        { type: "bar", label: data.phases.fulfilmentLabel, data: data.phases.fulfilment,
          backgroundColor: blue, borderColor: blue, pointStyle: "rect", order: 2 },
        { type: "line", label: data.phases.thresholdLabel, data: data.phases.threshold,
          borderColor: orange, backgroundColor: orange, borderDash: [6, 4], pointStyle: "triangle",
          pointRadius: 6, fill: false, order: 1 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: legend },
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }
    }
  });

  draw("history-chart", {
    type: "line",
    data: {
      labels: data.history.labels,
      datasets: [{ label: data.history.label, data: data.history.values, borderColor: blue,
                   backgroundColor: blue, pointStyle: "circle", pointRadius: 5 }]
    },
    options: { maintainAspectRatio: false, plugins: { legend: legend },
               scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 } } } }
  });
})();
