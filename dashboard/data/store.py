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
import os
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from .errors import DataError, Problem
from .model import Dataset, load_dataset
from .schema import TABLES
from .versions import LockTimeout, VersionStore, fingerprint, folder_records, has_tables

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


def _ready(dataset: Dataset, on_load: Callable[[Dataset], object] | None) -> None:
    """Run ``on_load`` before ``dataset`` is served; a failure is logged, never stops it (the
    pages then work their views out on first use, as without the hook)."""
    if on_load is None:
        return
    try:
        on_load(dataset)
    except Exception:  # noqa: BLE001 - the data validated; the pages say what fails
        log.exception(
            "preparing version %s failed",
            dataset.version,
            extra={"event": "dataset_prepare_failed", "version": dataset.version},
        )


class DatasetStore:
    """``get()`` is the dataset to serve (or None: nothing has ever validated)."""

    #: Which store the versions come from (``/healthz`` says it).
    kind = "files"
    #: Why the host is serving without being able to see the live version (None: it can).
    degraded: str | None = None

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
        #: The process that made the last look (``get``: a forked one looks at once).
        self._pid: int | None = os.getpid()
        #: Why the files on disk are not being served (empty when they are).
        self.last_problems: list[Problem] = []
        self.unpublished = False
        #: Called with each dataset before it is served (``create_app``: the view model's
        #: preparation), in the thread that loaded it: with ``background``, a new version's
        #: views are ready before the first request sees it.
        self.on_load: Callable[[Dataset], object] | None = None

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
        # A process forked from the one that looked last (a gunicorn worker of a preloaded
        # master, a respawned one) looks at once, as a worker that starts does: it reports the
        # same problems as the workers already running, and serves the same version.
        forked = self._pid != os.getpid()
        if forked or self._checked is None or now - self._checked >= self.reload_interval:
            # While one thread looks (a new version can take seconds to load), the others go on
            # serving the dataset in hand; only a worker with nothing to serve (or just
            # forked) waits.
            if not self._lock.acquire(blocking=self._dataset is None or forked):
                return self._dataset
            if self.background and self._dataset is not None and self._pid == os.getpid():
                in_hand = self._dataset
                threading.Thread(
                    target=self._look_and_release, name="dataset-reload", daemon=True
                ).start()
                return in_hand
            try:
                forked = self._pid != os.getpid()
                if forked or self._checked is None or now - self._checked >= self.reload_interval:
                    first = self._checked is None
                    self._refresh(first)
                    # Counted from the end of the look, not the start: a slow load is not
                    # followed at once by another.
                    self._checked = time.monotonic()
                    self._pid = os.getpid()
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
            records = folder_records(working)  # the bundled records, checked
            dataset = load_dataset(working, version=version).with_records(
                working / "records" if records is not None else None
            )
        except Exception as exc:  # noqa: BLE001 - whatever happens, keep serving the last good data
            self._refuse(_as_problems(exc, working), working)
            return True
        self._take(dataset, "dataset_loaded")
        return True

    # -- outcomes ----------------------------------------------------------------------------
    def _take(self, dataset: Dataset, event: str, refused: list[str] | None = None) -> None:
        previous = self._dataset.version if self._dataset is not None else None
        _ready(dataset, self.on_load)
        self._dataset = dataset  # the switch: one assignment, seen whole by every thread
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


# --- a host following the shared store (PostgreSQL, issue 26) -------------------------------------

#: Seconds between two attempts to reach a database that did not answer, at most.
RETRY_SECONDS = 2.0


