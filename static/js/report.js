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

  draw("radar-chart", {
    type: "radar",
    data: {
      labels: data.radar.labels.map(wrap),
      datasets: [{
        label: data.radar.label,
        data: data.radar.values,
        borderColor: blue,
        backgroundColor: "rgba(31, 78, 140, 0.15)",
        pointBackgroundColor: blue,
        pointStyle: "rectRot",
        pointRadius: 5
      }]
    },
    options: {
      maintainAspectRatio: false,
      layout: { padding: 6 },
      scales: { r: { min: 0, max: 4, ticks: { stepSize: 1, backdropColor: "transparent" },
                     pointLabels: { font: function (ctx) { return { size: ctx.chart.width < 400 ? 10 : 12 }; } },
                     grid: { color: grid }, angleLines: { color: grid } } }
    }
  });

  draw("phase-chart", {
    type: "bar",
    data: {
      labels: data.phases.labels,
      datasets: [
        { type: "bar", label: data.phases.fulfilmentLabel, data: data.phases.fulfilment,
          backgroundColor: blue, borderColor: blue, order: 2 },
        { type: "line", label: data.phases.thresholdLabel, data: data.phases.threshold,
          borderColor: orange, backgroundColor: orange, borderDash: [6, 4], pointStyle: "triangle",
          pointRadius: 6, fill: false, order: 1 }
      ]
    },
    options: {
      maintainAspectRatio: false,
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
    options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 } } } }
  });
})();
