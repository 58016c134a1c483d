"""Which of the quarter's updates a slide leads with: ranked, not the first five.

1. The update that states a figure the slide shows, as that figure's own sentence (in the
   order of the figures): the room hears the number it sees.
2. Operations and their results: an update that names an operation ("Operation SCEPTRE") or
   reports a result (arrests, charges, convictions, sentences, orders granted, warrants,
   seizures, disruptions), as its lead sentence.
3. Other updates that contain a figure, then the rest.

Within 2 and 3, force-wide updates come before an area's, then document order. Up to
:data:`MAX_POINTS` are kept (a slide shows as many as fit; the rest go on a follow-on slide); the
full text of every update is in the PDF and in the speaker notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .narrative import OPERATION, bullets, lead_sentences, point_text, starts_with_area

MAX_POINTS = 5

RESULT = re.compile(
    r"\b(arrest(?:s|ed)?|charged|convicted|convictions?|guilty|sentenced|remanded|seiz(?:ed|ure|ures)"
    r"|warrants?|disruptions?|disrupted|dismantl\w+|prosecutions?|granted|orders? (?:were |was )?obtained)\b",
    re.I,
)


def _area(item: dict) -> str | None:
    area = item.get("area_id")
    return area if isinstance(area, str) else None


def _flat(text: str) -> str:
    return " ".join(str(text).split())


#: A figure's sentence that leans on the one before it ("This quarter has seen 69 ...").
ANAPHOR = re.compile(r"^(This|These|That|Those|It|They|A number)\b")
SHORT = 90


def _with_context(sentence: str, item: dict, label: str) -> str:
    """The figure's sentence, made to stand alone: after the update's short first sentence when
    it is not the first, or after the figure's name when it leans on what came before."""
    first = lead_sentences(item["text"], short=0)
    if _flat(first) == sentence:
        return sentence
    if len(first) <= SHORT:
        return f"{_flat(first)} {sentence}"
    if ANAPHOR.match(sentence) and label:
        return f"{label}: {sentence}"
    return sentence


def rank_key_points(
    items: Sequence[dict],
    figure_sentences: Sequence[tuple[str, str]],
    names: dict[str, str],
) -> list[str]:
    """The key points, most important first (see the module docstring). ``figure_sentences``:
    (figure's name, the sentence its value was read from) for the figures shown, in order."""
    chosen = bullets(items)
    position = {b["item_id"]: n for n, b in enumerate(chosen)}
    taken: set[str] = set()
    points: list[str] = []
    wanted: dict[str, str] = {}
    for label, sentence in figure_sentences:
        if sentence:
            wanted.setdefault(_flat(sentence), label)
    for sentence, label in wanted.items():
        for item in chosen:
            if item["item_id"] in taken or sentence not in _flat(item["text"]):
                continue
            taken.add(item["item_id"])
            area = _area(item)
            text = _with_context(sentence, item, label)
            if area and area in names and not starts_with_area(text, names[area]):
                text = f"{names[area]}: {text}"
            points.append(text)
            break

    def order(item: dict) -> tuple:
        return (_area(item) is not None, position[item["item_id"]])

    rest = sorted((b for b in chosen if b["item_id"] not in taken), key=order)
    lead = {b["item_id"]: lead_sentences(b["text"]) for b in rest}
    groups: list[list[dict]] = [[], [], []]
    for item in rest:
        text = str(item["text"])
        if OPERATION.search(text) or RESULT.search(lead[item["item_id"]]):
            groups[0].append(item)
        elif re.search(r"\d", text):
            groups[1].append(item)
        else:
            groups[2].append(item)
    for group in groups:
        points += [point_text(item, names) for item in group]
    return points[:MAX_POINTS]
