/*
 * Meeting mode keys. Only acts when a deck (.present[data-next]) is on the page: the hrefs are
 * written by dashboard/pages/present.py, so this file decides nothing about where a key leads.
 * Right arrow / Page Down: next. Left arrow / Page Up: previous. Home / End: first / last.
 * Escape: back to the dashboard. The URL is changed with history.pushState and a popstate event,
 * which Dash's dcc.Location listens to, so the page re-renders without a full reload and the
 * browser's back button walks back through the slides.
 */
(function () {
  "use strict";
  var ACTIONS = {
    ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev",
    Home: "first", End: "last", Escape: "exit"
  };
  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    var deck = document.querySelector(".present[data-next]");
    if (!deck || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var action = ACTIONS[event.key];
    if (!action) { return; }
    var href = deck.getAttribute("data-" + action);
    if (!href) { return; }
    event.preventDefault();
    if (href === window.location.pathname + window.location.search) { return; }
    window.history.pushState({}, "", href);
    window.dispatchEvent(new PopStateEvent("popstate", { state: {} }));
  });
})();
