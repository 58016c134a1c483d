"""Small text helpers shared by the ingest steps: normalising and splitting into sentences."""

from __future__ import annotations

import re

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_ABBREVIATIONS = {"e.g", "i.e", "etc", "no", "mr", "mrs", "ms", "dr", "st", "vs", "approx", "inc"}
#: A bullet glyph inside a line, where flattened text (a PDF's or a web copy's) ran the next
#: bullet into the same line: "... £5.4m. • Operation SCEPTRE: ...". Only glyphs that are
#: never punctuation ("-", "–" and "*" are), followed by a word that starts a bullet.
_INLINE_BULLET = re.compile(r"\s+[•▪●■◦‣➢\uf0a7\uf0b7](?=\s+[A-Z0-9£“\"'(])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"‘'(£#])")


def squash(text: str) -> str:
    """Collapse runs of whitespace (tabs, newlines) to one space."""
    return re.sub(r"\s+", " ", text).strip()


def key(text: str) -> str:
    """A loose comparison key: lower case, & -> and, dashes and quotes unified, no punctuation."""
    text = str(text).lower().replace("&", " and ")
    for dash in _DASHES:
        text = text.replace(dash, "-")
    for quote, plain in _QUOTES.items():
        text = text.replace(quote, plain)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, verbatim apart from whitespace."""
    text = squash(text)
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last_word = re.search(r"(\S+)$", before)
        token = last_word[1].rstrip(".!?\"'”’)").lower() if last_word else ""
        if token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
            continue
        out.append(text[start : match.start()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def split_bullets(text: str) -> list[str]:
    """Bullets that run together on one line, each on its own (one item for a line without)."""
    parts = [part.strip() for part in _INLINE_BULLET.split(text)]
    return [part for part in parts if part] or [text]
