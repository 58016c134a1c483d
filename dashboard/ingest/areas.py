"""Area labels in bullets ("West LPA:", "Southend: ...", "In Thurrock, ...") -> area ids,
through the aliases in data/areas.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .text import key

_LABEL = re.compile(r"^(?P<label>[^:.;,]{2,70}?)\s*:(?:\s+|$)")
_IN_AREA = re.compile(r"^In (?P<label>[A-Z][\w&'\- ]{1,40}?),\s")


@dataclass(frozen=True)
class AreaIndex:
    """Normalised alias -> area_id."""

    aliases: dict[str, str]

    @classmethod
    def from_frame(cls, areas: pd.DataFrame) -> AreaIndex:
        aliases: dict[str, str] = {}
        for row in areas.fillna("").itertuples(index=False):
            names = [row.area_id, row.name, *str(row.aliases).split("|")]
            for name in names:
                if name.strip():
                    aliases.setdefault(key(name), row.area_id)
                    bare = key(re.sub(r"\([^)]*\)", " ", name))
                    if bare:
                        aliases.setdefault(bare, row.area_id)
        return cls(aliases)

    def resolve(self, label: str) -> str | None:
        label_key = key(label)
        if label_key in self.aliases:
            return self.aliases[label_key]
        bare = key(re.sub(r"\([^)]*\)", " ", label))
        return self.aliases.get(bare)


def leading_label(text: str) -> str | None:
    """The "Label:" an item starts with (or is), if it is short enough to be a place name."""
    stripped = text.strip()
    match = _LABEL.match(stripped)
    if match and len(match["label"].split()) <= 7:
        return match["label"].strip()
    if len(stripped.split()) <= 7 and not re.search(r"[.;!?]$", stripped) and "(" in stripped:
        # "South Local Policing Area (LPA)" written without its colon
        return stripped
    return None


def in_area_label(text: str) -> str | None:
    """ "In Thurrock, an expedited ..." -> "Thurrock"."""
    match = _IN_AREA.match(text.strip())
    return match["label"] if match else None
