/* The search box of templates/conference_papers/_search.html (pelican-conference-papers).
   Without script the box is a plain link to a list of the papers. With it, this file
   puts a labelled search field in the link's place, and only when a reader focuses or
   clicks that field (or presses "/") loads Pagefind's UI (pagefind-ui.js, ~120 KB, and
   its stylesheet) from this site's own pagefind/ folder: a reader who never searches
   downloads none of it. Pagefind's UI then takes the field's place, with what was typed
   so far and the focus, so typing goes on where it was. The bundle's address is resolved
   to a path, from which Pagefind also derives where the result pages are. A large
   site's index comes in parts (writers/search.py): the bundle's parts.json names the
   others, and Pagefind's UI merges them into the one list of results. */
(function () {
  "use strict";

  var loading = null; // one load of Pagefind's UI for every box of the page

  // The other parts of the index, as Pagefind's mergeIndex option takes them; only
  // paths of this site (the list is the site's own file, and stays so).
  function loadParts(bundle) {
    return fetch(bundle + "parts.json")
      .then(function (response) {
        return response.ok ? response.json() : { parts: [] };
      })
      .then(function (listed) {
        var base = new URL(bundle, document.baseURI);
        return (Array.isArray(listed.parts) ? listed.parts : [])
          .map(function (part) {
            return new URL(String(part), base);
          })
          .filter(function (url) {
            return url.origin === base.origin;
          })
          .map(function (url) {
            return { bundlePath: url.pathname };
          });
      });
  }

  function loadPagefind(bundle) {
    if (!loading) {
      var ui = new Promise(function (resolve, reject) {
        var style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = bundle + "pagefind-ui.css";
        document.head.appendChild(style);
        var script = document.createElement("script");
        script.src = bundle + "pagefind-ui.js";
        script.onload = function () {
          if (typeof window.PagefindUI === "function") {
            resolve(window.PagefindUI);
          } else {
            reject(new Error("pagefind-ui.js defined no PagefindUI"));
          }
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
      loading = Promise.all([ui, loadParts(bundle)]);
    }
    return loading;
  }

  function setUp(search, index) {
    var fallback = search.querySelector(".site-search-fallback");
    var bundle = new URL(search.getAttribute("data-bundle"), document.baseURI).pathname;
    var id = "site-search-input" + (index ? "-" + index : "");
    var label = document.createElement("label");
    label.className = "site-search-label";
    label.htmlFor = id;
    label.textContent = search.getAttribute("data-label");
    var field = document.createElement("input");
    field.type = "search";
    field.id = id;
    field.className = "site-search-field";
    field.autocomplete = "off";
    var box = document.createElement("div");
    box.className = "site-search-box";
    search.insertBefore(label, fallback);
    search.insertBefore(field, fallback);
    search.insertBefore(box, fallback);
    if (fallback) {
      fallback.hidden = true;
    }

    var started = false;
    function start() {
      if (started) {
        return;
      }
      started = true;
      loadPagefind(bundle).then(
        function (loaded) {
          var PagefindUI = loaded[0];
          var ui = new PagefindUI({
            element: box,
            bundlePath: bundle,
            mergeIndex: loaded[1],
            showImages: false,
            showSubResults: false,
            resetStyles: false
          });
          var input = box.querySelector("input");
          if (!input) {
            return;
          }
          var typed = field.value;
          var focused = document.activeElement === field;
          field.remove();
          input.id = id;
          if (typed) {
            ui.triggerSearch(typed);
          }
          if (focused) {
            input.focus();
          }
        },
        function () {
          // No bundle (removed, or the site was built without search): keep the link.
          label.remove();
          field.remove();
          box.remove();
          if (fallback) {
            fallback.hidden = false;
          }
        }
      );
    }
    field.addEventListener("focus", start);
    field.addEventListener("click", start);
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        start();
      }
    });
    return function focus() {
      var input = search.querySelector("input");
      if (input) {
        input.focus();
      }
    };
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function init() {
    var boxes = document.querySelectorAll(".site-search[data-bundle]");
    var focusFirst = null;
    Array.prototype.forEach.call(boxes, function (search, index) {
      var focus = setUp(search, index);
      focusFirst = focusFirst || focus;
    });
    if (focusFirst) {
      document.addEventListener("keydown", function (event) {
        if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey &&
            !typing(event.target)) {
          event.preventDefault();
          focusFirst();
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
