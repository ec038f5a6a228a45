/* The searchable unit picker (units.forms.UnitPicker), on top of htmx.
 *
 * The search box has no name, so it is never submitted with the form: what is typed goes to units:search as
 * `q`, with the current choice as `current` (the answer leaves it out). The answer replaces the "units found"
 * group of the select; the current choice is moved out of that group first, so it survives a new search.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-unit-picker-search]").forEach(function (input) { input.hidden = false; });

  function parts(input) {
    var select = input.closest("[data-unit-picker]").querySelector("select");
    return { select: select, results: select.querySelector("optgroup[id$='-results']") };
  }

  document.body.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input.matches("[data-unit-picker-search]")) return;
    var picker = parts(input);
    var chosen = picker.select.selectedOptions[0];
    Array.prototype.slice.call(picker.select.options).forEach(function (option) {
      if (option.parentNode === picker.select && option.value && option !== chosen) option.remove();
    });
    if (chosen && chosen.parentNode === picker.results) picker.select.insertBefore(chosen, picker.results);
    event.detail.parameters.q = input.value;
    if (picker.select.value) event.detail.parameters.current = picker.select.value;
  });

  // Show the matches as an open list to click in; it closes again once a unit is chosen.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.elt.matches("[data-unit-picker-search]")) return;
    var picker = parts(event.detail.elt);
    picker.results.hidden = false;
    picker.select.size = Math.min(Math.max(picker.select.options.length, 2), 8);
  });
  document.body.addEventListener("change", function (event) {
    if (event.target.matches("[data-unit-picker] select")) event.target.removeAttribute("size");
  });
})();
