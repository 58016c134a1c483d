"""Numbers as the reports write them: "82,344", "11.2%", "£5.4m", "£2 million", "Twelve",
"twenty-five", "a hundred"."""

from __future__ import annotations

import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Every number word the fact finder recognises, with its value.
WORDS: dict[str, int] = {**_UNITS, **_TENS, "a hundred": 100, "hundred": 100, "a dozen": 12}
for _ten, _tv in _TENS.items():
    for _unit, _uv in list(_UNITS.items())[:9]:
        WORDS[f"{_ten}-{_unit}"] = _tv + _uv
        WORDS[f"{_ten} {_unit}"] = _tv + _uv

SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "bn": 1e9, "billion": 1e9}


def to_number(raw: str) -> float:
    """Read a number as written; raises ValueError if it is not one."""
    text = raw.strip().lower().replace("£", "").replace(",", "").strip()
    text = re.sub(r"\s*(?:%|per\s?cent|percent)$", "", text).strip()
    match = re.fullmatch(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<s>k|m|mn|bn|million|billion|thousand)?", text)
    if match:
        scale = SCALE[match["s"]] if match["s"] else 1.0
        return float(match["n"]) * scale
    words = re.sub(r"\s+", " ", text)
    scaled = re.fullmatch(r"(?P<w>.+?) (?P<s>hundred|thousand)", words)
    if scaled and scaled["w"] in WORDS:
        return float(WORDS[scaled["w"]] * (100 if scaled["s"] == "hundred" else 1000))
    if words in WORDS:
        return float(WORDS[words])
    raise ValueError(f"not a number: {raw!r}")


def scale_after(text: str) -> float:
    """The multiplier written right after a value: "m" in "£5.4m", " million"."""
    match = re.match(r"\s*(k|mn|m|bn|million|billion|thousand)\b", text, re.I)
    return SCALE[match[1].lower()] if match else 1.0
