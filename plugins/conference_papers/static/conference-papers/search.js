/* The search box of templates/conference_papers/_search.html (pelican-conference-papers).
   Without script the box is a plain link to a list of the papers. With it, Pagefind's
   UI takes the place of the link; the input gets the visible label, and results load
   from this site's own pagefind/ folder (the bundle's address is resolved to a path,
   from which Pagefind also derives where the result pages are). */
(function () {
  "use strict";

  function start() {
    if (typeof window.PagefindUI !== "function") {
      return; // the bundle is missing (CONFERENCE_PAPERS_SEARCH off?): keep the link
    }
    var boxes = document.querySelectorAll(".site-search-box[data-bundle]");
    Array.prototype.forEach.call(boxes, function (box, index) {
      var search = box.parentNode;
      var bundle = new URL(box.getAttribute("data-bundle"), document.baseURI).pathname;
      new window.PagefindUI({
        element: box,
        bundlePath: bundle,
        showImages: false,
        showSubResults: false,
        resetStyles: false
      });
      var input = box.querySelector("input");
      var label = search.querySelector(".site-search-label");
      if (input && label) {
        input.id = "site-search-input" + (index ? "-" + index : "");
        label.setAttribute("for", input.id);
        label.hidden = false;
      }
      var fallback = search.querySelector(".site-search-fallback");
      if (fallback) {
        fallback.hidden = true;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
