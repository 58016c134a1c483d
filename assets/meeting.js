/*
 * The meeting builder (/meeting, dashboard/pages/meeting.py): each choice is a link whose
 * fragment is the id of the control it came from ("#p7-up"). When the page has been drawn again
 * for the new choice, the focus goes back to that control, so a keyboard user can press "Move
 * up" again without finding it first. Acts only on the builder's page.
 */
(function () {
  "use strict";
  var done = "";
  function refocus() {
    if (!document.querySelector(".builder-open")) { done = ""; return; }
    var key = window.location.pathname + window.location.search + window.location.hash;
    if (!window.location.hash || key === done) { return; }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) {
      done = key;
      target.focus();
    }
  }
  new MutationObserver(refocus).observe(document.documentElement, { childList: true, subtree: true });
})();
