// Pagefind's search box on /search/: a file, not an inline script, so the site can
// run under a Content-Security-Policy without 'unsafe-inline'.
// A large site's index comes in parts (the build lists them in parts.json, beside
// the main index): the box searches them all, merged.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  // The parts sit beside pagefind-ui.js, which the page loads from the main index.
  var ui = document.querySelector('script[src$="/pagefind-ui.js"]');
  var bundle = new URL(".", ui ? ui.src : new URL("/pagefind/", document.baseURI)).href;
  var baseUrl = box.dataset.baseUrl || "/", excerptLength = 12;
  function show(parts) {
    new PagefindUI({element: "#search", showSubResults: true, showImages: false,
                    autofocus: true, baseUrl: baseUrl, excerptLength: excerptLength,
                    // each part takes only its own options: the same as the main
                    mergeIndex: parts.map(function (part) {
                      return {bundlePath: new URL(part, bundle).href,
                              baseUrl: baseUrl, excerptLength: excerptLength};
                    }),
                    translations: {placeholder: "Search the site"}});
    // Name the field by the visible heading, not only by its placeholder.
    var input = box.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "search-title search-hint");
  }
  fetch(new URL("parts.json", bundle))
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (parts) {
      return Array.isArray(parts) ? parts.filter(function (part) {
        return typeof part === "string" && /^part-[0-9]+\/$/.test(part);
      }) : [];
    })
    .catch(function () { return []; })
    .then(show);
});
