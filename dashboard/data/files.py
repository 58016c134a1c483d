"""Which paths may be read as files: regular files only, links resolved and checked.

Every reader of an outside file (``import``, ``ingest``, the flat files of a dataset folder)
asks :func:`why_not_readable` first. A device (``/dev/urandom`` never ends), a FIFO (an
``open`` that waits for a writer forever, holding the dataset lock), a socket or a folder is
refused with a message that names the file and what it is; a symbolic link is followed to
its target and the target checked (and named in the message). The check does not open the
file, so it never blocks.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a file mode says the path is, in words ("a regular file", "a named pipe (FIFO)")."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def why_not_readable(path: Path) -> str | None:
    """None when ``path`` is (a link to) a regular file; otherwise why it may not be read."""
    path = Path(path)
    try:
        target = Path(os.path.realpath(path, strict=True))
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"a link to {os.readlink(path)}, which does not exist"
        return "no such file"
    except (OSError, RuntimeError, ValueError) as exc:
        return f"the file cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if stat.S_ISREG(mode):
        return None
    moved = path.is_symlink() or target != Path(os.path.abspath(path))
    linked = f"a link to {target}, which is " if moved else ""
    return f"{linked}{kind_of(mode)}, not a regular file; nothing was read from it"
