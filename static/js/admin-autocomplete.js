// select2, the admin's autocomplete, names its box only by the choice shown in it: with none
// chosen, a screen reader meets a box without a name (axe: aria-input-field-name). Here each
// box is named after its field (the select's aria-label, from the admin) and its choice,
// whenever select2 draws or redraws it; setting an attribute does not wake the observer again.
(function () {
  "use strict";

  function name(select) {
    var box = select.nextElementSibling;
    var shown = box && box.querySelector(".select2-selection__rendered");
    var field = select.getAttribute("aria-label");
    if (!shown || !field) return;
    var option = select.options[select.selectedIndex];
    var wanted = option && option.value ? field + ": " + option.text : field;
    if (shown.getAttribute("aria-label") !== wanted) shown.setAttribute("aria-label", wanted);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
