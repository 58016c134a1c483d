/*
 * Charts and tables that the server sends as ONE component each (dashboard/components/chart.py
 * and tables.py): a <div data-figure="..."> holds a Plotly figure as JSON, a
 * <div data-table="..."> a table's caption, headers and rows. This file draws them:
 *
 * - a chart when it comes within half a screen of the viewport (IntersectionObserver), one
 *   chart per task (those on screen first), with Plotly.newPlot the first time and Plotly.react
 *   when a new answer changes its figure; every chart before printing. data-digest names what
 *   a chart draws (figure and config): a chart whose digest is the one drawn is never drawn
 *   again. When an answer patches a drawn chart near the screen (its data-digest changes in
 *   place), the first such chart is drawn again at once, in the same task as the answer, so
 *   that its new figure is painted in the same frame as the page's new words;
 * - a table when it is on the page, or, when it starts collapsed (data-collapsed: the words of
 *   the <details> summary this file builds for it), when that is opened: a real <table> with <caption>, <th scope="col"> and <th scope="row">, figures aligned right, and
 *   for a long one a page of rows at a time with Previous/Next buttons and a status line
 *   announced to screen readers (aria-live).
 *
 * - Plotly's toolbar buttons out of the Tab order (a chart costs two Tab stops: its table and
 *   its downloads).
 *
 * One MutationObserver on the document notices new or changed elements; it does no work of its
 * own per mutation, it only asks for one look at the next animation frame.
 * A file, not inline JavaScript: a strict Content-Security-Policy needs no 'unsafe-inline'.
 */
