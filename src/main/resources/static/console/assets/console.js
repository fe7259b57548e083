// The console's only script: CSRF for htmx, confirmation prompts, and the learning page's charts.
(function () {
  'use strict';

  // htmx requests carry the CSRF token the page was rendered with, as Spring Security expects.
  document.addEventListener('htmx:configRequest', function (event) {
    var header = document.querySelector('meta[name="csrf-header"]');
    var token = document.querySelector('meta[name="csrf-token"]');
    if (header && token) {
      event.detail.headers[header.content] = token.content;
    }
  });

  // Forms that change something hard to undo (STOP, cancelling a run) ask first.
  document.addEventListener('submit', function (event) {
    var message = event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  var palette = ['#1d5fa8', '#c0392b', '#2e8b57', '#b8860b'];

  // Charts read their data from an escaped data-chart attribute: {labels: [...], series: [{name, data}]}.
  document.addEventListener('DOMContentLoaded', function () {
    if (typeof Chart === 'undefined') {
      return;
    }
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute('data-chart'));
      canvas.chart = new Chart(canvas, {
        type: canvas.getAttribute('data-kind') || 'bar',
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) {
            return { label: s.name, data: s.data, backgroundColor: palette[i % palette.length] };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
      });
    });
  });
})();
