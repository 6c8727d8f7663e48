// The org chart: drag a person onto their new manager (native HTML5 drag and drop), saved
// through the API (PATCH /api/stakeholders/{id}/ reports_to). The server refuses a circle or
// a manager at another account; its message is shown. Each person's "reports to" list is the
// keyboard way, filled with everyone at the account when it is first used.
(function () {
  "use strict";
  var chart = document.getElementById("org-chart");
  if (!chart || chart.dataset.canArrange !== "1") return;
  var status = document.getElementById("org-chart-status");
  var managersNode = document.getElementById("org-chart-managers");
  var managers = managersNode ? JSON.parse(managersNode.textContent) : [];
  var STORE = "openkam-org-chart-message";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function show(text, isError) {
    status.textContent = text;
    status.className = "messages " + (isError ? "error" : "success");
  }

  var stored = window.sessionStorage.getItem(STORE);
  if (stored) {
    window.sessionStorage.removeItem(STORE);
    show(stored, false);
  }

  function errorText(body) {
    if (!body || typeof body !== "object") return chart.dataset.failed;
    var parts = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      parts.push(Array.isArray(value) ? value.join(" ") : String(value));
    });
    return parts.join(" ") || chart.dataset.failed;
  }

  function save(personId, managerId, personName, managerName) {
    return fetch(chart.dataset.api + personId + "/", {
      method: "PATCH",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify({ reports_to: managerId })
    }).then(function (response) {
      if (response.ok) {
        var text = chart.dataset.saved
          .replace("%(name)s", personName)
          .replace("%(manager)s", managerName);
        window.sessionStorage.setItem(STORE, text);
        window.location.reload();
        return;
      }
      return response.json().then(
        function (body) { show(errorText(body), true); },
        function () { show(chart.dataset.failed, true); }
      );
    }, function () { show(chart.dataset.failed, true); });
  }

  var dragged = null;
  chart.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".org-person");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
  });
  chart.addEventListener("dragover", function (event) {
    var target = event.target.closest && event.target.closest(".org-person");
    if (!target || !dragged || target === dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("drop-target");
  });
  chart.addEventListener("dragleave", function (event) {
    var target = event.target.closest && event.target.closest(".org-person");
    if (target) target.classList.remove("drop-target");
  });
  chart.addEventListener("drop", function (event) {
    var target = event.target.closest && event.target.closest(".org-person");
    if (!target || !dragged) return;
    event.preventDefault();
    target.classList.remove("drop-target");
    var person = dragged;
    dragged = null;
    if (target === person) return;
    save(person.dataset.id, Number(target.dataset.id), person.dataset.name, target.dataset.name);
  });
  chart.addEventListener("dragend", function () { dragged = null; });

  // The keyboard way: fill a person's list with everyone else when it is first used.
  function fill(select) {
    if (select.dataset.filled) return;
    select.dataset.filled = "1";
    var own = select.closest(".org-person").dataset.id;
    var current = select.dataset.current;
    Array.prototype.slice.call(select.options, 1).forEach(function (o) { o.remove(); });
    managers.forEach(function (m) {
      if (String(m.id) === own) return;
      var option = document.createElement("option");
      option.value = String(m.id);
      option.textContent = m.name;  // text, never HTML
      if (String(m.id) === current) option.selected = true;
      select.appendChild(option);
    });
  }
  chart.addEventListener("focusin", function (event) {
    if (event.target.matches("select[name=reports_to]")) fill(event.target);
  });
  chart.addEventListener("mousedown", function (event) {
    if (event.target.matches("select[name=reports_to]")) fill(event.target);
  });
})();
