// The operators' pages (leads, sequences, scripts): small helpers the content security policy allows (no inline scripts).
(function () {
  'use strict';

  // A box with data-tick-all="name" ticks or clears every checkbox of that name.
  document.addEventListener('change', function (event) {
    var name = event.target.getAttribute && event.target.getAttribute('data-tick-all');
    if (!name) {
      return;
    }
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
