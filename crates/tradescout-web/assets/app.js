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

  // Buyer brief: the AI reply draft, shown as the model writes it. The server sends
  // server-sent events over a POST (fetch, so the CSRF header goes with it); text is only
  // ever set as textContent, never parsed as markup.
  var draftBox = document.getElementById("ai-draft");
  var draftButton = document.getElementById("draft-reply");
  if (draftBox && draftButton && window.fetch && window.TextDecoder) {
    draftButton.hidden = false;
    draftButton.addEventListener("click", function () { streamDraft(draftBox, draftButton); });
  }

  function streamDraft(box, button) {
    var text = document.getElementById("draft-text");
    var status = document.getElementById("draft-status");
    var title = document.getElementById("draft-check-title");
    var list = document.getElementById("draft-unsupported");
    var ended = false;
    text.textContent = "";
    title.textContent = "";
    list.textContent = "";
    status.textContent = box.getAttribute("data-writing");
    button.disabled = true;

    function onEvent(block) {
      var name = "message";
      var data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) { name = line.slice(6).trim(); }
        else if (line.indexOf("data:") === 0) { data += line.slice(5).trim(); }
      });
      var value;
      try { value = JSON.parse(data); } catch (e) { return; }
      if (name === "chunk") {
        text.textContent += value;
      } else if (name === "done") {
        ended = true;
        text.textContent = value.draft;
        status.textContent = box.getAttribute("data-done");
        showCheck(value.unsupported || []);
      } else if (name === "error") {
        ended = true;
        if (value.discard) { text.textContent = ""; }
        status.textContent = value.message;
      }
    }

    function showCheck(items) {
      title.textContent = box.getAttribute(items.length ? "data-unsupported" : "data-supported");
      items.forEach(function (u) {
        var li = document.createElement("li");
        li.textContent = "\u26a0 " + u.text + " \u2014 " + u.why;
        list.appendChild(li);
      });
    }

    fetch(box.getAttribute("data-url"), {
      method: "POST",
      headers: { "X-CSRF-Token": csrf, "Accept": "text/event-stream" },
      credentials: "same-origin"
    }).then(function (r) {
      if (!r.ok || !r.body) { throw new Error("HTTP " + r.status); }
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) { return; }
          buffer += decoder.decode(step.value, { stream: true });
          var end = buffer.indexOf("\n\n");
          while (end >= 0) {
            onEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
          }
          return pump();
        });
      }
      return pump();
    }).then(function () {
      if (!ended) { status.textContent = box.getAttribute("data-failed"); }
    }, function () {
      status.textContent = box.getAttribute("data-failed");
    }).then(function () { button.disabled = false; });
  }
})();
