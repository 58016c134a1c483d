"""Numbers as the reports write them: "82,344", "11.2%", "£5.4m", "Twelve", "nine"."""

from __future__ import annotations

import re

WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "one": 1, "a hundred": 100, "hundred": 100,
}  # fmt: skip
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "bn": 1e9, "billion": 1e9}


def to_number(raw: str) -> float:
    """Read a number as written; raises ValueError if it is not one."""
    text = raw.strip().lower().replace("£", "").replace(",", "").rstrip("%").strip()
    scale = 1.0
    match = re.fullmatch(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<s>k|m|mn|bn|million|billion|thousand)?", text)
    if match:
        if match["s"]:
            scale = SCALE[match["s"]]
        return float(match["n"]) * scale
    if text in WORDS:
        return float(WORDS[text])
    raise ValueError(f"not a number: {raw!r}")


def scale_after(text: str) -> float:
    """The multiplier written right after a value: "m" in "£5.4m", " million"."""
    match = re.match(r"\s*(k|mn|m|bn|million|billion|thousand)\b", text, re.I)
    return SCALE[match[1].lower()] if match else 1.0
