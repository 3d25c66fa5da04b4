// tradescout: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var csrf = document.body ? document.body.getAttribute("data-csrf") : "";

  // The language switch returns to the page it was pressed on.
  document.querySelectorAll(".js-back").forEach(function (el) {
    el.value = window.location.pathname + window.location.search;
  });

  // htmx requests carry the session's CSRF token.
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) { e.detail.headers["X-CSRF-Token"] = csrf; }
  });

  // Pipeline board: drag a deal to another stage column.
  var dragged = null;
  document.querySelectorAll(".deal[draggable]").forEach(function (card) {
    card.addEventListener("dragstart", function (e) {
      dragged = card;
      e.dataTransfer.setData("text/plain", card.getAttribute("data-deal"));
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
  });
  document.querySelectorAll(".column[data-stage]").forEach(function (col) {
    col.addEventListener("dragover", function (e) { e.preventDefault(); col.classList.add("over"); });
    col.addEventListener("dragleave", function () { col.classList.remove("over"); });
    col.addEventListener("drop", function (e) {
      e.preventDefault();
      col.classList.remove("over");
      if (!dragged) { return; }
      var form = dragged.querySelector("form.move");
      var select = form && form.querySelector("select[name=stage]");
      if (!select) { return; }
      select.value = col.getAttribute("data-stage");
      fetch(form.action, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)).toString(),
        credentials: "same-origin"
      }).then(function (r) {
        if (r.ok || r.redirected) { col.appendChild(dragged); window.location.reload(); }
        else { form.submit(); }
      });
    });
  });
})();
