"""What a meeting's papers say, decided once: meeting slides, the PDF, PowerPoint and the Excel
summary all render one :class:`Pack`.

:meth:`ViewModel.pack(quarter, area, meeting=...) <dashboard.views.model.ViewModel.pack>` builds
it (pure: no Dash, no files) for a :class:`~dashboard.views.meeting.Meeting`: the quarter, the
area, the priorities and figures the presenter chose (in their order), and the last meeting's
quarter. Every sentence about a figure comes from :mod:`dashboard.views.text` and
:mod:`dashboard.analysis.compare`, so the dashboard, the slide, the PDF and the deck say the same
thing; counts come from the same place as the overview's.

Rules, so that the same data always give the same pack:

* **Figures**: the presenter's, in their order; by default the priority's headline figures of
  the quarter (the overview's cards), in catalogue order. A figure from another period than the
  quarter says its own period ("in the 12 months to Apr 2019") and is only there if picked.
* **Updates**: the quarter's bullets (not headings) for the priority and area: the overview's
  count.
* **The chart**: the first figure, in the meeting's order, with two or more points (up to the
  quarter's end); none otherwise (a single value is a figure, not a chart).
* **Key points**: ranked (:mod:`dashboard.views.keypoints`): a figure's own sentence first, then
  operations and their results, then the rest.
* **Plain words**: each figure and chart carries the plain verdict for a lay audience
  (:func:`~dashboard.views.text.plain_verdict`) beside the statistical one (``verdict``, for
  the notes and the metric page). A known break in a series (a counting-rules change) is said
  in plain words too; the analysts' full reason stays on the metric page.
* **Since the last meeting**: with a last meeting's quarter, each section says what changed
  (:mod:`dashboard.views.since`): its figures that moved in the good direction, then in the bad
  direction (each with the size of the change and whether it is a signal), then new and revised
  figures and new signals; each figure is marked new or revised.
* **Sources**: every document a section quotes: its figures' (every point of a chart), its
  updates', its comparisons' (every force's and England and Wales's values at the period and a
  year earlier, and the document naming the group) and its changes' (new figures, both values
  of a revision), each as the About page lists it (title, publisher, date).
* **Acronyms**: on each slide or page, the first use of a glossary term is written out in full
  ("killed or seriously injured (KSI)") by the renderers (:class:`~.narrative.Expander`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..analysis.compare import direction_marker
from ..data.periods import parse_quarter, period_end
from ..formatting import format_value
from .chart_kinds import kind_named
from .compare import PackComparison, pack_comparisons
from .coverage import missing_note, partial_words
from .facade import Views
from .meeting import Meeting, chosen_views, of_the_quarter, own_period, plain_words
from .metric import MetricView
from .pack_sources import comparison_sources
from .points import Point
from .since import Changes, combine, moved, priority_changes
from .text import (
    FORCE_WIDE_NOTE,
    basis_label,
    comparison_phrase,
    counts_line,
    direction_of_good,
    plain_break,
)
from .titles import priority_heading


class PackError(ValueError):
    """A quarter or area the data do not have: a plain message for the person who asked."""


@dataclass(frozen=True)
class Headline:
    """One figure as a slide, the PDF and the deck show it."""

    metric_id: str
    label: str
    value: str  # "168"
    period: str  # "in 2019/20 Q4" / "at the end of 2019/20 Q4" / "in the 12 months to Apr 2019"
    comparisons: list[str]  # "▼ down 2 (1.2%) on the same quarter last year"
    note: str = ""  # "Force-wide figure: not published by area."
    direction: str = ""  # "Lower is better": how to read the change
    verdict: str = ""  # the statistical verdict (the card's, the metric page's)
    plain: str = ""  # the same verdict in plain words, for a lay audience
    this_quarter: bool = True  # False: a figure from another period, which says its own
    caveat: str = ""  # a known break in the series, in plain words
    change: str = ""  # "New since the last meeting" / "Revised since the last meeting: was 170"
    basis: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Chart:
    metric_id: str
    kind: str  # a drawn kind of views/chart_kinds.py: "comparison", "trend"
    title: str
    summary: str  # the one-line summary: alt text for the picture
    verdict: str  # the statistical one-liner
    unit: str
    points: list[Point]
    basis_label: str
    area_name: str
    plain: str = ""  # the verdict in plain words: the caption on a slide
    caveat: str = ""
    basis: str = ""


@dataclass(frozen=True)
class NarrativeLine:
    text: str
    level: int
    heading: bool
    area: str | None


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    headlines: list[Headline]
    chart: Chart | None
    key_points: list[str]
    narrative: list[NarrativeLine]
    sources: list[str]
    updates: int = 0  # the quarter's bullets for the priority and area (headings not counted)
    #: How Essex compares with its most similar group of forces (views/compare.py): the
    #: priority's national measures, each with its summary and table (force-wide figures).
    comparisons: list[PackComparison] = field(default_factory=list)
    changes: Changes | None = None  # since the last meeting
    #: For a priority a partial copy of the quarter's update does not reach, the sentence that
    #: says so (:func:`~dashboard.views.coverage.missing_note`).
    missing: str = ""

    @property
    def heading(self) -> str:
        return priority_heading(self.number, self.title)

    @property
    def counts(self) -> str:
        """'3 headline figures, 26 updates', as the overview counts them ('not in the partial
        copy of the update' for a priority a partial copy does not reach)."""
        if self.missing:
            return "not in the partial copy of the update: no figures or updates read"
        return counts_line(len(self.headlines), self.updates)


@dataclass(frozen=True)
class Pack:
    quarter: str  # canonical label, 2019-20-Q4
    #: 2019/20 Q4 (Jan–Mar 2020); for a partial quarter, ", from a partial copy of the update:
    #: Priority 1 only" follows, wherever the pack names its quarter.
    quarter_display: str
    area_id: str
    area_name: str
    as_at: str  # "31 December 2022": same wording as the dashboard footer
    last_published: str
    title: str
    subtitle: str
    sections: list[Section]
    sources: list[str]
    glossary: dict[str, str] = field(default_factory=dict)  # term -> short expansion
    meeting: Meeting = field(default_factory=Meeting)
    changes: Changes | None = None  # the whole meeting's, since the last meeting

    @property
    def as_at_line(self) -> str:
        return f"Data as at {self.as_at}. Latest source published {self.last_published}."


# ----------------------------------------------------------------------------- building


def _breaks(vm: Views, view: MetricView) -> str:
    """The plain words for a known break at or before the series' last point."""
    if not view.periods:
        return ""
    last = period_end(view.basis, view.periods[-1])
    for period, reason in vm.index.discontinuities.get((view.metric_id, view.basis), {}).items():
        if period_end(view.basis, period) <= last:
            return plain_break(reason)
    return ""


def _change(view: MetricView, changes: Changes | None) -> str:
    if changes is None or not view.periods:
        return ""
    period = view.periods[-1]
    for revision in changes.revised:
        if (revision.metric_id, revision.basis, revision.period) == (
            view.metric_id,
            view.basis,
            period,
        ):
            return f"Revised since the last meeting: was {revision.before}"
    for figure in changes.new:
        if (figure.metric_id, figure.basis, figure.period) == (view.metric_id, view.basis, period):
            return "New since the last meeting"
    return ""


def headline(vm: Views, view: MetricView, quarter: str, changes: Changes | None = None) -> Headline:
    unit = view.unit
    this = of_the_quarter(view, quarter)
    comparisons = []
    if this:
        for key in ("same_quarter_last_year", "previous_quarter"):
            change = view.comparisons.get(key)
            if change is not None:
                marker = direction_marker(change)
                comparisons.append(f"{marker.glyph} {comparison_phrase(change, unit, key)}")
    value = view.current if this and view.current is not None else view.points[-1].value
    return Headline(
        metric_id=view.metric_id,
        label=view.label,
        value=format_value(value, unit, with_unit=True),
        period=own_period(view, quarter),
        comparisons=comparisons,
        note=FORCE_WIDE_NOTE if view.area_is_fallback else "",
        direction=direction_of_good(view.metric),
        verdict=view.verdict,
        plain=plain_words(view),
        this_quarter=this,
        caveat=_breaks(vm, view),
        change=_change(view, changes),
        basis=view.basis,
        unit=unit,
    )


def chart(vm: Views, view: MetricView) -> Chart:
    return Chart(
        metric_id=view.metric_id,
        kind=view.kind,
        title=view.title,
        summary=view.summary,
        verdict=view.verdict,
        unit=view.unit,
        points=list(view.points),
        basis_label=basis_label(view.basis),
        area_name=view.area_name,
        plain=plain_words(view),
        caveat=_breaks(vm, view),
        basis=view.basis,
    )


def figure_sentence(vm: Views, view: MetricView) -> str:
    """The sentence the figure's current value was read from."""
    if not view.periods:
        return ""
    obs = vm.index.observations_of(view.metric_id)
    found = obs[
        (obs["area_id"] == view.area_id)
        & (obs["basis"] == view.basis)
        & (obs["period"] == view.periods[-1])
        & obs["current"]
    ]
    return str(found["source_sentence"].iloc[0]) if len(found) else ""


def build_pack(vm: Views, meeting: Meeting) -> Pack:
    """The pack for a resolved meeting (:meth:`Meeting.resolved`)."""
    from .keypoints import rank_key_points
    from .narrative import bullets, short_expansion

    quarter, area_id = str(meeting.quarter), str(meeting.area)
    q = parse_quarter(quarter)
    numbers = meeting.chosen_priorities([int(p["priority"]) for p in vm.index.priorities])
    titles = {int(p["priority"]): str(p["title"]) for p in vm.index.priorities}
    now = vm.signals(quarter) if meeting.since else None
    before = vm.signals(meeting.since) if meeting.since else None
    names = vm.index.area_names
    sections = []
    for number in numbers:
        changes = (
            priority_changes(vm, number, area_id, quarter, meeting.since, now, before)
            if meeting.since and now is not None and before is not None
            else None
        )
        views = chosen_views(vm, meeting, number)
        if changes is not None and meeting.since:
            moved_now, left = moved(views, meeting.since)
            changes = replace(changes, moved=moved_now, not_compared=left)
        chosen = next((v for v in views if kind_named(v.kind).drawn), None)
        items = vm.narrative_items(quarter=quarter, priority=number, area_id=area_id)
        sentences = [(v.label, figure_sentence(vm, v)) for v in views if of_the_quarter(v, quarter)]
        narrative = [
            NarrativeLine(
                text=str(i["text"]),
                level=int(i.get("level") or 0),
                heading=i.get("kind") == "heading",
                area=names.get(i["area_id"]) if isinstance(i.get("area_id"), str) else None,
            )
            for i in items
        ]
        compared = pack_comparisons(vm, number, quarter)
        missing = missing_note(vm, quarter, number)
        source_ids = [s for v in views for s in v.source_ids] + [i["source_id"] for i in items]
        source_ids += [s for c in compared for s in comparison_sources(vm, c.metric_id, quarter)]
        source_ids += changes.sources if changes is not None else []
        sections.append(
            Section(
                number=number,
                title=titles[number],
                headlines=[headline(vm, v, quarter, changes) for v in views],
                chart=chart(vm, chosen) if chosen is not None else None,
                key_points=[missing] if missing else rank_key_points(items, sentences, names),
                narrative=narrative,
                sources=vm.source_lines(source_ids, published_word=True),
                updates=len(bullets(items)),
                changes=changes,
                comparisons=compared,
                missing=missing,
            )
        )
    sources: list[str] = []
    for section in sections:
        sources += [s for s in section.sources if s not in sources]
    area_name = vm.area_name(area_id)
    total = (
        combine(meeting.since, [s.changes for s in sections if s.changes is not None])
        if meeting.since
        else None
    )
    partial = partial_words(vm, quarter)
    shown = f"{q.display} ({q.months})" + (f", {partial}" if partial else "")
    return Pack(
        quarter=quarter,
        quarter_display=shown,
        area_id=area_id,
        area_name=area_name,
        as_at=vm.as_at(),
        last_published=vm.last_published(),
        title="Police and Crime Plan: progress report",
        subtitle=f"{shown} · {area_name}",
        sections=sections,
        sources=sources,
        glossary={t: short_expansion(e) for t, e in vm.index.glossary.items()},
        meeting=meeting,
        changes=total,
    )
