// Django's two-box selector (SelectFilter2.js, the groups and permissions of an account) names
// its search icons with an aria-label on a bare <span>, which ARIA does not allow (axe:
// aria-prohibited-attr). An icon with a name is an image: each gets that role. The selector is
// built on the window's load event; this runs once the other load handlers have.
window.addEventListener("load", function () {
  "use strict";
  window.setTimeout(function () {
    document.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])").forEach(
      function (icon) { icon.setAttribute("role", "img"); }
    );
  });
});
