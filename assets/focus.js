/*
 * Focus that follows the person (WCAG 2.4.3), for a single-page app whose pages the shell
 * renders into the same document (dashboard/shell.py):
 *
 * - After in-app navigation to another page (a link, Back/Forward, a key in meeting mode that
 *   leaves it), focus moves to the new page's main heading (its <h1>, tabindex -1), as GOV.UK
 *   and Dash Pages do: a screen reader announces the heading, and the next Tab reaches the
 *   page's own controls (its filters) first, not whatever followed the old focus. The first
 *   load leaves focus where the browser puts it.
 * - A filter change keeps the path, so nothing here moves the focus: it stays on the filter
 *   (the shell does not draw the bar again).
 * - When the focused heading is replaced (the next slide in meeting mode), the new heading
 *   takes the focus rather than the page's <body>.
 * - Meeting mode remembers where it was opened from: a click (or Enter) on a link to /present
 *   records the page's path and query and the link (its href and words) in sessionStorage.
 *   Leaving meeting mode (Escape, read by assets/present.js through window.pcpFocus.returnTo,
 *   or the "Leave (Esc)" link) goes back to that page with those choices, and focus is put on
 *   the link that opened meeting mode. Opened from elsewhere (a link in an email), meeting mode
 *   leaves as the deck says (its data-exit).
 *
 * A file, not inline JavaScript: a strict Content-Security-Policy needs no 'unsafe-inline'.
 */
(function () {
  "use strict";
  var KEY = "pcp-present-origin";
  var PRESENT = "/present";
  var lastPath = window.location.pathname;
  var shownHeading = null; /* the heading of the page on screen when no move is pending */
  var shownText = ""; /* its words (React may keep the element and change only its text) */
  var moving = false; /* the path changed; the new page's heading is not on screen yet */
  var focused = null; /* the element that had focus last */
  var queued = false;

  function here() {
    return window.location.pathname + window.location.search;
  }

  function heading() {
    return document.querySelector("#main h1");
  }

  function origin() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(KEY);
    } catch (error) { /* storage off: meeting mode leaves as the deck says */ }
  }

  function focusHeading(h) {
    if (!h.hasAttribute("tabindex")) {
      h.setAttribute("tabindex", "-1");
    }
    h.focus();
  }

  /* The link that opened meeting mode, on the page it was opened from. */
  function opener(from) {
    var links = document.querySelectorAll("#main a[href]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === from.href && links[i].textContent.trim() === from.text) {
        return links[i];
      }
    }
    return null;
  }

  var awaited = null; /* {from, until}: back from meeting mode, its link not drawn yet */
  var WAIT_MS = 5000;

  function arrived(h) {
    var from = origin();
    focusHeading(h);
    if (from && window.location.pathname !== PRESENT) {
      forget();
      if (from.url === here()) {
        awaited = { from: from, until: Date.now() + WAIT_MS };
        reopen();
      }
    }
  }

  /* The page's heading can arrive before the rest of it: the link is focused when it is there,
     unless the person has moved the focus themselves meanwhile. */
  function reopen() {
    if (!awaited) {
      return;
    }
    var link = opener(awaited.from);
    var mine = document.activeElement === heading() || document.activeElement === document.body;
    if (link && mine) {
      link.focus();
    }
    if (link || !mine || Date.now() > awaited.until || here() !== awaited.from.url) {
      awaited = null;
    }
  }

  function look() {
    queued = false;
    reopen();
    var h = heading();
    if (window.location.pathname !== lastPath) {
      lastPath = window.location.pathname;
      moving = true;
    }
    if (moving) {
      if (h && (h !== shownHeading || h.textContent !== shownText)) {
        moving = false;
        shownHeading = h;
        shownText = h.textContent;
        arrived(h);
      }
      return;
    }
    if (h && (h !== shownHeading || h.textContent !== shownText)) {
      /* The same page drew a new heading (the next slide): if the old one had the focus, the
         new one takes it. */
      var lost = focused && !focused.isConnected && focused === shownHeading &&
        (document.activeElement === document.body || document.activeElement === null);
      shownHeading = h;
      shownText = h.textContent;
      if (lost) {
        focusHeading(h);
      }
    }
  }

  function later() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(look);
    }
  }

  document.addEventListener("focusin", function (event) {
    focused = event.target;
  });

  /* A link to meeting mode from a page: remember the page and the link. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || window.location.pathname === PRESENT) {
      return;
    }
    var target = new URL(link.getAttribute("href"), window.location.href);
    if (target.origin !== window.location.origin || target.pathname !== PRESENT) {
      return;
    }
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({
        url: here(), href: link.getAttribute("href"), text: link.textContent.trim()
      }));
    } catch (error) { /* storage off: meeting mode leaves as the deck says */ }
  }, true);

  /* Where leaving meeting mode goes: the page it was opened from, or null (the deck's own
     data-exit). */
  function returnTo() {
    var from = origin();
    return from && from.url ? from.url : null;
  }

  /* "Leave (Esc)" goes where Escape goes. Capture phase: before dcc.Link's own handler. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#present-exit");
    var back = link && returnTo();
    if (!back || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    window.history.pushState({}, "", back);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }, true);

  window.pcpFocus = { returnTo: returnTo };

  function start() {
    shownHeading = heading();
    shownText = shownHeading ? shownHeading.textContent : "";
    new MutationObserver(later).observe(document.body, {
      childList: true, subtree: true, characterData: true
    });
    window.addEventListener("popstate", later);
    window.addEventListener("_dashprivate_pushstate", later);
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
