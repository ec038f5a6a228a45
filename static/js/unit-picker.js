/* The searchable unit picker (units.forms.UnitPicker), on top of htmx.
 *
 * The search box has no name, so it is never submitted with the form: what is typed goes to units:search as
 * `q`, with the current choice as `current` (the answer leaves it out). The answer replaces the "units found"
 * group of the select; the current choice is moved out of that group first, so it survives a new search.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-unit-picker-search]").forEach(function (input) { input.hidden = false; });

  document.body.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input.matches("[data-unit-picker-search]")) return;
    var select = input.closest("[data-unit-picker]").querySelector("select");
    var results = select.querySelector("optgroup");
    var chosen = select.selectedOptions[0];
    Array.prototype.slice.call(select.options).forEach(function (option) {
      if (option.parentNode === select && option.value && option !== chosen) option.remove();
    });
    if (chosen && chosen.parentNode === results) select.insertBefore(chosen, results);
    event.detail.parameters.q = input.value;
    if (select.value) event.detail.parameters.current = select.value;
  });

  // Show the matches as an open list to click in; it closes again once a unit is chosen.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var results = event.detail.target;
    if (!results.matches("[data-unit-picker] optgroup")) return;
    results.hidden = false;
    results.parentNode.size = Math.min(results.parentNode.options.length + 1, 8);  // + the group's label
  });
  // Enter in the search box goes to the results instead of submitting the form half filled in.
  document.body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-unit-picker-search]")) return;
    event.preventDefault();
    event.target.closest("[data-unit-picker]").querySelector("select").focus();
  });
  document.body.addEventListener("change", function (event) {
    if (event.target.matches("[data-unit-picker] select")) event.target.removeAttribute("size");
  });
})();