(function () {
  "use strict";

  /* dashboard/components/tables.py's rule before it moved here: cells that are figures
     ("82,344", "£5.4m", "11.2%", "–") line up on the right. */
  var FIGURE = /^(–|[-+]?£?\d[\d,]*(\.\d+)?(m|bn)?%?( hours)?)$/;
  var queued = false;
  var observed = new Set(); /* chart holders being watched; let go once off the page */
  var visible = ("IntersectionObserver" in window)
    ? new IntersectionObserver(onIntersect, { rootMargin: "50% 0px 50% 0px" })
    : null;

  var stale = new Set(); /* holders near the screen whose figure is not drawn yet */
  var pumping = false;

  function onIntersect(entries) {
    entries.forEach(function (entry) {
      entry.target._pcpVisible = entry.isIntersecting;
      if (entry.isIntersecting) {
        wants(entry.target);
      } else {
        stale.delete(entry.target);
      }
    });
  }

  /* What a chart draws: its digest (dashboard/components/chart.py), else its figure. */
  function drawnAs(holder) {
    return holder.getAttribute("data-digest") || holder.getAttribute("data-figure");
  }

  function wants(holder) {
    if (holder._pcpDrawn !== drawnAs(holder)) {
      stale.add(holder);
      pump();
    }
  }

  /* One chart per task, those on screen first and from the top: the first chart of a new view
     is painted before the others are drawn, and a click or a key press is never kept waiting
     behind more than one chart. */
  function pump(later) {
    if (pumping || !stale.size) {
      return;
    }
    pumping = true;
    if (later && window.requestIdleCallback) {
      /* After the first chart of a view: when the browser has nothing else to do. */
      window.requestIdleCallback(step, { timeout: 400 });
    } else {
      setTimeout(step, later ? 50 : 0);
    }
  }

  function step() {
    var best = null;
    var bestRank = Infinity;
    stale.forEach(function (holder) {
      if (!holder.isConnected) {
        stale.delete(holder);
        return;
      }
      var box = holder.getBoundingClientRect();
      var onScreen = box.bottom > 0 && box.top < window.innerHeight;
      var rank = (onScreen ? 0 : 1e6) + Math.abs(box.top);
      if (rank < bestRank) {
        best = holder;
        bestRank = rank;
      }
    });
    if (!best) {
      pumping = false;
      return;
    }
    stale.delete(best);
    var r = draw(best);
    Promise.resolve(r).then(untab, function () {});
    /* When Plotly has finished with this chart, two frames before the next: the chart just
       drawn is painted first. */
    Promise.resolve(r).catch(function () {}).then(function () {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          pumping = false;
          pump(true);
        });
      });
    });
  }

  function plotTarget(holder) {
    var target = holder.querySelector(":scope > .chart-plot");
    if (!target) {
      target = document.createElement("div");
      target.className = "chart-plot";
      holder.appendChild(target);
    }
    return target;
  }

  function draw(holder) {
    var source = holder.getAttribute("data-figure");
    var name = drawnAs(holder);
    if (!source || holder._pcpDrawn === name || !window.Plotly) {
      return null;
    }
    holder._pcpDrawn = name;
    var figure = JSON.parse(source);
    var config = JSON.parse(holder.getAttribute("data-config") || "{}");
    var target = plotTarget(holder);
    var plot = target._fullLayout ? window.Plotly.react : window.Plotly.newPlot;
    return plot(target, figure.data || [], figure.layout || {}, config);
  }

  function charts() {
    /* A new answer gives a page new elements, even for a chart that only shows other numbers
       (dash-renderer mounts a changed subtree again). A chart on screen keeps its drawn plot:
       it moves to the new element of the same id and is redrawn with Plotly.react, about half
       the work of drawing it afresh. */
    var spare = {};
    observed.forEach(function (holder) {
      if (!holder.isConnected) {
        observed.delete(holder);
        stale.delete(holder);
        if (visible) {
          visible.unobserve(holder);
        }
        var target = holder.querySelector(":scope > .chart-plot");
        if (target && holder.id && holder._pcpVisible && !spare[holder.id]) {
          spare[holder.id] = target;
        } else if (target && window.Plotly) {
          window.Plotly.purge(target);
        }
      }
    });
    var fresh = [];
    document.querySelectorAll("[data-figure]").forEach(function (holder) {
      if (!observed.has(holder)) {
        observed.add(holder);
        fresh.push(holder);
        var kept = holder.id && spare[holder.id];
        if (kept && !holder.querySelector(":scope > .chart-plot")) {
          delete spare[holder.id];
          holder.appendChild(kept);
          holder._pcpVisible = true;
          wants(holder);
        }
        if (visible) {
          visible.observe(holder); /* its first report says whether it is near the screen */
        } else {
          wants(holder);
        }
      } else if (holder._pcpVisible) {
        wants(holder); /* a new answer changed the figure of a chart on screen */
      }
    });
    Object.keys(spare).forEach(function (id) {
      if (window.Plotly) {
        window.Plotly.purge(spare[id]);
      }
    });
    drawFirst(fresh);
  }

  /* A new view's first chart on screen is drawn now, in this frame, rather than after the
     IntersectionObserver's first report (a frame later) and the pump's next task: the first
     chart of a page or of a new answer is what a person waits for. */
  function drawFirst(fresh) {
    var first = null;
    var top = Infinity;
    fresh.forEach(function (holder) {
      if (holder._pcpDrawn) {
        return;
      }
      var box = holder.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight && box.top < top) {
        first = holder;
        top = box.top;
      }
    });
    if (first && window.Plotly) {
      first._pcpVisible = true;
      stale.delete(first);
      Promise.resolve(draw(first)).then(untab, function () {});
    }
  }

  function cell(tag, value, scope) {
    var element = document.createElement(tag);
    if (scope) {
      element.scope = scope;
    }
    if (value && typeof value === "object") {
      var link = document.createElement("a");
      link.href = value.href;
      link.textContent = value.text;
      link.className = "island-link";
      element.appendChild(link);
    } else {
      element.textContent = value;
      if (tag === "td" && FIGURE.test(String(value).trim())) {
        element.className = "num";
      }
    }
    return element;
  }

  function count(n) {
    return n.toLocaleString("en-GB");
  }

  /* data-links: words, then [text, href] pairs: a paragraph of links after the table (a
     chart's image downloads). */
  function links(holder) {
    var source = holder.getAttribute("data-links");
    var paragraph = holder.querySelector(":scope > .chart-downloads");
    if (!source) {
      if (paragraph) {
        paragraph.remove();
      }
      return;
    }
    if (paragraph && paragraph._pcpSource === source) {
      return;
    }
    var data = JSON.parse(source);
    /* One Tab stop for the downloads, like the table's: a <details> whose summary is the
       words ("Download this chart"), with the links inside. */
    var fresh = document.createElement("details");
    fresh.className = "chart-downloads";
    fresh._pcpSource = source;
    var words = document.createElement("summary");
    words.textContent = data[0].replace(/[:\s]+$/, "");
    fresh.appendChild(words);
    var list = document.createElement("p");
    data[1].forEach(function (pair, index) {
      if (index) {
        list.appendChild(document.createTextNode(" · "));
      }
      var link = document.createElement("a");
      link.href = pair[1];
      link.textContent = pair[0];
      list.appendChild(link);
    });
    fresh.appendChild(list);
    if (paragraph) {
      paragraph.replaceWith(fresh);
    } else {
      holder.appendChild(fresh);
    }
  }

  function build(holder) {
    var source = holder.getAttribute("data-table");
    if (!source) {
      return;
    }
    /* data-collapsed: the table sits in a <details> with that summary, built when opened. */
    var label = holder.getAttribute("data-collapsed");
    var details = null;
    if (label) {
      details = holder.querySelector(":scope > details");
      if (!details) {
        details = document.createElement("details");
        details.className = "chart-table";
        var summary = document.createElement("summary");
        details.appendChild(summary);
        holder.replaceChildren(details);
      }
      links(holder);
      if (details.firstElementChild.textContent !== label) {
        details.firstElementChild.textContent = label;
      }
      if (!details.open) {
        return; /* built when it is opened */
      }
    } else if (holder.closest("details:not([open])")) {
      return;
    }
    if (holder._pcpBuilt === source) {
      return;
    }
    holder._pcpBuilt = source;
    var data = JSON.parse(source);
    var size = data.pageSize && data.rows.length > data.pageSize ? data.pageSize : data.rows.length;
    var table = document.createElement("table");
    table.className = "table table-sm data-table";
    var caption = document.createElement("caption");
    caption.textContent = data.caption;
    table.appendChild(caption);
    var head = document.createElement("thead");
    var headRow = document.createElement("tr");
    data.columns.forEach(function (name) {
      headRow.appendChild(cell("th", name, "col"));
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = document.createElement("tbody");
    table.appendChild(body);
    var parts = [table];
    var status = null;
    var buttons = [];

    function show(first) {
      var rows = data.rows.slice(first, first + size);
      var fresh = document.createDocumentFragment();
      rows.forEach(function (row) {
        var tr = document.createElement("tr");
        row.forEach(function (value, index) {
          var header = index === 0 && data.rowHeaders;
          tr.appendChild(cell(header ? "th" : "td", value, header ? "row" : null));
        });
        fresh.appendChild(tr);
      });
      body.replaceChildren(fresh);
      holder._pcpFirst = first;
      if (status) {
        status.textContent = "Rows " + count(first + 1) + " to " +
          count(first + rows.length) + " of " + count(data.rows.length);
        buttons[0].disabled = first === 0;
        buttons[1].disabled = first + size >= data.rows.length;
      }
    }

    if (size < data.rows.length) {
      var pager = document.createElement("div");
      pager.className = "table-pager";
      pager.setAttribute("role", "group");
      pager.setAttribute("aria-label", "Pages of the table: " + data.caption);
      [["Previous " + size + " rows", -size], ["Next " + size + " rows", size]].forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-secondary btn-sm";
        button.textContent = b[0];
        button.addEventListener("click", function () {
          show(Math.max(0, Math.min(data.rows.length - 1, holder._pcpFirst + b[1])));
        });
        buttons.push(button);
      });
      status = document.createElement("p");
      status.className = "table-status";
      status.setAttribute("aria-live", "polite");
      pager.appendChild(buttons[0]);
      pager.appendChild(status);
      pager.appendChild(buttons[1]);
      parts.push(pager);
    }
    show(0);
    if (details) {
      while (details.children.length > 1) {
        details.removeChild(details.lastElementChild);
      }
      parts.forEach(function (part) { details.appendChild(part); });
    } else {
      holder.replaceChildren.apply(holder, parts);
    }
  }

  /* Plotly's toolbar is for the mouse: zoom and pan need a pointer, and the chart's table and
     its downloads (PNG and SVG) give a keyboard user the figures and the picture. Its buttons
     stay clickable but leave the Tab order (seven stops per chart otherwise). */
  function untab() {
    document.querySelectorAll(".modebar-btn:not([tabindex='-1'])").forEach(function (button) {
      button.tabIndex = -1;
    });
  }

  function look() {
    queued = false;
    untab();
    charts();
    document.querySelectorAll("[data-table]").forEach(build);
  }

  function later() {
    if (!queued) {
      queued = true;
      requestAnimationFrame(look);
    }
  }

  /* A link in a built table opens its view the way dcc.Link does (no reload), unless the
     person asks for a new tab or window. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.island-link");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey || link.origin !== window.location.origin) {
      return;
    }
    event.preventDefault();
    window.history.pushState({}, "", link.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });

  function opened(details) {
    if (details.open) {
      var holder = details.parentElement;
      if (holder && holder.hasAttribute("data-table")) {
        build(holder);
      }
      details.querySelectorAll("[data-table]").forEach(build);
    }
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS") {
      opened(event.target);
    }
  }, true);

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-figure]").forEach(draw);
    document.querySelectorAll("details.chart-table").forEach(function (d) { d.open = true; });
    document.querySelectorAll("[data-table]").forEach(build);
  });

  /* A patched answer changed the figure of a drawn chart near the screen: the first such chart
     (from the top) is drawn again now, before the browser paints the answer; the others wait
     their turn (one per task). */
  function redrawInPlace(records) {
    var first = null;
    for (var i = 0; i < records.length; i++) {
      var holder = records[i].target;
      if (records[i].attributeName !== "data-digest" || !holder._pcpVisible ||
          !holder._pcpDrawn || holder._pcpDrawn === drawnAs(holder)) {
        continue;
      }
      if (!first || (first.compareDocumentPosition(holder) & Node.DOCUMENT_POSITION_PRECEDING)) {
        first = holder;
      }
    }
    if (first) {
      stale.delete(first);
      Promise.resolve(draw(first)).then(untab, function () {});
    }
  }

  function start() {
    new MutationObserver(function (records) {
      /* A <details> opened by a script: its table is there before the script's next step. */
      for (var i = 0; i < records.length; i++) {
        if (records[i].attributeName === "open") {
          opened(records[i].target);
        }
      }
      redrawInPlace(records);
      later();
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-figure", "data-digest", "data-table", "data-collapsed", "data-links",
        "open"]
    });
    later();
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
