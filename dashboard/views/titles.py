"""Page headings and browser-tab titles, with the view in them (WCAG 2.4.2: a title per page).

Priority 7: Improve Safety on our Roads, 2019/20 Q4 – Police and Crime Plan
"""

from __future__ import annotations

from ..data.periods import PeriodError, parse_quarter

SITE = "Police and Crime Plan"


def document_title(view: str) -> str:
    """The browser tab's title: what the page shows, then the site."""
    return f"{view} – {SITE}" if view else SITE


def quarter_label(quarter: str | None) -> str:
    """'2019/20 Q4' for a canonical quarter label (empty when there is none)."""
    if not quarter:
        return ""
    try:
        return parse_quarter(quarter).display
    except PeriodError:
        return quarter


def quarter_display(quarter: str | None) -> str:
    """'2019/20 Q4 (Jan–Mar 2020)': how a page's lead and headings name its quarter."""
    if not quarter:
        return ""
    q = parse_quarter(quarter)
    return f"{q.display} ({q.months})"


def with_view(heading: str, quarter: str | None = None, area_name: str | None = None) -> str:
    """'Priority 7: Improve Safety on our Roads, 2019/20 Q4, South Local Policing Area'."""
    parts = [heading]
    if quarter:
        parts.append(quarter_label(quarter))
    if area_name:
        parts.append(area_name)
    return ", ".join(parts)


def priority_heading(number: int, title: str) -> str:
    return f"Priority {number}: {title}"


def overview_heading(quarter: str | None) -> str:
    return f"Plan at a glance: {quarter_display(quarter)}"
