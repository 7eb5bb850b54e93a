// Pagefind's search box on /search/: a file, not an inline script, so the site can
// run under a Content-Security-Policy without 'unsafe-inline'.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({element: "#search", showSubResults: true, showImages: false,
                  autofocus: true, baseUrl: box.dataset.baseUrl || "/",
                  translations: {placeholder: "Search the site"}});
  // Name the field by the visible heading, not only by its placeholder.
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-title search-hint");
});
