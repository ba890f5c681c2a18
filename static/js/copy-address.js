// The copy buttons of addresses (templates/includes/copy-address.html). Without JavaScript
// the address stays in its field to select and copy by hand; with it, a button copies it and
// says so.
(function () {
  "use strict";

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".copy-address").querySelector(".copy-status");
    if (!field) return;
    button.hidden = false;

    function say(message) {
      status.textContent = message;
    }

    // The Clipboard API needs a secure context (HTTPS or localhost); elsewhere the selected
    // field is copied the old way.
    function copyBySelecting() {
      field.focus();
      field.select();
      try {
        return document.execCommand("copy");
      } catch (error) {
        return false;
      }
    }

    button.addEventListener("click", function () {
      var copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(field.value)
        : Promise.resolve().then(function () {
            if (!copyBySelecting()) throw new Error("copy refused");
          });
      copied.then(
        function () { say(button.getAttribute("data-copied")); },
        function () { field.select(); say(button.getAttribute("data-failed")); }
      );
    });
  });
})();
