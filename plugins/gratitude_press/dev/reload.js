// Live reload for `gratitude-press dev` only (never in a built site): asks the dev
// server once a second which build is in place and reloads the page after a new one.
// A failed build shows its one-line problem at the top of the page until the next
// good one. Same origin only, no inline handlers.
(function () {
  "use strict";
  var STATUS = "/.gratitude-dev/status.json";
  var seen = null;
  var note = null;

  function show(problem) {
    if (!problem) {
      if (note) { note.remove(); note = null; }
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.setAttribute("role", "alert");
      note.style.cssText = "position:fixed;bottom:0;left:0;right:0;z-index:1001;" +
        "margin:0;padding:.6em 1em;background:#111;color:#fff;" +
        "font:0.9rem/1.4 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(note);
    }
    note.textContent = "Build failed, this page is the last good one:\n" + problem;
  }

  function ask() {
    fetch(STATUS, { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (status) {
        if (seen !== null && status.version !== seen) {
          window.location.reload();
          return;
        }
        seen = status.version;
        show(status.problem);
      })
      .catch(function () { /* the dev server restarts: try again */ })
      .finally(function () { window.setTimeout(ask, 1000); });
  }

  ask();
})();
