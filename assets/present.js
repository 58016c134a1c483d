/*
 * Meeting mode keys. Only acts when a deck (.present[data-next]) is on the page: the hrefs are
 * written by dashboard/pages/present.py, so this file decides nothing about where a key leads.
 * Right arrow / Page Down: next. Left arrow / Page Up: previous. Home / End: first / last.
 * Escape: back to the page and choices meeting mode was opened from (assets/focus.js remembers
 * them), else to the dashboard page the deck names (data-exit).
 *
 * The key sets the URL's path and query on the app's dcc.Location ("url", dashboard/ids.py)
 * through Dash's own dash_clientside.set_props: Location pushes the history entry (so the back
 * button walks back through the slides) and the page callback renders the slide, as for a link.
 *
 * A key pressed while the slide it asked for is still on its way (the deck's data-here is not yet
 * the address the last key went to) is kept and acted on when that slide arrives: Page Down
 * then Left Arrow, pressed quickly, comes back to where it started, not one slide further back.
 *
 * Larger type on a small or zoomed screen: when the deck offers it (data-large, written only
 * when the URL chose no type size) and the window is narrower than 1100 or lower than 560 CSS
 * pixels (a 1366x768 screen at 200% zoom is 683x384), the same place in the larger-type deck
 * replaces the URL (no new history entry, so Back still leaves).
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
  var WAIT_MS = 10000;
  var asked = null; /* {href, at}: where the last key went, until that slide is on the page */
  var pending = []; /* actions pressed meanwhile, in order */

  function address(href) {
    var url = new URL(href, window.location.href);
    return url.pathname + url.search;
  }
  function arrived(deck) {
    if (!asked) { return true; }
    if (address(deck.getAttribute("data-here") || "") === asked.href ||
        Date.now() - asked.at > WAIT_MS) {
      asked = null;
      return true;
    }
    return false;
  }
  function act(deck, action) {
    var href = deck.getAttribute("data-" + action);
    /* Escape: back to the page meeting mode was opened from, when assets/focus.js knows it. */
    var back = action === "exit" && window.pcpFocus && window.pcpFocus.returnTo();
    if (back) { href = back; }
    var clientside = window.dash_clientside;
    if (!href || !clientside || !clientside.set_props) { return; }
    var target = new URL(href, window.location.href);
    if (target.pathname + target.search === window.location.pathname + window.location.search) {
      return;
    }
    if (action !== "exit") { asked = { href: target.pathname + target.search, at: Date.now() }; }
    clientside.set_props("url", { pathname: target.pathname, search: target.search });
  }
  document.addEventListener("keydown", function (event) {
    var deck = document.querySelector(".present[data-next]");
    if (!deck || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var action = ACTIONS[event.key];
    if (!action) { return; }
    event.preventDefault();
    if (!arrived(deck)) {
      pending.push(action);
      return;
    }
    act(deck, action);
  });
  function catchUp() {
    var deck = document.querySelector(".present[data-next]");
    if (!deck || !pending.length || !arrived(deck)) { return; }
    act(deck, pending.shift());
  }

  var SMALL_WIDTH = 1100, SMALL_HEIGHT = 560;
  function fitType() {
    var deck = document.querySelector(".present[data-large]");
    var href = deck && deck.getAttribute("data-large");
    if (!href || (window.innerWidth >= SMALL_WIDTH && window.innerHeight >= SMALL_HEIGHT)) { return; }
    var target = new URL(href, window.location.href);
    window.history.replaceState(window.history.state, "", target.pathname + target.search);
    // dcc.Location listens for this event (dcc.Link sends it) and renders the new URL.
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }
  new MutationObserver(function () {
    catchUp();
    fitType();
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-here"]
  });
  window.addEventListener("resize", fitType);
})();
