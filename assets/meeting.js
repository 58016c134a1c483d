/*
 * The meeting builder (/meeting, dashboard/pages/meeting.py): each choice is a link whose
 * fragment is the id of the control it came from ("#p7-up"). When the page has been drawn again
 * for the new choice, the focus goes back to that control, so a keyboard user can press "Move
 * up" again without finding it first. The page is drawn in steps, so for a moment after the
 * address changes (until the next key press, or 3 seconds) the focus is put back on it each
 * time the page changes. Acts only on the builder's page.
 *
 * The meeting's address (#builder-link, its path in data-path) is shown in full with this
 * browser's own origin in front, and "Copy link" (#builder-copy, a real button: Enter and Space
 * work) copies it; #builder-copy-status, a polite live region, says whether it was copied
 * (where the clipboard is refused, the address is selected to copy with Ctrl+C).
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
  function address() {
    var code = document.getElementById("builder-link");
    if (!code) { return null; }
    var full = window.location.origin + (code.getAttribute("data-path") || "");
    if (code.textContent !== full) { code.textContent = full; }
    return code;
  }
  function say(text) {
    var status = document.getElementById("builder-copy-status");
    if (status) { status.textContent = text; }
  }
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#builder-copy");
    if (!button) { return; }
    var code = address();
    if (!code) { return; }
    var text = code.textContent;
    var refused = function () {
      selectText(code);
      say("Could not copy: the address is selected, press Ctrl+C to copy it.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        say("Link copied to the clipboard.");
      }, refused);
    } else {
      refused();
    }
  });
  new MutationObserver(function () {
    refocus();
    address();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
