/*
 * Clientside callbacks of the shell (registered in dashboard/shell.py as
 * ClientsideFunction("pcp", ...)). A file, not inline JavaScript, so a strict
 * Content-Security-Policy needs no 'unsafe-inline' for scripts.
 *
 * filtersToUrl: a filter change becomes a new query string in the browser, with no server round
 * trip; the page callback then renders the view for it. Only the filter that changed is written
 * (from the query the server understood, so a bad value in a link is dropped); a value that
 * means "no filter" (all quarters, the whole force, no words) is left out to keep links short.
 * A change of the URL from elsewhere (back, forward, a link) clears the record of what the bar
 * wrote, so the page callback draws the bar again from the URL.
 *
 * setTitle: the browser tab's title for the page shown (WCAG 2.4.2).
 *
 * Ids and state: dashboard/ids.py (URL is "url") and dashboard/components/filters.py.
 */
(function () {
  "use strict";

  function filtersToUrl(values, search, state) {
    var dc = window.dash_clientside;
    var unchanged = [dc.no_update, dc.no_update];
    var context = dc.callback_context;
    var fromUrl = context.triggered.some(function (t) { return t.prop_id === "url.search"; });
    if (fromUrl) {
      return [dc.no_update, null];
    }
    if (!state) {
      return unchanged;
    }
    var current = search || "";
    var fresh = state.search === current;
    var params = new URLSearchParams(fresh ? state.query : current);
    var changed = false;
    context.inputs_list[0].forEach(function (input, index) {
      var name = input.id.name;
      var value = String(values[index] === null || values[index] === undefined ? "" : values[index]).trim();
      var shown = fresh ? state.shown[name] : params.get(name);
      if (shown === null || shown === undefined) {
        shown = state.defaults[name];
      }
      if (value === shown) {
        return;
      }
      changed = true;
      if (value === "" || value === state.blank[name]) {
        params.delete(name);
      } else {
        params.set(name, value);
      }
    });
    if (!changed) {
      return unchanged;
    }
    var query = params.toString();
    var next = query ? "?" + query : "";
    if (next === current) {
      return unchanged;
    }
    return [next, next];
  }

  function setTitle(title) {
    if (title) {
      document.title = title;
    }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    pcp: { filtersToUrl: filtersToUrl, setTitle: setTitle }
  });
})();
