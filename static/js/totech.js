/* Behaviours any page may ask for in its markup: the Content-Security-Policy runs no inline script.
 *
 *   <select data-submit-on-change>    submits its form when another option is chosen (language, period)
 *   data-confirm="Question?"          on a form or on one of its submit buttons: asks before sending
 *   data-progress="42"                a Bootstrap progress bar 42 % wide (htmx swaps new ones in)
 *   <button data-print>               prints the page
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-submit-on-change]") && event.target.form) event.target.form.submit();
  });

  // Capturing, so that a refusal also stops the form's own handlers (which may send it with fetch).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  function widen(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-progress]"));
    if (root.matches && root.matches("[data-progress]")) bars.push(root);
    bars.forEach(function (bar) { bar.style.width = bar.getAttribute("data-progress") + "%"; });
  }
  widen(document);
  document.addEventListener("htmx:load", function (event) { widen(event.target); });
})();
