/* Copy buttons of the "Cite" blocks (pelican-conference-papers).
   The page has no button: without script the BibTeX is there to select. This
   script adds a button after each <pre data-copy-label> and copies its text. */
(function () {
  "use strict";

  function copyBySelection(element) {
    // Pages not served over https (and older browsers) have no Clipboard API.
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(element.textContent).then(
        function () { return true; },
        function () { return copyBySelection(element); }
      );
    }
    return Promise.resolve(copyBySelection(element));
  }

  document.querySelectorAll("pre[data-copy-label]").forEach(function (source) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button cite-copy";
    button.textContent = source.getAttribute("data-copy-label");
    var status = document.createElement("span");
    status.className = "cite-copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(source).then(function (copied) {
        status.textContent = copied ? "Copied." : "Select the text and copy it.";
      });
    });
    source.after(button, status);
  });
})();
