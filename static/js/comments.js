// The comment form's few lines of JavaScript. Without them everything still works: the
// "Add new comment" link opens the plain comment page, which has the whole form.
(function () {
  "use strict";

  // Load the per-visitor form (CSRF token, CAPTCHA) only when the reader asks for it, so the
  // statement page itself stays the same for everyone and can be cached.
  var slot = document.getElementById("comment-form-slot");
  var slotPlaceholder = slot ? slot.innerHTML : "";

  // Fetch the form from `url`, let `place(html)` put it on the page (it returns the element
  // that holds it), and move the focus to its heading. If the form cannot be had, follow the
  // link to the plain comment page instead.
  function openForm(link, url, place) {
    link.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        closeReplyForms();
        var root = place(html);
        link.removeAttribute("aria-busy");
        var heading = root.querySelector("#comment-form-heading");
        if (heading) heading.focus();
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("#add-comment");
    if (!link || !slot) return;
    event.preventDefault();
    openForm(link, slot.dataset.formUrl, function (html) {
      slot.innerHTML = html;
      return slot;
    });
  });

  // "Reply": the same per-visitor form, asked for with ?reply_to=, opened under the comment.
  // One form on the page at a time (its fields have fixed ids). Without JavaScript the link
  // opens the plain comment page, set to reply.
  function closeReplyForms() {
    document.querySelectorAll(".reply-slot").forEach(function (node) { node.remove(); });
  }
  document.addEventListener("click", function (event) {
    var reply = event.target.closest("a.reply");
    if (!reply || !slot) return;
    event.preventDefault();
    var url = slot.dataset.formUrl + "?reply_to=" + encodeURIComponent(reply.dataset.thread);
    openForm(reply, url, function (html) {
      if (slot.querySelector("form")) slot.innerHTML = slotPlaceholder;
      var box = document.createElement("div");
      box.className = "reply-slot";
      box.innerHTML = html;
      reply.closest("article").insertAdjacentElement("afterend", box);
      return box;
    });
  });

  // "New image": ask django-simple-captcha for a fresh challenge and swap it in, instead of
  // sending the form back to the server for a new one (what the button does without JavaScript).
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".captcha-refresh");
    if (!button) return;
    event.preventDefault();
    var box = button.form.querySelector("fieldset.captcha");
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
