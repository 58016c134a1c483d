"""Operation names and acronym definitions stated in the text.

"Long Form (LF)" and "LF (Long Form)" and "LF: Long Form" are read as definitions only when the
acronym's letters are the initials of the long form (small words like "and", "of" may be
skipped or counted), so "(likely due to Covid-19 response)" or "Met Police (MPS)" are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPERATION = re.compile(
    r"\bOp(?:eration|\.)?\s+(?P<name>[A-Z][A-Z0-9]{2,}(?:[ -][A-Z][A-Z0-9]{2,})?)\b"
)
_ACRONYM = r"(?P<acr>[A-Z][A-Za-z]*[A-Z](?:'?s)?)"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_SMALL = {"and", "of", "the", "for", "in", "on", "to", "a", "&"}


@dataclass(frozen=True)
class Definition:
    term: str
    expansion: str


def operations(text: str) -> list[str]:
    """ "Operation SCEPTRE", in order of first mention, without repeats."""
    seen: list[str] = []
    for match in _OPERATION.finditer(text):
        name = f"Operation {match['name']}"
        if name not in seen:
            seen.append(name)
    return seen


def operation_descriptions(text: str) -> dict[str, str]:
    """ "Operation METEOR (a property marking campaign)" -> {"Operation METEOR": "a property ..."}."""
    out: dict[str, str] = {}
    pattern = re.compile(r"\bOperation\s+(?P<name>[A-Z][A-Z0-9]{2,})\s*\((?P<desc>[^()]{8,160})\)")
    for match in pattern.finditer(text):
        out.setdefault(f"Operation {match['name']}", match["desc"].strip())
    return out


def definitions(text: str) -> list[Definition]:
    found: list[Definition] = []
    # Long Form (LF)
    for match in re.finditer(rf"\({_ACRONYM}\)", text):
        words = list(_WORD.finditer(text[: match.start()]))
        expansion = _match_backwards(match["acr"], words, text)
        if expansion:
            found.append(Definition(_singular(match["acr"]), _expansion(match["acr"], expansion)))
    # LF (Long Form)  and  LF: Long Form
    for pattern in (
        rf"\b{_ACRONYM}\s*\((?P<rest>[^()]+)\)",
        rf"\b{_ACRONYM}:\s+(?P<rest>[^.;:()]+)",
    ):
        for match in re.finditer(pattern, text):
            rest = match["rest"]
            words = list(_WORD.finditer(rest))
            expansion = _match_forwards(match["acr"], words, rest)
            if expansion:
                found.append(
                    Definition(_singular(match["acr"]), _expansion(match["acr"], expansion))
                )
    return found


def _letters(acronym: str) -> str:
    return re.sub(r"'?s$", "", acronym).replace("/", "").upper()


def _initials(word: str) -> list[str]:
    """A word's possible contributions: its initial, each part of a hyphenated word, or an
    all-capitals word whole ("UK" in "UK Border Agency")."""
    parts = [p for p in re.split(r"[-–]", word) if p]
    options = [word[0].upper()]
    if len(parts) > 1:
        options.append("".join(p[0].upper() for p in parts))
    if word.isupper() and len(word) > 1:
        options.append(word)
    return options


def _match_backwards(acronym: str, words: list[re.Match], text: str) -> str | None:
    letters = _letters(acronym)
    if len(letters) < 2:
        return None
    words = words[-(len(letters) + 4) :]

    def solve(i: int, remaining: str) -> int | None:
        if not remaining:
            return i + 1
        if i < 0:
            return None
        word = words[i].group(0)
        for option in _initials(word):
            if remaining.endswith(option):
                result = solve(i - 1, remaining[: -len(option)])
                if result is not None:
                    return result
        if word.lower() in _SMALL and i < len(words) - 1:
            return solve(i - 1, remaining)
        return None

    start = solve(len(words) - 1, letters)
    if start is None or start >= len(words):
        return None
    if words[start].group(0).lower() in _SMALL:
        return None
    span = text[words[start].start() : words[-1].end()]
    return span if "(" not in span and ")" not in span else None


def _match_forwards(acronym: str, words: list[re.Match], text: str) -> str | None:
    letters = _letters(acronym)
    if len(letters) < 2:
        return None

    def solve(i: int, remaining: str) -> int | None:
        if not remaining:
            return i
        if i >= len(words):
            return None
        word = words[i].group(0)
        for option in _initials(word):
            if remaining.startswith(option):
                result = solve(i + 1, remaining[len(option) :])
                if result is not None:
                    return result
        if word.lower() in _SMALL and i > 0:
            return solve(i + 1, remaining)
        return None

    end = solve(0, letters)
    if end is None or end == 0:
        return None
    span = text[words[0].start() : words[end - 1].end()]
    # the long form must be the whole parenthesis, or run to a comma or a figure
    remainder = text[words[end - 1].end() :].strip()
    if remainder and not re.match(r"^[,\d]", remainder):
        return None
    return span


def _singular(acronym: str) -> str:
    return re.sub(r"'?s$", "", acronym) if re.search(r"[A-Z]'?s$", acronym) else acronym


def _expansion(acronym: str, expansion: str) -> str:
    expansion = re.sub(r"\s+", " ", expansion).strip()
    if (
        re.search(r"[A-Z]'?s$", acronym)
        and expansion.endswith("s")
        and not expansion.endswith("ss")
    ):
        expansion = expansion[:-1]
    return expansion
