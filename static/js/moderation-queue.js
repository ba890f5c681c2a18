// The keyboard queue on the admin's comment list: J/K (or the arrow keys) move between rows,
// A approves, R rejects, S marks spam, U undoes the last decision (within the undo window),
// all without a page load. Without JavaScript the bulk actions and the "Undo" button remain.
// The admin loads it in the page head: it starts once the page is there.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var box = document.getElementById("keyboard-queue");
  var table = document.getElementById("result_list");
  if (!box || !table) return;
  var status = document.getElementById("queue-status");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var current = -1;
  var keys = { a: "approved", r: "rejected", s: "spam" };

  // The status cell shows the new status; the old one is kept for undo.
  function showStatus(row, text) {
    var cell = row.querySelector(".field-status");
    if (!cell) return;
    if (!("before" in cell.dataset)) cell.dataset.before = cell.textContent;
    cell.textContent = text === null ? cell.dataset.before : text;
  }

  function pk(row) {
    var box = row.querySelector("input.action-select");
    return box ? box.value : null;
  }

  function select(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("kb-current", i === current);
      row.setAttribute("aria-current", i === current ? "true" : "false");
    });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function say(message) {
    status.textContent = message;
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      body: body,
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
        return data;
      });
    });
  }

  function decide(key) {
    var row = rows[current];
    if (!row || !pk(row)) return;
    var url = box.dataset.decideUrl.replace("/0/", "/" + pk(row) + "/");
    post(url, { status: keys[key], whole_campaign: box.dataset.wholeCampaign })
      .then(function (data) {
        row.classList.add("decided");
        showStatus(row, data.label);
        say(data.message);
        select(current + 1);
      })
      .catch(function (error) { say(error.message); });
  }

  function undo() {
    post(box.dataset.undoUrl, {})
      .then(function (data) {
        data.restored.forEach(function (id) {
          rows.forEach(function (row, i) {
            if (pk(row) === String(id)) {
              row.classList.remove("decided");
              showStatus(row, null);
              select(i);
            }
          });
        });
        say(data.message);
      })
      .catch(function (error) { say(error.message); });
  }

  // The admin puts the focus in the search box; here the keys matter more. Escape leaves any
  // field, so that the keys work again.
  if (document.activeElement && document.activeElement.id === "searchbar") {
    document.activeElement.blur();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (event.key === "Escape" && target.blur) {
      target.blur();
      return;
    }
    if (target.closest && target.closest("input, select, textarea, button, [contenteditable]")) return;
    var key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown") select(current + 1);
    else if (key === "k" || key === "arrowup") select(current - 1);
    else if (keys[key] && current >= 0) decide(key);
    else if (key === "u") undo();
    else return;
    event.preventDefault();
  });
});
