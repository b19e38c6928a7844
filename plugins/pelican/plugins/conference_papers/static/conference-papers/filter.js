// The list of every paper, narrowed in place (templates/conference_papers/
// publications.html). Without script each filter is a link to its own
// server-rendered page; with it, on a list that holds every paper
// (data-complete="true"), a click narrows the list instead, the query string
// says what is shown (?year=2022&tag=robustness) and back/forward and a reload
// restore it. One value per facet; a second click on a value clears it.
// A folded facet (a <details>, open on its values' pages without script)
// shows its current value: opened, and the value scrolled into its box.
(function () {
  "use strict";
  function reveal(link) {
    var fold = link.closest("details.paper-filter-fold");
    if (!fold) return;
    fold.open = true;
    var box = link.closest("ul");
    var top = link.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (top < 0 || top + link.offsetHeight > box.clientHeight) {
      box.scrollTop += top - (box.clientHeight - link.offsetHeight) / 2;
    }
  }
  var here = document.querySelector(".paper-filters a[data-facet][aria-current]");
  if (here) reveal(here);
  var years = document.querySelector(".paper-list-years[data-complete='true']");
  if (!years) return; // a filter page, or a capped list: the links do the work
  var FACETS = ["kind", "year", "member", "tag", "conference"];
  // data-tags and data-members hold several slugs, separated by spaces.
  var ATTRIBUTE = { kind: "kind", year: "year", member: "members", tag: "tags", conference: "conference" };
  var status = document.querySelector(".paper-list-status");
  var links = document.querySelectorAll(".paper-filters a[data-facet]");
  var all = document.querySelector(".paper-filters a[data-filter-all]");
  var entries = years.querySelectorAll(".paper-entry");

  function read() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    FACETS.forEach(function (facet) {
      var value = params.get(facet);
      if (value) state[facet] = value;
    });
    return state;
  }

  function matches(entry, state) {
    return Object.keys(state).every(function (facet) {
      var values = (entry.getAttribute("data-" + ATTRIBUTE[facet]) || "").split(" ");
      return values.indexOf(state[facet]) !== -1;
    });
  }

  function show(state) {
    var shown = 0;
    entries.forEach(function (entry) {
      var visible = matches(entry, state);
      entry.hidden = !visible;
      if (visible) shown += 1;
    });
    years.querySelectorAll(".paper-list-year").forEach(function (section) {
      section.hidden = !section.querySelector(".paper-entry:not([hidden])");
    });
    links.forEach(function (link) {
      var current = state[link.getAttribute("data-facet")] === link.getAttribute("data-value");
      if (current) {
        link.setAttribute("aria-current", "true");
        reveal(link);
      } else link.removeAttribute("aria-current");
    });
    var filtered = Object.keys(state).length > 0;
    if (all) {
      if (filtered) all.removeAttribute("aria-current");
      else all.setAttribute("aria-current", "page");
    }
    if (status) {
      status.textContent = filtered
        ? shown + " of " + entries.length + " papers shown"
        : entries.length + (entries.length === 1 ? " paper" : " papers");
    }
  }

  function go(state) {
    var params = new URLSearchParams();
    FACETS.forEach(function (facet) {
      if (state[facet]) params.set(facet, state[facet]);
    });
    var query = params.toString();
    window.history.pushState(state, "", window.location.pathname + (query ? "?" + query : ""));
    show(state);
  }

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var state = read();
      var facet = link.getAttribute("data-facet");
      var value = link.getAttribute("data-value");
      if (state[facet] === value) delete state[facet];
      else state[facet] = value;
      go(state);
    });
  });
  if (all) {
    all.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      go({});
    });
  }
  window.addEventListener("popstate", function () {
    show(read());
  });
  show(read());
})();
