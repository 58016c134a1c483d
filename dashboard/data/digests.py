"""A dataset version's id: the digests of its table files (the same tables give the same id, in
any process). Its own module so that the model (which names a loaded dataset by it) and the
version store (which names its folders by it) both use it without importing each other.

``check_digest`` is the one check of a file against the sha256 its manifest recorded: the
Parquet copies, the prepared frames and the records' counts of a version all go through it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import DataError, Problem
from .schema import TABLES


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_digest(path: Path, wanted: object, version: str, what: str) -> None:
    """Raise DataError naming ``path`` when it cannot be read or its sha256 is not ``wanted``
    (the manifest's): ``what`` says which file it is ("the Parquet file", "the records'
    counts"). Reading the bytes is the whole check: a worker trusts a file whose digest holds
    and never validates its cells again."""
    try:
        found = file_digest(path)
    except OSError as exc:
        raise DataError(
            [Problem.of_file(str(path), f"{what} of version {version}, readable ({exc.strerror})")]
        ) from exc
    if found != wanted:
        said = f"sha256 {wanted[:12]}…" if isinstance(wanted, str) else "no sha256 recorded"
        raise DataError(
            [
                Problem.of_file(
                    str(path),
                    f"{what} written when version {version} was validated ({said}); it was "
                    f"changed afterwards (sha256 {found[:12]}…)",
                )
            ]
        )


def table_digests(folder: Path, known: dict | None = None) -> dict[str, str]:
    """sha256 of every table file present in ``folder`` (README, published/ etc. are not).

    ``known``: file name -> [size, mtime_ns, ctime_ns, inode, sha256] recorded when the file
    was last hashed (``VersionStore``'s record of the working copy, ``working_stats``); a file
    whose stat is unchanged takes the recorded digest instead of being read again, as git's
    index does. The change time cannot be set back by a user (``touch`` sets it to now)."""
    digests = {}
    for spec in TABLES.values():
        path = folder / spec.filename
        if not path.is_file():
            continue
        entry = (known or {}).get(spec.filename)
        if (
            isinstance(entry, list)
            and len(entry) == 5
            and tuple(entry[:4]) == stat_key(path)
            and isinstance(entry[4], str)
        ):
            digests[spec.filename] = entry[4]
        else:
            digests[spec.filename] = file_digest(path)
    return digests


def stat_key(path: Path) -> tuple[int, int, int, int]:
    """(size, mtime_ns, ctime_ns, inode): what changes when a file is edited or replaced."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


#: A file changed less than this long before it was hashed is not recorded: a second change
#: within the same clock tick would leave its stat as it was (git's "racy" files).
SETTLED_NS = 2_000_000_000


def working_stats(folder: Path, digests: dict[str, str], now_ns: int) -> dict[str, list]:
    """What ``table_digests(folder, known=...)`` may trust next time: the stat and digest of
    each file of ``digests`` that had settled (unchanged for ``SETTLED_NS``) by ``now_ns``."""
    found: dict[str, list] = {}
    for name, digest in digests.items():
        try:
            key = stat_key(folder / name)
        except OSError:
            continue
        if now_ns - max(key[1], key[2]) >= SETTLED_NS:
            found[name] = [*key, digest]
    return found


def version_id(digests: dict[str, str]) -> str:
    """The id of a set of tables: the same tables give the same id, in any process."""
    combined = hashlib.sha256()
    for name in sorted(digests):
        combined.update(f"{name}\0{digests[name]}\n".encode())
    return combined.hexdigest()[:12]


def fingerprint(folder: Path) -> str:
    return version_id(table_digests(folder))
