// Draws the group board's dimension profiles (the heat-map table above stands in without it).
(function () {
  "use strict";
  var source = document.getElementById("board-chart-data");
  var canvas = document.getElementById("profile-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1f4e8c", "#a4400b", "#2e6b30", "#6f42c1", "#8a5a00", "#0b6e75", "#9c2a5e", "#495057"];
  var styles = ["circle", "triangle", "rect", "rectRot", "star", "cross", "crossRot", "rectRounded"];
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) { Chart.defaults.animation = false; }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set, i) {
        return {
          label: set.label,
          data: set.values,
          backgroundColor: colours[i % colours.length],
          pointStyle: styles[i % styles.length]
        };
      })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // The axis says what the bars measure: the index per dimension, 0 to 4.
      scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 },
                     title: { display: !!canvas.dataset.yTitle, text: canvas.dataset.yTitle } } },
      plugins: { legend: { labels: { usePointStyle: true } } }
    }
  });
}());
