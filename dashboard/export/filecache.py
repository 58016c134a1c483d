"""Costly downloads (chart images, packs) made once per dataset version and kept on disk, and a
per-worker bound on how many are made at once.

A chart image takes a whole headless Chromium (about 2 s); a PDF or PowerPoint pack up to a
second of CPU. Made on every request, sixteen of them at once took every thread of every worker
for 17-43 s and a page meanwhile took 18.7 s instead of 0.07 s (issue 14, finding 6). So:

- ``FileCache``: the bytes are kept in ``<folder>/<dataset version>/<name>``. The version is a
  digest of the dataset's tables, so every worker (every server on the machine) shares the files,
  a rollback finds its own again, and a new version never serves an old file. Only the files of
  the ``KEEP_VERSIONS`` most recent versions are kept. Two workers asking for the same missing
  file make it once: the second waits on a lock (one of ``LOCK_STRIPES`` per version, chosen by
  the file's name, so the locks are bounded too), then reads it.
- Within a version the files are bounded too (``max_bytes``, ``max_files``: Settings
  ``export_cache_mb``, ``export_cache_files``): every meeting's choice is a file of its own and
  there are hundreds of thousands of choices (issue 25, finding 6). A file read is touched; after
  each file made, the least recently used go until the version is within both bounds. A file
  beside an entry (``<name>.name``, the pack's download name) goes with it.
- ``Gate``: a worker makes at most ``running`` files at once with at most ``queue`` requests
  waiting; a request beyond that is told at once to come back (``Busy``: 503 with Retry-After),
  so the worker's other threads stay free for pages. A file already made skips the gate.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class Busy(Exception):
    """Every making slot and every waiting place is taken: try again shortly."""

    retry_after = 5


class Gate:
    def __init__(self, running: int = 1, queue: int = 1, wait: float = 30.0):
        self.running, self.queue, self.wait = max(1, running), max(0, queue), wait
        self._state = threading.Condition()
        self._busy = 0
        self._waiting = 0

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        with self._state:
            if self._busy >= self.running:
                if self._waiting >= self.queue:
                    raise Busy
                self._waiting += 1
                try:
                    deadline = time.monotonic() + self.wait
                    while self._busy >= self.running:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise Busy
                        self._state.wait(left)
                finally:
                    self._waiting -= 1
            self._busy += 1
        try:
            yield
        finally:
            with self._state:
                self._busy -= 1
                self._state.notify()


@contextlib.contextmanager
def machine_slot(folder: Path, slots: int, wait: float) -> Iterator[None]:
    """One of ``slots`` places shared by every process on the machine (a flock on one of
    ``slots`` files in ``folder``); waits up to ``wait`` seconds, then Busy. For the work that
    loads the whole machine (a headless Chromium), where a per-worker bound is not enough."""
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    handles = [(folder / f"slot-{n}.lock").open("a") for n in range(max(1, slots))]
    held = None
    try:
        while held is None:
            for handle in handles:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                held = handle
                break
            else:
                if time.monotonic() >= deadline:
                    raise Busy
                time.sleep(0.05)
        yield
    finally:
        if held is not None:
            fcntl.flock(held, fcntl.LOCK_UN)
        for handle in handles:
            handle.close()


def default_folder(data_dir: Path | None = None) -> Path:
    """Beside the dataset's versions (``<data>/.versions/files``) when the data folder keeps
    versions, else a folder in the system's temporary folder, one per user (sharing it between
    servers is safe: files are filed under the version, a digest of the tables)."""
    if data_dir is not None:
        from ..data.versions import VersionStore

        store = VersionStore(Path(data_dir))
        if store.writable:
            return store.root / "files"
    return Path(tempfile.gettempdir()) / f"pcp-dashboard-files-{os.getuid()}"


#: Files kept beside an entry, named ``<entry><suffix>``: they go when it goes.
SIDECARS = (".name",)


class FileCache:
    #: Versions whose files are kept (the live one and a few before it, for rollbacks).
    KEEP_VERSIONS = 3
    #: Lock files per version folder (a file's lock is chosen by a digest of its name).
    LOCK_STRIPES = 16

    def __init__(
        self,
        folder: Path,
        gate: Gate | None = None,
        *,
        max_bytes: int = 256 << 20,
        max_files: int = 2000,
    ):
        self.folder = Path(folder)
        self.gate = gate or Gate()
        self.max_bytes, self.max_files = max(1, max_bytes), max(1, max_files)

    def path(self, version: str, name: str) -> Path:
        return self.folder / (version or "unversioned") / name

    def get(self, version: str, name: str, make: Callable[[], bytes]) -> bytes:
        """The file's bytes: kept ones at once, else made now under the gate (may raise Busy)."""
        target = self.path(version, name)
        with contextlib.suppress(OSError):
            content = target.read_bytes()
            _touch(target)
            return content
        with self.gate.slot():
            target.parent.mkdir(parents=True, exist_ok=True)
            with _file_lock(self._lock_of(target)):
                with contextlib.suppress(OSError):
                    return target.read_bytes()  # another worker made it meanwhile
                content = make()
                _write_atomic(target, content)
            self._evict(target.parent, keep=target)
        self._prune(version)
        return content

    def _lock_of(self, target: Path) -> Path:
        stripe = int(hashlib.sha256(target.name.encode()).hexdigest()[:8], 16) % self.LOCK_STRIPES
        return target.parent / f".lock-{stripe}"

    def _evict(self, folder: Path, keep: Path) -> None:
        """The least recently used entries of ``folder`` go until it is within both bounds."""
        entries: list[tuple[float, int, Path]] = []
        sizes: dict[str, int] = {}
        try:
            with os.scandir(folder) as found:
                for item in found:
                    if item.name.startswith(".") or not item.is_file(follow_symlinks=False):
                        continue
                    info = item.stat(follow_symlinks=False)
                    sizes[item.name] = info.st_size
                    if not item.name.endswith(SIDECARS):
                        entries.append((info.st_mtime, info.st_size, Path(item.path)))
        except OSError:
            return
        total = sum(sizes.values())
        count = len(entries)
        entries.sort(key=lambda e: e[0])
        for _, size, path in entries:
            if total <= self.max_bytes and count <= self.max_files:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size
            count -= 1
            for suffix in SIDECARS:
                sidecar = path.with_name(path.name + suffix)
                total -= sizes.get(sidecar.name, 0)
                sidecar.unlink(missing_ok=True)

    def _prune(self, version: str) -> None:
        try:
            folders = sorted(
                (p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                key=lambda p: p.stat().st_mtime,
            )
        except OSError:
            return
        for old in folders[: -self.KEEP_VERSIONS]:
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)


def _touch(path: Path) -> None:
    """Mark a file as just used (its mtime), for least-recently-used eviction."""
    with contextlib.suppress(OSError):
        os.utime(path)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(target: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
