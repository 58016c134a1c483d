"""The running server's dataset: the last version that validated, never whatever is on disk.

Each gunicorn worker holds a ``DatasetStore``. At most every ``reload_interval`` seconds it
looks (a few stat calls) at the live-version pointer and at the folder's flat tables:

- a new live version (an import, a rollback) is loaded whole from its own immutable folder, so
  a worker never serves new observations beside old sources;
- flat tables edited in place are validated as a whole under the store's lock; if they pass
  they become a new version (every worker then serves it), if not the problems are kept for
  the about page and the log and the live version goes on being served;
- a worker that starts while the flat tables are bad (a respawn) loads the live version,
  which validated, and reports the same problems.

A folder that cannot be written (an installed package's bundled data) has no versions: its
tables are read as they are, and the last good dataset is kept in memory. See docs/store.md.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from .errors import DataError, Problem
from .model import Dataset, load_dataset
from .schema import TABLES
from .versions import LockTimeout, VersionStore, fingerprint, has_tables

log = logging.getLogger(__name__)

#: Problems written into a log event (the about page and `validate` show them all).
LOGGED_PROBLEMS = 20


def files_signature(path: Path) -> tuple:
    """What changes when any table file of ``path`` is replaced (size, mtime, inode)."""
    signature: list[tuple] = []
    for spec in TABLES.values():
        try:
            stat = (path / spec.filename).stat()
            # The inode changes on every atomic replace, even within one clock tick.
            signature.append((spec.filename, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            signature.append((spec.filename, None, None))
    return tuple(signature)


def _as_problems(exc: Exception, where: Path) -> list[Problem]:
    if isinstance(exc, DataError):
        return exc.problems
    return [
        Problem.of_file(
            str(where),
            f"the dataset could not be loaded ({exc.__class__.__name__}: {exc})",
        )
    ]


class DatasetStore:
    """``get()`` is the dataset to serve (or None: nothing has ever validated)."""

    #: True when ``last_problems`` are files in the folder that differ from the live version
    #: (edited, missing, added) and wait for ``pcp-dashboard publish``, not files that failed.
    unpublished: bool = False

    def __init__(
        self,
        path: Path,
        reload_interval: float = 2.0,
        *,
        seed: Path | None = None,
        keep_versions: int = 20,
        lock_timeout: float = 30.0,
        background: bool = False,
    ):
        self.path = Path(path)
        #: True: a worker with data in hand looks at the disk (and loads a new version) in a
        #: thread of its own, so no request waits on a load (issue 22); False: the request
        #: that notices does it, while the worker's other threads go on serving.
        self.background = background
        self.reload_interval = reload_interval
        self.lock_timeout = lock_timeout
        self.versions = VersionStore(self.path, seed=seed, keep=keep_versions)
        self._lock = threading.Lock()
        self._dataset: Dataset | None = None
        self._signature: tuple | None = None
        self._checked: float | None = None
        #: Why the files on disk are not being served (empty when they are).
        self.last_problems: list[Problem] = []
        self.unpublished = False

    @classmethod
    def from_settings(cls, settings) -> DatasetStore:
        """The store a server runs with (``settings``: a dashboard.config.Settings)."""
        return cls(
            settings.data_dir,
            settings.reload_interval,
            seed=settings.seed_dir,
            keep_versions=settings.keep_versions,
            lock_timeout=settings.lock_timeout,
        )

    # -- public ----------------------------------------------------------------------------
    def get(self) -> Dataset | None:
        """The dataset to serve, after a look at the disk if ``reload_interval`` has passed."""
        now = time.monotonic()
        if self._checked is None or now - self._checked >= self.reload_interval:
            # While one thread looks (a new version can take seconds to load), the others go on
            # serving the dataset in hand; only a worker with nothing to serve waits.
            if not self._lock.acquire(blocking=self._dataset is None):
                return self._dataset
            if self.background and self._dataset is not None:
                in_hand = self._dataset
                threading.Thread(
                    target=self._look_and_release, name="dataset-reload", daemon=True
                ).start()
                return in_hand
            try:
                if self._checked is None or now - self._checked >= self.reload_interval:
                    first = self._checked is None
                    self._refresh(first)
                    # Counted from the end of the look, not the start: a slow load is not
                    # followed at once by another.
                    self._checked = time.monotonic()
            finally:
                self._lock.release()
        return self._dataset

    def _look_and_release(self) -> None:
        """The background look (``background``): runs holding the lock ``get`` took."""
        try:
            self._refresh(False)
            self._checked = time.monotonic()
        except Exception:  # noqa: BLE001 - a failed look must never end the worker
            log.exception("looking at the dataset failed", extra={"event": "dataset_look_failed"})
            self._checked = time.monotonic()
        finally:
            self._lock.release()

    @property
    def version(self) -> str | None:
        dataset = self.get()
        return dataset.version if dataset is not None else None

    # -- looking at the disk ---------------------------------------------------------------
    def _signature_now(self) -> tuple:
        store = self.versions
        try:
            stat = store.current_file.stat()
            pointer = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        except OSError:
            pointer = None
        return pointer, str(store.working_dir()), files_signature(store.working_dir())

    def _refresh(self, first: bool) -> None:
        signature = self._signature_now()
        if signature == self._signature:
            return
        if self.versions.writable:
            looked = self._refresh_versioned(first)
        else:
            looked = self._refresh_read_only()
        # Not looked at (the lock was busy): try again at the next interval.
        self._signature = signature if looked else None

    def _refresh_versioned(self, first: bool) -> bool:
        store = self.versions
        fresh: Dataset | None = None
        looked = False
        # A worker with nothing to serve waits for the lock (bounded); one that has data
        # never waits: it keeps serving and looks again at the next interval.
        wait = first and store.current_version() is None
        try:
            if wait:
                with store.lock(self.lock_timeout, action="server start"):
                    fresh, looked = self._sync()
            else:
                with store.try_lock() as got:
                    if got:
                        fresh, looked = self._sync()
        except LockTimeout as exc:
            log.warning(str(exc), extra={"event": "dataset_lock_busy", "data_dir": str(self.path)})
        except OSError as exc:
            log.error(
                "could not look at the dataset's versions: %s",
                exc,
                extra={"event": "dataset_store_error", "data_dir": str(self.path)},
            )
        target = store.current_version()
        if target is None:
            return looked
        if self._dataset is not None and self._dataset.version == target:
            return looked
        if fresh is not None and fresh.version == target:
            self._take(fresh, "dataset_loaded")
            return looked
        self._load_version(target)
        return looked

    def _sync(self) -> tuple[Dataset | None, bool]:
        store = self.versions
        store.recover()
        result = store.sync(publish=False)  # the folder's files go live only by a command
        self.unpublished = result.unpublished
        if result.problems:
            self._refuse(result.problems, store.working_dir())
        else:
            self.last_problems = []
        return result.dataset, True

    def _load_version(self, target: str) -> None:
        """The live version; if it no longer loads (changed on disk, or the rules have grown
        since it was validated), the newest earlier version that does."""
        store = self.versions
        tried: list[str] = []
        candidates = [target] + [
            e["version"]
            for e in reversed(store.history())
            if e.get("version") not in (None, target)
        ]
        for version in dict.fromkeys(candidates):
            if self._dataset is not None and self._dataset.version == version:
                return  # already serving the best version that loads
            try:
                dataset = store.load(version)
            except Exception as exc:  # noqa: BLE001 - a bad version must never stop the server
                tried.append(version)
                self._refuse(
                    _as_problems(exc, store.version_dir(version)), store.version_dir(version)
                )
                continue
            self._take(dataset, "dataset_loaded" if not tried else "dataset_fallback", tried)
            return

    def _refresh_read_only(self) -> bool:
        working = self.versions.working_dir()
        if not has_tables(working) and not working.is_dir():
            self._refuse(
                [Problem.of_file(str(working), "a dataset folder; there is none here")],
                working,
            )
            return True
        try:
            version = fingerprint(working)
            if self._dataset is not None and self._dataset.version == version:
                self.last_problems = []
                return True
            dataset = load_dataset(working, version=version)
        except Exception as exc:  # noqa: BLE001 - whatever happens, keep serving the last good data
            self._refuse(_as_problems(exc, working), working)
            return True
        self._take(dataset, "dataset_loaded")
        return True

    # -- outcomes ----------------------------------------------------------------------------
    def _take(self, dataset: Dataset, event: str, refused: list[str] | None = None) -> None:
        previous = self._dataset.version if self._dataset is not None else None
        self._dataset = dataset
        log.info(
            "serving dataset version %s from %s",
            dataset.version,
            dataset.path,
            extra={
                "event": event,
                "data_dir": str(self.path),
                "version": dataset.version,
                "previous": previous,
                "refused_versions": refused or [],
            },
        )

    def _refuse(self, problems: list[Problem], where: Path) -> None:
        self.last_problems = problems
        errors = [p for p in problems if p.severity == "error"]
        if self.unpublished:
            log.warning(
                "files in %s differ from the live version and are not published (%d files); "
                "run `pcp-dashboard publish` to make them live",
                where,
                len(errors),
                extra={
                    "event": "dataset_unpublished",
                    "data_dir": str(self.path),
                    "serving": self._dataset.version if self._dataset else None,
                    "problems": [str(p) for p in errors[:LOGGED_PROBLEMS]],
                },
            )
            return
        log.error(
            "dataset in %s is not valid (%d problems); %s",
            where,
            len(errors),
            "keeping the last good data" if self._dataset else "no data to serve",
            extra={
                "event": "dataset_refused",
                "data_dir": str(self.path),
                "files": str(where),
                "serving": self._dataset.version if self._dataset else None,
                "problem_count": len(errors),
                "problems": [str(p) for p in errors[:LOGGED_PROBLEMS]],
            },
        )
