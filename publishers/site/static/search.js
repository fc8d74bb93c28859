// Search over the language's JSON index: loaded on first use, shard by shard, all from this site.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var results = document.getElementById("results");
  var entries = null;

  function load() {
    if (entries) return Promise.resolve(entries);
    var manifestUrl = new URL(form.dataset.index, document.baseURI);
    return fetch(manifestUrl).then(function (r) { return r.json(); }).then(function (manifest) {
      return Promise.all(manifest.shards.map(function (name) {
        return fetch(new URL(name, manifestUrl)).then(function (r) { return r.json(); });
      }));
    }).then(function (shards) {
      entries = [].concat.apply([], shards);
      return entries;
    });
  }

  function show(found) {
    results.textContent = "";
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = form.dataset.empty;
      results.appendChild(none);
      return;
    }
    found.slice(0, 50).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(entry.url, new URL(form.dataset.index, document.baseURI)).href;
      link.textContent = entry.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = entry.column + " · ";
      // The date reads left to right on every page, a right-to-left one too.
      var date = document.createElement("time");
      date.dateTime = entry.date;
      date.dir = "ltr";
      date.textContent = entry.date;
      meta.appendChild(date);
      item.appendChild(link);
      item.appendChild(meta);
      results.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", function () {
    var query = input.value.trim().toLowerCase();
    if (!query) { results.textContent = ""; return; }
    load().then(function (all) {
      show(all.filter(function (entry) {
        return (entry.title + " " + entry.summary).toLowerCase().indexOf(query) >= 0;
      }).sort(function (a, b) { return a.date < b.date ? 1 : -1; }));
    });
  });
})();
