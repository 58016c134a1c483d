"""Every sentence said about a metric's figures, from one function per concept.

The card, the chart title, the chart summary, the meeting slide and the exported pack all take
these sentences from the view model (:class:`~dashboard.views.metric.MetricView` carries its title
and summary), so the screen, the slide and the PDF say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..analysis.compare import Change, describe_change
from ..analysis.spc import FULL_LIMITS_POINTS, XmrResult, signal_meaning
from ..data.periods import BASIS_LABELS, period_display, period_end
from ..formatting import format_value
from .points import Point

#: Where a reader finds the sentence each value was read from (footer, slides, PDF, deck); the
#: footer links its middle part to the about page.
PROVENANCE_PARTS = (
    "Every figure comes from a published document: ",
    "About the data",
    " lists the documents, and each metric's page lists every value with the sentence it was "
    "read from.",
)
PROVENANCE = "".join(PROVENANCE_PARTS)

DIRECTION_OF_GOOD = {
    "up": "Higher is better",
    "down": "Lower is better",
    "neutral": "Neither higher nor lower is better in itself",
}

FORCE_WIDE_NOTE = "Force-wide figure: not published by area."
ONE_VALUE_NOTE = "One published value: there is nothing yet to compare it with."
NO_EARLIER = "No earlier figure to compare with in the data."


def revision_words(before: str, before_published: str, after: str, after_published: str) -> str:
    """A value published again with another, oldest first as a reader follows it: "was 361
    (published January 2016), now 353 (published January 2017)". The metric page's evidence
    and the meeting's "since last time" both say a revision with this one sentence."""
    return f"was {before} (published {before_published}), now {after} (published {after_published})"


def short_label(label: str) -> str:
    """The metric label without a trailing '(ACRONYM)' so titles stay short."""
    return label.split(" (")[0] if label.endswith(")") else label


def basis_label(basis: str) -> str:
    return BASIS_LABELS.get(basis, basis)


def comparison_phrase(change: Change, unit: str, against: str) -> str:
    """'down 2 (1.2%) on the same quarter last year'. A two-point change is stated plainly and
    never called an improvement on its own (the SPC verdict says whether it is signal or noise)."""
    return describe_change(change, unit, against)


def direction_of_good(metric: Mapping[str, Any]) -> str:
    return DIRECTION_OF_GOOD[metric["direction"]]


def comparable_from(periods: Sequence[str], breaks: Sequence[str]) -> int:
    """Index of the first point after the last recorded break in the series (0 without one):
    values before it are not comparable with the latest, so no title or summary compares them."""
    starts = [i for i, period in enumerate(periods) if i > 0 and period in set(breaks)]
    return starts[-1] if starts else 0


def chart_title(
    metric: Mapping[str, Any],
    points: Sequence[Point],
    comparisons: Mapping[str, Change | None],
    since: int = 0,
) -> str:
    """A title that says what the chart shows: 'Killed or seriously injured: down 2 on ...'.
    ``since``: the first point after a break (:func:`comparable_from`): the title compares the
    latest with it, never with a value recorded another way."""
    name = short_label(metric["label"])
    if not points:
        return f"{name}: no figures published"
    latest = points[-1]
    yearly = comparisons.get("same_quarter_last_year")
    if yearly is not None:
        return f"{name}: {describe_change(yearly, metric['unit'], 'same_quarter_last_year')}"
    comparable = points[since:]
    if len(comparable) >= 2:
        first = comparable[0]
        # After a break, from its first point: the chart marks the break, the summary names it.
        return (
            f"{name}: {format_value(latest.value, metric['unit'])} in {latest.label}, "
            f"from {format_value(first.value, metric['unit'])} in {first.label}"
        )
    if since:
        return (
            f"{name}: {format_value(latest.value, metric['unit'], with_unit=True)} in "
            f"{latest.label} (a break in the series at {comparable[0].label})"
        )
    return f"{name}: {format_value(latest.value, metric['unit'], with_unit=True)} in {latest.label}"


def chart_summary(
    metric: Mapping[str, Any],
    points: Sequence[Point],
    comparisons: Mapping[str, Change | None],
    area_name: str,
    basis: str,
    since: int = 0,
) -> str:
    """One plain-English line for screen readers and for people who skip the chart. ``since``:
    the first point after a break: lowest and highest are of the comparable points."""
    unit = metric["unit"]
    name = short_label(metric["label"])
    if not points:
        return f"No figures for {name.lower()} in {area_name} on this basis."
    latest = points[-1]
    parts = [
        f"{name} in {area_name}: {format_value(latest.value, unit, with_unit=True)} in {latest.label}"
        f" ({basis_label(basis)})"
    ]
    said = False
    for key in ("same_quarter_last_year", "previous_quarter"):
        change = comparisons.get(key)
        if change is not None:
            parts.append(comparison_phrase(change, unit, key))
            said = True
    comparable = points[since:]
    if not said and len(points) >= 2:
        parts.append(f"{len(points)} values from {points[0].label} to {latest.label}")
        if since:
            parts.append(
                f"a break in the series at {comparable[0].label}: the values before it were "
                "recorded another way and are not comparable"
            )
        if len(comparable) >= 2:
            low = min(comparable, key=lambda p: p.value)
            high = max(comparable, key=lambda p: p.value)
            span = f" since {comparable[0].label}" if since else ""
            parts[-1] += (
                f", lowest{span} {format_value(low.value, unit)} ({low.label}), highest "
                f"{format_value(high.value, unit)} ({high.label})"
            )
    if len(points) == 2 and not said:
        parts.append("two values are a comparison, not a trend")
    return "; ".join(parts) + "."


