"""The running server's dataset: loaded once, re-read when its files change, never lost.

Every gunicorn worker holds its own store and checks the files' size and modification time at
most every ``reload_interval`` seconds (a few stat calls): a newly imported dataset reaches every
worker without a restart. A dataset that fails validation is not taken: the last good one keeps
being served and the problems are kept for the about page and the log.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from .errors import DataError, Problem
from .model import Dataset, load_dataset
from .schema import TABLES

log = logging.getLogger(__name__)


def files_signature(path: Path) -> tuple:
    signature = []
    for spec in TABLES.values():
        try:
            stat = (path / spec.filename).stat()
            # The inode changes on every atomic replace, even within one clock tick.
            signature.append((spec.filename, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            signature.append((spec.filename, None, None))
    return tuple(signature)


class DatasetStore:
    def __init__(self, path: Path, reload_interval: float = 2.0):
        self.path = path
        self.reload_interval = reload_interval
        self._lock = threading.Lock()
        self._dataset: Dataset | None = None
        self._signature: tuple | None = None
        self._checked = 0.0
        self.last_problems: list[Problem] = []
        self.last_failed_signature: tuple | None = None
        self._load(files_signature(path))
        # The files were just read: the next look is one interval from now (not at once, as a
        # start of 0 would make it on a machine whose monotonic clock is past the interval).
        self._checked = time.monotonic()

    def _load(self, signature: tuple) -> None:
        try:
            dataset = load_dataset(self.path)
        except Exception as exc:  # noqa: BLE001 - whatever happens, keep serving the last good data
            if not isinstance(exc, DataError):
                exc = DataError(
                    [
                        Problem(
                            str(self.path),
                            None,
                            None,
                            None,
                            f"the dataset could not be loaded ({exc.__class__.__name__}: {exc})",
                        )
                    ]
                )
            self.last_problems = exc.problems
            self.last_failed_signature = signature
            log.error(
                "Dataset in %s is not valid (%d problems); %s",
                self.path,
                len(exc.errors),
                "keeping the last good data" if self._dataset else "no data to serve",
            )
            for problem in exc.errors[:20]:
                log.error("  %s", problem)
        else:
            self._dataset = dataset
            self.last_problems = []
            self.last_failed_signature = None
            log.info("Loaded dataset from %s", self.path)
        self._signature = signature

    def get(self) -> Dataset | None:
        """The current dataset, re-read first if its files have changed."""
        now = time.monotonic()
        if now - self._checked >= self.reload_interval:
            with self._lock:
                if now - self._checked >= self.reload_interval:
                    self._checked = now
                    signature = files_signature(self.path)
                    if signature != self._signature:
                        self._load(signature)
        return self._dataset

    @property
    def healthy(self) -> bool:
        return self.get() is not None
