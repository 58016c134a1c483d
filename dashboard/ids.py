"""Component ids, in one place (Python here; assets/shell.js and assets/present.js name the few
they use, with a comment pointing here).

The shell (dashboard/shell.py) stays mounted: the header's navigation, the page's head, its
filter bar and its body are filled by the page callback. Filters use pattern-matching ids so that
one clientside callback turns any filter change into a new URL, whatever page the filter is on.
"""

URL = "url"
NAV = "site-nav"  # the <ul> of the main navigation
HOME_LINK = "home-link"  # the site title, a link to the overview with the current filters
PAGE_HEAD = "page-head"  # notices, the page's <h1> and lead
FILTERS = "filters"  # the filter bar: re-drawn when the page changes, kept while filters change
PAGE_BODY = "page-body"
FOOTER = "site-footer"
DOCUMENT_TITLE = "document-title"  # store: the browser tab's title for the page shown
FILTER_STATE = "filter-state"  # store: what the filters show for the URL (server -> browser)
FILTER_WRITTEN = "filter-written"  # store: the query string the filter bar wrote last
FILTER = "filter"  # {"type": FILTER, "name": <query parameter>}
PRESENT_DECK = "present-deck"


def filter_id(name: str) -> dict:
    return {"type": FILTER, "name": name}
