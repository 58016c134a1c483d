/*
 * The meeting builder (/meeting, dashboard/pages/meeting.py): each choice is a link whose
 * fragment is the id of the control it came from ("#p7-up"). When the page has been drawn again
 * for the new choice, the focus goes back to that control, so a keyboard user can press "Move
 * up" again without finding it first. The page is drawn in steps, so for a moment after the
 * address changes (until the next key press, or 3 seconds) the focus is put back on it each
 * time the page changes. Acts only on the builder's page.
 */
(function () {
  "use strict";
  var WINDOW_MS = 3000;
  var seen = "", until = 0;
  function refocus() {
    if (!document.querySelector(".builder-open") || !window.location.hash) { return; }
    var key = window.location.pathname + window.location.search + window.location.hash;
    var now = Date.now();
    if (key !== seen) {
      seen = key;
      until = now + WINDOW_MS;
    }
    if (now > until) { return; }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && document.activeElement !== target) { target.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { until = 0; }
  }, true);
  new MutationObserver(refocus).observe(document.documentElement, { childList: true, subtree: true });
})();
