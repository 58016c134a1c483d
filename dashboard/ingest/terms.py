"""Words as the matcher compares them: tokens with positions, a crude stem that makes plurals
and verb forms equal ("constables" = "constable", "stopped" = "stops" = "stop"), stop words,
and phrases ("words in any order") read from the catalogue's terms.

The stem is deliberately simple and predictable (no dictionary, no model): strip a possessive,
then -ing / -ed / -s, then a final -e, turn a final -y into -i and undouble a final consonant.
It only has to give the same key to the forms of one word; it never has to be a real word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string (easier to read than a list of quoted words)."""
    return frozenset(text.split())


#: Words that carry no meaning for matching a metric.
STOP_WORDS = word_set(
    """a an the of to in on at by for from with and or but as is are was were be been being has
    have had this that these those there their them they it its we our us which who whom
    whose what when where while whilst than then so such into onto over under during since
    between across against within per via through after before also currently now total
    further additional another some all any each other both only just up down out off do
    does did done will would can could may might shall should"""
)

#: Irregular forms the suffix rules would miss.
_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "people": "person",
    "children": "child",
    "fell": "fall",
    "rose": "rise",
    "grew": "grow",
    "made": "make",
    "took": "take",
    "saw": "see",
    "gave": "give",
    "held": "hold",
    "stood": "stand",
    "met": "meet",
    "left": "leave",
    "ran": "run",
    "won": "win",
    "paid": "pay",
    "seen": "see",
    "taken": "take",
    "given": "give",
    "hrs": "hour",
    "hr": "hour",
    "grown": "grow",
}

_TOKEN = re.compile(r"£?\d[\d,]*(?:\.\d+)?%?|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|[^\sA-Za-z\d]")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def tokens(text: str) -> list[Token]:
    """Words (hyphenated compounds split, "non-" kept on its word), numbers and punctuation."""
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if word[0].isalpha() and "-" in word:
            parts = word.split("-")
            offset = match.start()
            merged: list[tuple[str, int]] = []
            for part in parts:
                if merged and merged[-1][0].lower() in ("non", "pre", "co", "re", "sub"):
                    prefix, at = merged.pop()
                    merged.append((f"{prefix}-{part}", at))
                else:
                    merged.append((part, offset))
                offset += len(part) + 1
            out.extend(Token(p, at, at + len(p)) for p, at in merged if p)
            continue
        out.append(Token(word, match.start(), match.end()))
    return out


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A key shared by a word's plural and verb forms (see the module docstring)."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if "-" in w:  # "non-emergency", "pre-employment": stem the last part
        head, _, tail = w.rpartition("-")
        return f"{head}-{stem(tail)}"
    if len(w) <= 3:
        return w
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousz":
        w = w[:-1]
    return w


def content_stems(text: str) -> list[str]:
    """The stems of the meaningful words of ``text``, in order."""
    return [stem(t.text) for t in tokens(text) if t.is_word and t.text.lower() not in STOP_WORDS]


def phrase(text: str) -> frozenset[str]:
    """A catalogue term as a set of stems: its words in any order, any inflection."""
    stems = content_stems(text)
    stems += [t.text for t in tokens(text) if t.text.isdigit()]  # "999 calls", "101"
    return frozenset(stems)
