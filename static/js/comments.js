// The comment form's few lines of JavaScript. Without them everything still works: the
// "Add new comment" link opens the plain comment page, which has the whole form.
(function () {
  "use strict";

  // Load the per-visitor form (CSRF token, CAPTCHA) only when the reader asks for it, so the
  // statement page itself stays the same for everyone and can be cached.
  var slot = document.getElementById("comment-form-slot");
  var link = document.getElementById("add-comment");
  if (slot && link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.setAttribute("aria-busy", "true");
      fetch(slot.dataset.formUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (html) {
          slot.innerHTML = html;
          showRefreshButtons(slot);
          var heading = slot.querySelector("#comment-form-heading");
          if (heading) heading.focus();
        })
        .catch(function () {
          window.location.href = link.href;
        });
    });
  }

  function showRefreshButtons(root) {
    root.querySelectorAll(".captcha-refresh").forEach(function (button) { button.hidden = false; });
  }
  showRefreshButtons(document);

  // "New image": ask django-simple-captcha for a fresh challenge and swap it in.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".captcha-refresh");
    if (!button) return;
    var box = button.closest("fieldset") || document;
    var status = box.querySelector(".captcha-status");
    fetch(button.dataset.refreshUrl, { headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        var data = result.data;
        if (status) {
          // Too many new images (429): say so, and keep the challenge shown.
          status.textContent = result.ok ? "" : data.error || "";
          status.hidden = result.ok;
        }
        if (!result.ok) return;
        box.querySelector("img.captcha-image").src = data.image_url;
        box.querySelector("input[type=hidden][name$=captcha_0]").value = data.key;
        var audio = box.querySelector(".captcha-audio");
        if (audio && data.audio_url) audio.href = data.audio_url;
        var answer = box.querySelector("input[name$=captcha_1]");
        answer.value = "";
        answer.focus();
      });
  });
})();
