"""A dataset version's id: the digests of its table files (the same tables give the same id, in
any process). Its own module so that the model (which names a loaded dataset by it) and the
version store (which names its folders by it) both use it without importing each other."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .schema import TABLES


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_digests(folder: Path) -> dict[str, str]:
    """sha256 of every table file present in ``folder`` (README, published/ etc. are not)."""
    digests = {}
    for spec in TABLES.values():
        path = folder / spec.filename
        if path.is_file():
            digests[spec.filename] = file_digest(path)
    return digests


def version_id(digests: dict[str, str]) -> str:
    """The id of a set of tables: the same tables give the same id, in any process."""
    combined = hashlib.sha256()
    for name in sorted(digests):
        combined.update(f"{name}\0{digests[name]}\n".encode())
    return combined.hexdigest()[:12]


def fingerprint(folder: Path) -> str:
    return version_id(table_digests(folder))