def xmr_chart_title(metric: Mapping[str, Any], area_name: str, point_word: str) -> str:
    """What an XmR chart shows, in about ten words (its verdict is printed beside it)."""
    return (
        f"{short_label(metric['label'])}, {area_name}: each {point_word} against its process limits"
    )


def counts_line(headlines: int, updates: int) -> str:
    """'3 headline figures, 26 updates': the same count on the overview, slides, PDF and deck."""
    return (
        f"{headlines} headline figure{'s' if headlines != 1 else ''}, "
        f"{updates} update{'s' if updates != 1 else ''}"
    )


def update_count_line(updates: int, *, area_chosen: bool) -> str:
    """Under each priority on the overview: how many of the quarter's updates it shows."""
    noun = "update" if updates == 1 else "updates"
    if area_chosen:
        verb = "applies" if updates == 1 else "apply"
        return f"{updates} {noun} in this quarter's report {verb} to this area"
    return f"{updates} {noun} in this quarter's report"


def period_words(basis: str, period: str) -> str:
    """A period in full words: 'year ending December 2018', '30 September 2018'."""
    end = period_end(basis, period)
    if basis == "rolling_12m":
        return f"year ending {end:%B %Y}"
    if basis == "as_at":
        return f"{end.day} {end:%B %Y}"
    return period_display(basis, period)


def latest_available(basis: str, period: str) -> str:
    """What a series that ends before the chosen quarter says, so that its latest figure never
    passes for the quarter's: 'latest available: year ending December 2018'."""
    return f"latest available: {period_words(basis, period)}"


#: Added to a verdict of a rise in police recorded crime where the register has the caveat that
#: recording practice improved from 2014 (data/national/discontinuities.csv, kind "caveat").
RECORDING_CAVEAT = (
    "Recorded crime, not necessarily crime: police recorded crime rose from 2014 in many "
    "forces because recording practice improved after the 2014 inspections of how forces "
    "record crime (Office for National Statistics), so a rise is not, on its own, evidence of "
    "more crime"
)
# ------------------------------------------------------------------------------ plain words
# Meeting mode and the packs are read by councillors and lay members: the verdict is said in
# plain words there. The statistical term ("special cause variation", "trial limits") stays on
# the metric page, beside the plain words, for analysts.

PLAIN_TOO_FEW = "Too early to tell if this is a real change"
PLAIN_NO_CHANGE = "No sign of real change yet: the ups and downs are within the usual range"
PLAIN_ONE_VALUE = "First published figure: nothing earlier to compare it with yet"


def plain_verdict(result: XmrResult, direction: str, *, small_numbers: bool = False) -> str:
    """The verdict for a lay audience: 'No sign of real change yet', 'A real rise: look into
    it'. Read from the same XmR result as the statistical verdict, so the two never disagree."""
    segment = result.latest
    if segment is None:
        return "No figures yet"
    if not segment.judged:
        text = PLAIN_ONE_VALUE if len(result.values) == 1 else PLAIN_TOO_FEW
        count = segment.n
        if count > 1:
            word = result.point_word if result.point_word != "point" else "figure"
            what = f"{count} {word}s"
            text += f" ({what} so far)"
    else:
        here = result.signals_at(len(result.values) - 1)
        if not here:
            text = PLAIN_NO_CHANGE
        else:
            sides = {s.side for s in here}
            meanings = {signal_meaning(s.side, direction) for s in here}
            if len(sides) > 1:
                text = "Real changes in both directions: look into it"
            else:
                move = "rise" if sides == {"high"} else "fall"
                if meanings == {"improvement"}:
                    text = f"A real {move}: an improvement"
                elif meanings == {"concern"}:
                    text = f"A real {move}: look into it"
                else:
                    text = f"A real {move}, neither good nor bad in itself"
        if segment.trial:
            text += f" (an early reading: fewer than {FULL_LIMITS_POINTS} {result.point_word}s)"
    if small_numbers:
        text += "; small numbers, so expect big swings"
    return text


def break_label(basis: str, period: str, reason: str) -> str:
    """A break of the register as a chart marks it: the first period on the new footing and
    what changed, the first clause of the register's reason ("Break, 2011/12: Following a
    different approach to recording anti-social behaviour incidents data")."""
    return f"Break, {period_display(basis, period)}: {break_words(reason)}"


def break_words(reason: str) -> str:
    """What changed at a break, for a chart's label: the first clause of the register's reason
    ("Burglary definitions changed in April 2017"); the rest is for the notes."""
    return str(reason).split(":")[0].split(". ")[0].split(", ")[0].strip().rstrip(".")


def series_breaks(basis: str, reasons: Mapping[str, str]) -> tuple[tuple[dt.date, str], ...]:
    """(last day of the first period on the new footing, :func:`break_label`) of each break of
    a series (``reasons``: period -> reason, ViewIndex.discontinuities), for its trend chart."""
    return tuple(
        (period_end(basis, period), break_label(basis, period, reason))
        for period, reason in reasons.items()
    )


def plain_break(reason: str) -> str:
    """A known break in a series (a counting-rules change), said for a lay audience: its first
    clause, the rest of the reason being for analysts."""
    first = str(reason).split(":")[0].split(". ")[0].strip().rstrip(".")
    return f"Compare with care: these figures are affected by the {first}."