class SharedDatasetStore(DatasetStore):
    """A host's view of the versions in PostgreSQL (``PCP_STORE``; docs/shared-store.md).

    At its first ``get()`` in a process (each gunicorn worker) it loads the version the
    database names, then a background thread follows it: ``LISTEN pcp_live`` tells it of a
    switch at once, and every ``poll_seconds`` it looks anyway (a notification lost with a
    connection). A new version is materialised into the host's cache folder and loaded whole by
    the file store's loader while the current one goes on being served; then one assignment
    switches. The database unreachable: the last good version is served, ``degraded`` says why,
    and the thread tries again until it is back, then catches up.

    A DatasetStore to the server (``get``, ``last_problems``, ``unpublished``, ``degraded``,
    ``kind``), it never looks at a data folder."""

    kind = "postgresql"
    unpublished = False

    def __init__(
        self,
        pg,  # a dashboard.data.pgstore.PgStore
        cache: Path,
        *,
        poll_seconds: float = 5.0,
        lock_timeout: float = 30.0,
        keep_versions: int = 20,
    ):
        self.pg = pg
        self.cache = Path(cache)
        self.poll_seconds = poll_seconds
        self.lock_timeout = lock_timeout
        self.keep_versions = keep_versions
        self._dataset: Dataset | None = None
        self._pid: int | None = None
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._refused: str | None = None
        self.last_problems: list[Problem] = []
        self.degraded: str | None = None
        #: The live version the database named at the last look (None: not reached yet).
        self.live: str | None = None
        self.on_load: Callable[[Dataset], object] | None = None

    @classmethod
    def from_settings(cls, settings) -> SharedDatasetStore:
        from .pgstore import PgStore, default_cache

        return cls(
            PgStore.from_settings(settings),
            settings.store_cache_dir or default_cache(settings.store_url),
            poll_seconds=settings.store_poll_seconds,
            lock_timeout=settings.lock_timeout,
            keep_versions=settings.keep_versions,
        )

    # -- public ----------------------------------------------------------------------------
    def get(self) -> Dataset | None:
        if self._pid != os.getpid():
            with self._guard:
                if self._pid != os.getpid():  # a new process (a forked worker): start here
                    self._start()
        return self._dataset

    @property
    def version(self) -> str | None:
        dataset = self.get()
        return dataset.version if dataset is not None else None

    def stop(self) -> None:
        self._stop.set()

    # -- following -------------------------------------------------------------------------
    def _start(self) -> None:
        self._pid = os.getpid()
        self._stop = threading.Event()
        try:
            with self.pg.session() as conn:
                self._catch_up(conn, first=True)
        except Exception as exc:  # noqa: BLE001 - no database: serve what this host last had
            self._unreachable(exc)
            if self._dataset is None:
                self._load_cached()
        thread = threading.Thread(target=self._follow, name="pcp-store-follow", daemon=True)
        thread.start()

    def _follow(self) -> None:
        from .pgstore import CHANNEL

        while not self._stop.is_set():
            try:
                with self.pg.session() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._catch_up(conn)
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=self.poll_seconds, stop_after=1):
                            pass
                        self._catch_up(conn)
            except Exception as exc:  # noqa: BLE001 - whatever happens, keep serving
                self._unreachable(exc)
                self._stop.wait(min(self.poll_seconds, RETRY_SECONDS))

    def _catch_up(self, conn, first: bool = False) -> None:
        """Look at the live version and, if it is another, load it (the current one is served
        meanwhile)."""
        live = self.pg.current_version(conn)
        if live is None and first:
            with self.pg.lock(self.lock_timeout, action="server start") as writer:
                live = self.pg.ensure_seeded(writer)
        self.live = live
        if self.degraded is not None:
            log.info(
                "the dataset database is reachable again",
                extra={"event": "dataset_store_back", "store": self.pg.where},
            )
        self.degraded = None
        if live is None or live == self._refused:
            return
        if self._dataset is not None and self._dataset.version == live:
            return
        try:
            dataset = self.pg.load(conn, live, self.cache)
        except DataError as exc:
            self._refused = live
            self.last_problems = exc.problems
            log.error(
                "version %s in %s does not load; keeping the last good data",
                live,
                self.pg.where,
                extra={
                    "event": "dataset_refused",
                    "store": self.pg.where,
                    "version": live,
                    "serving": self._dataset.version if self._dataset else None,
                    "problems": [str(p) for p in exc.errors[:LOGGED_PROBLEMS]],
                },
            )
            return
        self._serve(dataset)

    def _serve(self, dataset: Dataset) -> None:
        previous = self._dataset.version if self._dataset is not None else None
        _ready(dataset, self.on_load)
        self._dataset = dataset
        self.last_problems = []
        self._refused = None
        with suppress(OSError):
            (self.cache / "LIVE").write_text(dataset.version, encoding="utf-8")
        log.info(
            "serving dataset version %s from %s",
            dataset.version,
            self.pg.where,
            extra={
                "event": "dataset_loaded",
                "store": self.pg.where,
                "version": dataset.version,
                "previous": previous,
            },
        )
        self._prune_cache(dataset.version)

    def _unreachable(self, exc: Exception) -> None:
        """``degraded`` says why: the database not answering (a connection error), or anything
        else that stopped this host from following it (a lock held too long, a full disk)."""
        import psycopg

        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        what = (
            "is unreachable"
            if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
            else "cannot be followed"
        )
        reason = f"the dataset database at {self.pg.where} {what} ({exc.__class__.__name__}"
        reason += f": {first_line})" if first_line else ")"
        serving = self._dataset.version if self._dataset is not None else None
        reason += f"; serving version {serving}, the last loaded" if serving else "; no data"
        if self.degraded is None:
            log.error(
                reason,
                extra={"event": "dataset_store_unreachable", "store": self.pg.where},
            )
        self.degraded = reason

    def _load_cached(self) -> None:
        """The version this host last served (its cache), when the database cannot be reached
        at start: loaded by the same loader, so a changed file is refused."""
        try:
            version = (self.cache / "LIVE").read_text(encoding="utf-8").strip()
            dataset = VersionStore(self.cache).load(version)
        except (OSError, DataError):
            return
        self._dataset = dataset
        log.warning(
            "serving version %s from this host's cache: the database cannot be reached",
            version,
            extra={"event": "dataset_loaded_cached", "version": version},
        )

    def _prune_cache(self, serving: str) -> None:
        """Versions of the cache beyond the newest ``keep_versions`` are removed (never the one
        served; a folder another worker made a moment ago is left to it)."""
        root = VersionStore(self.cache).root
        with suppress(OSError):
            folders = sorted(
                (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for folder in folders[self.keep_versions :]:
                if folder.name != serving and time.time() - folder.stat().st_mtime > 600:
                    shutil.rmtree(folder, ignore_errors=True)
