"""Component ids, in one place. Filters use pattern-matching ids so that one callback turns
any filter change into a new URL, whatever page the filter is on."""

URL = "url"
PAGE = "page-content"
FILTER = "filter"  # {"type": FILTER, "name": <query parameter>}
NOTICE = "data-notice"
PRESENT_KEYS = "present-keys"
PRESENT_DECK = "present-deck"


def filter_id(name: str) -> dict:
    return {"type": FILTER, "name": name}
