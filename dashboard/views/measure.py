"""How much room a text takes: the width of a line and the number of lines it wraps to.

Meeting slides are paginated on the server (views/slides.py): what goes on a slide is chosen by
the space there is, so a slide never overflows and nothing is hidden under the controls. That
needs the width of text in the font the slide is drawn in. The advance widths below are DejaVu
Sans (regular and bold), measured from the font files with fontTools: it is what Debian draws
for ``Arial, Helvetica, sans-serif`` here and on the projector laptops that lack Arial, and it is
wider than Arial and Liberation Sans, so a budget made with it also holds for them. Widths are in
em (1 = the font size). A character not in the table counts as an em (wider than any letter).

The browser tests measure the real slides at three screen sizes and fail if the estimate is ever
too small.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "–—‘’“”£▲▼▬·…é"
)
_REGULAR = (
    "0.318 0.401 0.46 0.838 0.636 0.95 0.78 0.275 0.39 0.39 0.5 0.838 0.318 0.361 0.318 0.337 "
    "0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.337 0.337 0.838 0.838 0.838 "
    "0.531 1.0 0.684 0.686 0.698 0.77 0.632 0.575 0.775 0.752 0.295 0.295 0.656 0.557 0.863 0.748 "
    "0.787 0.603 0.787 0.695 0.635 0.611 0.732 0.684 0.989 0.685 0.611 0.685 0.39 0.337 0.39 0.838 "
    "0.5 0.5 0.613 0.635 0.55 0.635 0.615 0.352 0.635 0.634 0.278 0.278 0.579 0.278 0.974 0.634 "
    "0.612 0.635 0.635 0.411 0.521 0.392 0.634 0.592 0.818 0.592 0.592 0.525 0.636 0.337 0.636 "
    "0.838 0.5 1.0 0.318 0.318 0.518 0.518 0.636 0.769 0.769 0.945 0.318 1.0 0.615"
)
_BOLD = (
    "0.348 0.456 0.521 0.838 0.696 1.002 0.872 0.306 0.457 0.457 0.523 0.838 0.38 0.415 0.38 0.365 "
    "0.696 0.696 0.696 0.696 0.696 0.696 0.696 0.696 0.696 0.696 0.4 0.4 0.838 0.838 0.838 0.58 "
    "1.0 0.774 0.762 0.734 0.83 0.683 0.683 0.821 0.837 0.372 0.372 0.775 0.637 0.995 0.837 0.85 "
    "0.733 0.85 0.77 0.72 0.682 0.812 0.774 1.103 0.771 0.724 0.725 0.457 0.365 0.457 0.838 0.5 "
    "0.5 0.675 0.716 0.593 0.716 0.678 0.435 0.716 0.712 0.343 0.343 0.665 0.343 1.042 0.712 "
    "0.687 0.716 0.716 0.493 0.595 0.478 0.712 0.652 0.924 0.645 0.652 0.582 0.712 0.365 0.712 "
    "0.838 0.5 1.0 0.38 0.38 0.657 0.657 0.696 0.769 0.769 0.945 0.38 1.0 0.678"
)
WIDTHS = {
    False: dict(zip(_CHARS, map(float, _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARS, map(float, _BOLD.split()), strict=True)),
}
UNKNOWN = 1.0


@lru_cache(maxsize=4096)
def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` on one line, in em."""
    table = WIDTHS[bold]
    return sum(table.get(char, UNKNOWN) for char in text)


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def wrap(text: str, width: float, bold: bool = False) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width`` em, at spaces, as a browser does (a
    word longer than a line gets a line of its own)."""
    words = [w for w in _SPACE.split(str(text).strip()) if w]
    if not words:
        return ()
    space = WIDTHS[bold][" "]
    lines: list[str] = []
    line, used = "", 0.0
    for word in words:
        size = text_width(word, bold)
        if line and used + space + size > width:
            lines.append(line)
            line, used = word, size
        else:
            line, used = (f"{line} {word}", used + space + size) if line else (word, size)
    lines.append(line)
    return tuple(lines)


def line_count(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` em wide (0 for no text)."""
    return len(wrap(text, width, bold)) if text else 0
