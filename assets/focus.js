/* Keep keyboard focus on a filter after the page re-renders for the new URL.
 * Changing a filter rewrites the URL and the page is rebuilt, which would otherwise drop focus
 * to the top of the document: a keyboard user would have to Tab back to where they were. */
(function () {
  "use strict";
  var lastFilterId = null;
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.id && target.id.indexOf('"type":"filter"') !== -1) {
      lastFilterId = target.id;
    } else if (target && target !== document.body) {
      lastFilterId = null;
    }
  });
  var observer = new MutationObserver(function () {
    if (!lastFilterId) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.id === lastFilterId) return;
    var again = document.getElementById(lastFilterId);
    if (again && (!active || active === document.body)) {
      again.focus({ preventScroll: true });
    }
  });
  function start() {
    var root = document.getElementById("react-entry-point") || document.body;
    observer.observe(root, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
