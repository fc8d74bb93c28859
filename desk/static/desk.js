// Progressive help on the review page; every action works without it.
(function () {
  "use strict";
  var areas = function () { return Array.prototype.slice.call(document.querySelectorAll("form.edit textarea")); };

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLTextAreaElement) || !target.form || !target.form.classList.contains("edit")) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      target.form.requestSubmit();
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var all = areas();
      var next = all[all.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) { event.preventDefault(); next.focus(); next.scrollIntoView({ block: "center" }); }
    }
  });

  // Memory suggestions are looked up when a segment is first focused, not for the whole page.
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLTextAreaElement) || !target.dataset.suggestions || target.dataset.loaded) return;
    target.dataset.loaded = "1";
    var box = document.getElementById("sg" + target.id.slice(1));
    fetch(target.dataset.suggestions + "?fragment=1", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!box || !html) return;
        // The fragment is the desk's own escaped template output.
        var parsed = new DOMParser().parseFromString(html, "text/html");
        box.replaceChildren.apply(box, Array.prototype.slice.call(parsed.body.childNodes));
      });
  });
})();
