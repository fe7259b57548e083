// The console's only script: CSRF for htmx, confirmation prompts, keyboard navigation in the inbox, and the charts.
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

  // Keyboard navigation in the inbox's lists: j or ArrowDown to the next conversation, k or ArrowUp to the
  // previous one, Enter opens it (the row's link has the focus). The choice survives the list's polling.
  var chosen = null;
  function keyRows() {
    var table = document.querySelector('table[data-keynav]');
    return table ? Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-conversation]')) : [];
  }
  function choose(row) {
    keyRows().forEach(function (r) { r.classList.remove('chosen'); r.removeAttribute('aria-selected'); });
    if (!row) {
      return;
    }
    chosen = row.getAttribute('data-conversation');
    row.classList.add('chosen');
    row.setAttribute('aria-selected', 'true');
    var link = row.querySelector('a');
    if (link) {
      link.focus();
    }
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))) {
      return;
    }
    var rows = keyRows();
    if (!rows.length) {
      return;
    }
    var step = (event.key === 'j' || event.key === 'ArrowDown') ? 1 : (event.key === 'k' || event.key === 'ArrowUp') ? -1 : 0;
    if (!step) {
      return;
    }
    event.preventDefault();
    var at = -1;
    rows.forEach(function (r, i) { if (r.getAttribute('data-conversation') === chosen) { at = i; } });
    choose(rows[at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + step))]);
  });
  document.addEventListener('htmx:afterSwap', function () {
    if (chosen) {
      var again = keyRows().filter(function (r) { return r.getAttribute('data-conversation') === chosen; })[0];
      if (again) {
        choose(again);
      }
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
