// After django-otp-webauthn saves a new passkey, go on to where the page says (the backup
// codes after a first factor, else the factors page). No inline script: the site's CSP.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var button = event.target.closest ? event.target.closest("[data-after-passkey]") : null;
    var after = button ? button.dataset.afterPasskey : null;
    if (after) window.location.href = after;
  });
})();
