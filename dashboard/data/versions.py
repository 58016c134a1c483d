"""The dataset on disk as a series of validated, immutable versions (see docs/store.md).

    <data>/                  the working copy: flat tables people read, edit and review in git
    <data>/.versions/
        <id>/                one complete version: every table + manifest.json (sha256 of each)
        CURRENT              JSON pointer to the live version (replaced in one rename)
        log.jsonl            every switch of CURRENT, oldest first (the history)
        lock, lock.json      exclusive lock for writers (flock) and who holds it
        staging/             work in progress; emptied by the next writer
        mirror-pending       present while the working copy is being rewritten from CURRENT

A version's id is a digest of its table files, so the same tables always have the same id in
every process (caches key on it). A version is only ever created whole, validated as a whole,
then renamed into place; the live version changes by replacing CURRENT, so a reader that loads
the version CURRENT names can never see two versions mixed.

A folder that cannot be written (an installed package's bundled data, a read-only mount) has no
versions: it is served as it is, validated on every load.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from . import columnar
from . import records as records_module
from .digests import (
    check_digest,
    file_digest,
    fingerprint,  # noqa: F401 - re-exported: store.py and importer.py import it from here
    table_digests,
    version_id,
    working_stats,
)
from .errors import DataError, Problem, errors_only
from .model import Dataset, load_dataset, prepared_dataset
from .schema import TABLES
from .validate import validate_folder

STORE = ".versions"
MANIFEST = "manifest.json"
POLL_SECONDS = 0.05


class LiveButUnfinished(OSError):
    """The switch happened (CURRENT names ``version``), but what follows it failed: the
    history line, the rewrite of the flat files or the pruning (a full disk, say). The new
    version *is* live; the next command or server start finishes the rest (``recover``).
    An OSError, so that whoever only knows file-system failures still catches it."""

    def __init__(self, version: str, previous: str | None, error: OSError) -> None:
        super().__init__(error.errno, error.strerror, error.filename)
        self.version, self.previous, self.error = version, previous, error

    def warning(self) -> str:
        where = f"{self.error.filename}: " if self.error.filename else ""
        return (
            f"warning: {where}{self.error.strerror or self.error}; the copy of the tables in "
            "the folder or the history line could not be written. They are finished by the "
            "next command or server start once there is room (`pcp-dashboard history`)."
        )

    def report(self, done: str) -> int:
        """What a command says when this reached it: ``done`` (what went live) on stdout, the
        warning on stderr; the exit status is 0, as the change is live."""
        print(done)
        print(self.warning(), file=sys.stderr)
        return 0


class LockTimeout(RuntimeError):
    """Another process kept the dataset locked for longer than we were prepared to wait."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _looks_like_version(name: str) -> bool:
    return len(name) == 12 and all(c in "0123456789abcdef" for c in name)


def has_tables(folder: Path) -> bool:
    return any((folder / spec.filename).is_file() for spec in TABLES.values())


#: A dataset folder's own police.uk records (the bundled data's, written by `pcp-dashboard
#: build-data` from data/published/police-uk/): ``records/`` beside the tables, with
#: ``records/manifest.json`` naming each file's sha256 and the files they were built from.
FOLDER_RECORDS = "records/manifest.json"


def folder_records(folder: Path) -> dict | None:
    """The records ``folder`` carries (``{"files": {name: sha256}, "sources": [...]}``), when
    its manifest names the counts file and every file named is there with that sha256; else
    None (a folder without records, or with records changed since they were built)."""
    try:
        entry = json.loads((folder / FOLDER_RECORDS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = entry.get("files") if isinstance(entry, dict) else None
    if not isinstance(files, dict) or f"records/{records_module.COUNTS}" not in files:
        return None
    for name, digest in files.items():
        path = folder / name
        if Path(name).parent != Path("records") or not path.is_file():
            return None
        if file_digest(path) != digest:
            return None
    return {"files": dict(files), "sources": list(entry.get("sources", []))}


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would race other threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def file_mode() -> int:
    """The mode a file created with open() would get: 0666 less the umask."""
    return 0o666 & ~_umask()


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextmanager
def _replaced_atomically(target: Path, mode: str) -> Iterator[IO]:
    """A temporary file next to ``target`` to write; on success it is flushed to disk, given
    the umask's permissions and renamed over ``target`` in one step; on failure removed."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, mode, encoding=None if "b" in mode else "utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, file_mode())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_atomic(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` in one rename, with the umask's permissions."""
    with _replaced_atomically(target, "wb") as out, source.open("rb") as data:
        shutil.copyfileobj(data, out, 1 << 20)


def write_json_atomic(target: Path, content: dict) -> None:
    with _replaced_atomically(target, "w") as out:
        json.dump(content, out, indent=1, sort_keys=True)
    _fsync_dir(target.parent)


# --- the lock ---------------------------------------------------------------------------------

_LOCKS: dict[str, _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()


class _ProcessLock:
    """flock on a file, re-entrant for the thread that holds it, exclusive against every other
    thread of this process and every other process (flock alone is per open file, and a
    second open in the same process would deadlock against the first)."""

    def __init__(self, path: Path):
        self.path = path
        self.threads = threading.RLock()
        self.depth = 0
        self.descriptor: int | None = None

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + max(timeout, 0)
        got = self.threads.acquire(timeout=timeout) if timeout > 0 else self.threads.acquire(False)
        if not got:
            return False
        if self.depth:
            self.depth += 1
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, file_mode())
        except BaseException:
            self.threads.release()
            raise
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    self.threads.release()
                    return False
                time.sleep(POLL_SECONDS)
        self.descriptor, self.depth = descriptor, 1
        return True

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.descriptor is not None:
            fcntl.flock(self.descriptor, fcntl.LOCK_UN)
            os.close(self.descriptor)
            self.descriptor = None
        self.threads.release()


def _process_lock(path: Path) -> _ProcessLock:
    key = str(path.resolve())
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = _ProcessLock(path)
        return lock


# --- the store --------------------------------------------------------------------------------


@dataclass
class SyncResult:
    """What a look at the working copy found: the live version after it, and the problems of
    a working copy that was edited into an invalid state (the live version is then the last
    one that validated)."""

    current: str | None
    problems: list[Problem]
    dataset: Dataset | None = None
    #: True when the problems are files in the folder that differ from the live version and
    #: were left unpublished (``sync(publish=False)``), not files that failed to validate.
    unpublished: bool = False


def _installed_package_path(path: Path) -> bool:
    """True inside site-packages: the bundled data of an installed wheel are never written."""
    resolved = path.resolve()
    for key in ("purelib", "platlib"):
        root = sysconfig.get_paths().get(key)
        if root and resolved.is_relative_to(Path(root).resolve()):
            return True
    return False


class VersionStore:
    """One data folder's versions. Methods that change anything must run under ``lock()``."""

    def __init__(self, data_dir: Path, seed: Path | None = None, keep: int = 20):
        self.data_dir = Path(data_dir)
        self.seed = Path(seed) if seed is not None else None
        self.keep = keep
        self.root = self.data_dir / STORE

    # -- where things are ----------------------------------------------------------------
    @property
    def writable(self) -> bool:
        if not self.data_dir.is_dir() or _installed_package_path(self.data_dir):
            return False
        target = self.root if self.root.is_dir() else self.data_dir
        return os.access(target, os.W_OK | os.X_OK)

    def working_dir(self) -> Path:
        """The flat tables: the data folder's own, or the bundled seed while it has none (a
        folder that does not exist is not empty: a mistyped PCP_DATA_DIR shows no data)."""
        if self.seed is not None and self.data_dir.is_dir() and not has_tables(self.data_dir):
            return self.seed
        return self.data_dir

    def version_dir(self, version: str) -> Path:
        return self.root / version

    @property
    def stats_file(self) -> Path:
        """The working copy's files as last hashed (``digests.working_stats``): a look that
        finds them unchanged hashes nothing."""
        return self.root / "working.json"

    def working_digests(self, folder: Path) -> dict[str, str]:
        """``table_digests`` of a folder; of the data folder itself, a file unchanged since it
        was last hashed is not read again (a server's look at 10^6 observations hashed 180 MB
        of CSV every time the pointer or a file's stat changed). Under the lock: the record is
        rewritten when it changes."""
        if folder != self.data_dir or not self.root.is_dir():
            return table_digests(folder)
        try:
            known = json.loads(self.stats_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known = known if isinstance(known, dict) else {}
        now = time.time_ns()
        found = table_digests(folder, known)
        stats = working_stats(folder, found, now)
        if stats != known:
            with suppress(OSError):  # only a record: without it, the files are hashed
                write_json_atomic(self.stats_file, stats)
        return found

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    @property
    def log_file(self) -> Path:
        return self.root / "log.jsonl"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    # -- reading -------------------------------------------------------------------------
    def current(self) -> dict | None:
        try:
            return json.loads(self.current_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def current_version(self) -> str | None:
        record = self.current()
        return record.get("version") if record else None

    def history(self) -> list[dict]:
        entries = []
        try:
            lines = self.log_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue  # a line cut short by a kill: the CURRENT record restores it
        current = self.current()
        if current and (not entries or entries[-1].get("at") != current.get("at")):
            entries.append(current)
        return entries

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / MANIFEST).is_file())

    def manifest(self, version: str) -> dict | None:
        try:
            return json.loads((self.version_dir(version) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def load(self, version: str) -> Dataset:
        """A version, checked against its manifest (a file changed after validation is
        refused). Read from its Parquet files when it has them under today's rules
        (``columnar``); else from its CSV files, validated again (the rules may have grown
        since, or the version predates the columnar files)."""
        folder = self.version_dir(version)
        manifest = self.manifest(version)
        if manifest is None:
            raise DataError(
                [Problem.of_file(str(folder), "a complete version (it has no manifest)")]
            )
        records = self._checked_records(version, manifest)
        entry = manifest.get("columnar")
        if isinstance(entry, dict) and columnar.trusted(entry):
            # Validated once, at import, under today's rules: the Parquet files are read (each
            # checked against its digest), no cell is parsed or validated again.
            prepared = columnar.read_prepared(folder, entry, version)
            tables = columnar.read_tables(folder, entry, version, prepared)
            views = columnar.read_views(folder, entry, version)
            # The facts (a list, a date) are taken as the prepared frames are: into the
            # dataset's cached properties, before it derives them.
            facts = columnar.read_facts(entry)
            dataset = prepared_dataset(folder, tables, version, {**prepared, **facts})
            columnar.attach_views(dataset, views)
            return dataset.with_records(records)
        found = table_digests(folder)
        if found != manifest.get("files"):
            changed = sorted(set(found.items()) ^ set(manifest.get("files", {}).items()))
            raise DataError(
                [
                    Problem.of_file(
                        str(folder / changed[0][0]) if changed else str(folder),
                        f"version {version} unchanged since it was validated; a file in it was "
                        "changed or removed afterwards",
                    )
                ]
            )
        return load_dataset(folder, version=version).with_records(records)

    def _checked_records(self, version: str, manifest: dict) -> Path | None:
        """The version's records folder, its counts file checked against the manifest (the
        records file itself, the larger, is read only by imports, which check it then)."""
        entry = manifest.get("records")
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
            return None
        folder = self.version_dir(version)
        name = f"records/{records_module.COUNTS}"
        check_digest(folder / name, entry["files"].get(name), version, "the records' counts")
        return (folder / name).parent

    def add_records(self, version: str, files: list[Path]) -> dict:
        """Under the lock: police.uk street-level ``files`` kept as ``version``'s records.

        The version's earlier records stay, except months a new file also holds (police.uk
        re-issues a month with later outcomes: one vintage a month, the newest given). Built
        beside the version and renamed into place; the manifest names the files' digests.
        Raises DataError (nothing changed) when a file is not a police.uk month."""
        folder = self.version_dir(version)
        manifest = self.manifest(version)
        if manifest is None:
            raise DataError([Problem.of_file(str(folder), "a complete version")])
        areas = pd.read_csv(folder / TABLES["areas"].filename, dtype=str, keep_default_na=False)
        previous = folder / "records" / records_module.RECORDS
        work = Path(tempfile.mkdtemp(prefix=".records-", dir=folder))
        try:
            digests = records_module.build(
                files, areas, work, keep=previous if previous.is_file() else None
            )
            target = folder / "records"
            old = folder / ".records-old"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.rename(target, old)
            os.rename(work, target)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        entry = {"files": digests, "sources": sorted(Path(f).name for f in files)}
        if isinstance(manifest.get("records"), dict):
            entry["sources"] = sorted({*manifest["records"].get("sources", []), *entry["sources"]})
        write_json_atomic(folder / MANIFEST, {**manifest, "records": entry})
        return entry

    def _write_columnar(self, version: str, dataset: Dataset) -> bool:
        """Give a version made before the columnar files, or under other rules, its columnar
        files from ``dataset`` (its tables, validated under today's rules), and one without the
        view frames of today's view rules those frames. True if written."""
        manifest = self.manifest(version)
        if manifest is None:
            return False
        entry = manifest.get("columnar")
        if columnar.trusted(entry):
            if columnar.views_current(entry):
                return False
            assert isinstance(entry, dict)  # trusted
            written = columnar.with_views(entry, self.version_dir(version), dataset)
        else:
            written = columnar.write_tables(
                self.version_dir(version),
                dataset.tables,
                {"observations": dataset.observations, "revisions": dataset.revisions},
                dataset,
            )
        write_json_atomic(self.version_dir(version) / MANIFEST, {**manifest, "columnar": written})
        return True

    def _carry_records(self, source: str | None, target: str) -> None:
        """A new version keeps the live version's records (table edits do not change them):
        hard links where the file system allows, copies where not."""
        if source is None or source == target:
            return
        manifest, wanted = self.manifest(source), self.manifest(target)
        if not manifest or not isinstance(manifest.get("records"), dict) or wanted is None:
            return
        if isinstance(wanted.get("records"), dict):
            return
        into = self.version_dir(target) / "records"
        into.mkdir(exist_ok=True)
        for path in (self.version_dir(source) / "records").iterdir():
            if path.is_file():
                try:
                    os.link(path, into / path.name)
                except OSError:
                    shutil.copy2(path, into / path.name)
        write_json_atomic(
            self.version_dir(target) / MANIFEST, {**wanted, "records": manifest["records"]}
        )

    def seed_records(self, version: str) -> None:
        """A version that got no records from the live one keeps those of the folder its tables
        come from (the bundled data's records: a store seeded from it answers record questions
        from its first version). Copied, not linked: the folder's files may be rebuilt."""
        manifest = self.manifest(version)
        if manifest is None or isinstance(manifest.get("records"), dict):
            return
        working = self.working_dir()
        entry = folder_records(working)
        if entry is None:
            return
        (self.version_dir(version) / "records").mkdir(exist_ok=True)
        for name in entry["files"]:
            shutil.copyfile(working / name, self.version_dir(version) / name)
        write_json_atomic(self.version_dir(version) / MANIFEST, {**manifest, "records": entry})

    # -- the lock ------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float, action: str = "import") -> Iterator[None]:
        """Exclusive: one writer at a time. Waits ``timeout`` seconds, then LockTimeout."""
        lock = _process_lock(self.root / "lock")
        if not lock.acquire(timeout):
            holder = self._holder()
            raise LockTimeout(
                f"another import or rollback is changing the dataset in {self.data_dir}"
                f"{holder}; waited {timeout:.0f} s. Nothing was changed: try again when it "
                "has finished"
            )
        try:
            if lock.depth == 1:
                self._write_holder(action)
            yield
        finally:
            lock.release()

    @contextmanager
    def try_lock(self, action: str = "server") -> Iterator[bool]:
        """The lock if it is free now, else False at once (a server never waits for it)."""
        lock = _process_lock(self.root / "lock")
        got = lock.acquire(0)
        try:
            if got and lock.depth == 1:
                self._write_holder(action)
            yield got
        finally:
            if got:
                lock.release()

    def _write_holder(self, action: str) -> None:
        with suppress(OSError):
            (self.root / "lock.json").write_text(
                json.dumps({"pid": os.getpid(), "action": action, "since": _now()}),
                encoding="utf-8",
            )

    def _holder(self) -> str:
        try:
            info = json.loads((self.root / "lock.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        return f" ({info.get('action', '?')} by process {info.get('pid', '?')} since {info.get('since', '?')})"

    # -- writing (under the lock) --------------------------------------------------------
    def recover(self) -> None:
        """Clear what an interrupted writer left: staging copies, temporary files, a log line
        that a kill cut off, a working copy half rewritten. Safe to run at any time."""
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        for stray in list(self.data_dir.glob(".*.tmp")) + list(self.root.glob(".*.tmp")):
            if stray.is_file():
                stray.unlink(missing_ok=True)
        for old in self.data_dir.glob(".import-*"):  # the staging folders of the old importer
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        for folder in self.root.iterdir() if self.root.is_dir() else []:
            if _looks_like_version(folder.name) and not (folder / MANIFEST).exists():
                shutil.rmtree(folder, ignore_errors=True)  # never finished
        current = self.current()
        if current is not None:
            entries = self.history()
            logged = self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""
            if entries and str(current.get("at")) not in logged:
                self._append_log(current)
        marker = self.root / "mirror-pending"
        if marker.exists():
            pending = marker.read_text(encoding="utf-8").strip()
            if current is not None and current.get("version") == pending:
                self._write_working_copy(pending)  # switched, then killed while rewriting
            marker.unlink(missing_ok=True)  # else killed before the switch: nothing happened

    def _append_log(self, record: dict) -> None:
        with self.log_file.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record, sort_keys=True) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def new_staging(self) -> Path:
        self.staging.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="v-", dir=self.staging))

    def publish(self, staged: Path) -> tuple[str, Dataset]:
        """Validate a staged folder as a whole and make it a version (not yet the live one).

        Raises DataError (and removes the staging copy) if it does not validate."""
        try:
            dataset = load_dataset(staged)
        except DataError:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        digests = table_digests(staged)
        version = version_id(digests)
        target = self.version_dir(version)
        existing = self.manifest(version)
        if existing is not None:
            shutil.rmtree(staged, ignore_errors=True)  # the same tables are a version already
            self._write_columnar(version, dataset)  # validated again just now
        else:
            written = columnar.write_tables(
                staged,
                dataset.tables,
                {"observations": dataset.observations, "revisions": dataset.revisions},
                dataset,
            )
            write_json_atomic(
                staged / MANIFEST,
                {
                    "version": version,
                    "files": digests,
                    "columnar": written,
                    "created": _now(),
                    "validated": True,
                },
            )
            shutil.rmtree(target, ignore_errors=True)  # an unfinished earlier attempt
            os.rename(staged, target)
            _fsync_dir(self.root)
        if dataset.version != version:  # staged files hashed twice: cannot differ, but be sure
            dataset = load_dataset(target, version=version)
        self._carry_records(self.current_version(), version)
        self.seed_records(version)
        records = self._checked_records(version, self.manifest(version) or {})
        return version, dataset.relocated(target).with_records(records)

    def switch(self, version: str, action: str, **detail) -> dict:
        """Make ``version`` the live one and rewrite the working copy to match.

        The switch itself is one atomic replace of CURRENT. A marker naming the target is
        written first, so that if this process is killed before the working copy is rewritten
        the next writer finishes the job (``recover``) instead of mistaking the stale flat
        files for hand edits."""
        marker = self.root / "mirror-pending"
        marker.write_text(version, encoding="utf-8")
        record = self._point_to(version, action, **detail)
        previous = record["previous"]
        # From here on the version is live: a failure is not "nothing changed" (issue 25, 8).
        try:
            self._append_log(record)
            self._write_working_copy(version)
            marker.unlink(missing_ok=True)
            self._prune()
        except OSError as exc:
            raise LiveButUnfinished(version, previous, exc) from exc
        return record

    def _write_working_copy(self, version: str) -> None:
        """Rewrite the flat tables to match ``version``, each file in one rename."""
        source = self.version_dir(version)
        manifest = self.manifest(version)
        if manifest is None:
            raise DataError([Problem.of_file(str(source), "a complete version")])
        wanted = manifest["files"]
        for spec in TABLES.values():
            target = self.data_dir / spec.filename
            if spec.filename in wanted:
                if not target.is_file() or file_digest(target) != wanted[spec.filename]:
                    copy_atomic(source / spec.filename, target)
            elif target.is_file():
                target.unlink()
        _fsync_dir(self.data_dir)

    def stage_copy_of(self, folder: Path) -> Path:
        staged = self.new_staging()
        for spec in TABLES.values():
            source = folder / spec.filename
            if source.is_file():
                shutil.copyfile(source, staged / spec.filename)
        return staged

    def sync(self, publish: bool = True) -> SyncResult:
        """Make the working copy a version if it validates and is not one yet (hand edits, a
        first run); else keep the live version and return the working copy's problems.

        ``publish=False`` (the server, ``import``): once a version is live, files in the folder
        that differ from it (edited, missing, added) are only reported, one problem a file,
        never made live; ``pcp-dashboard publish`` does that (issue 25, finding 4). The first
        version of a folder is still made, whatever ``publish`` says.

        Run under the lock. The working copy is read only here, under the lock, so it cannot
        be caught half rewritten by an import."""
        working = self.working_dir()
        current = self.current_version()
        if not has_tables(working):
            _, problems = validate_folder(working)
            return SyncResult(current, errors_only(problems) or problems)
        if current is not None and version_id(self.working_digests(working)) == current:
            manifest = self.manifest(current) or {}
            entry = manifest.get("columnar")
            if publish and not (columnar.trusted(entry) and columnar.views_current(entry)):
                # `pcp-dashboard publish` after an upgrade: the live version validated under
                # today's rules once more and given its columnar files (workers trust it then),
                # or, its tables still trusted, given the view frames of today's view rules.
                try:
                    dataset = (
                        self.load(current)
                        if columnar.trusted(entry)
                        else load_dataset(self.version_dir(current), current)
                    )
                    self._write_columnar(current, dataset)
                except DataError as exc:
                    return SyncResult(current, exc.problems)
            return SyncResult(current, [])
        if current is not None and not publish:
            return SyncResult(current, self.differences(current), unpublished=True)
        staged = self.stage_copy_of(working)
        try:
            version, dataset = self.publish(staged)
        except DataError as exc:
            return SyncResult(current, exc.problems)
        if version != current:
            action = "first version" if current is None else "files edited in the folder"
            if working == self.data_dir:
                self.switch(version, action, source=str(working))
            else:  # the bundled seed: recorded, not copied into an empty data folder
                self._switch_pointer_only(version, action, source=str(working))
        return SyncResult(version, [], dataset)

    def pending(self) -> bool:
        """True while a switch's rewrite of the flat files is unfinished (``recover`` ends it)."""
        return (self.root / "mirror-pending").exists()

    def differences(self, version: str) -> list[Problem]:
        """How the table files in the data folder differ from ``version``: one problem a file
        (edited, missing or added), each saying what is served and what to run."""
        manifest = self.manifest(version) or {}
        wanted: dict[str, str] = manifest.get("files", {})
        # Table files deleted from the folder are missing (never "the bundled data instead").
        folder = self.data_dir
        found = self.working_digests(folder)
        advice = (
            f"the live version {version} is still served. `pcp-dashboard publish` makes the "
            "folder's files live (once they validate); `pcp-dashboard publish --restore` puts "
            "the live version's files back"
        )
        problems = []
        for spec in TABLES.values():
            name = spec.filename
            if name in wanted and name not in found:
                what = "missing from the data folder"
            elif name in found and name not in wanted:
                what = "added to the data folder but not published"
            elif name in found and found[name] != wanted[name]:
                what = "edited in the data folder but not published"
            else:
                continue
            problems.append(Problem.of_file(name, f"{what}; {advice}"))
        return problems or [
            Problem.of_file(str(folder), f"differs from the live version; {advice}")
        ]

    def restore_working_copy(self) -> tuple[str, Path | None]:
        """Under the lock: the flat files as the live version has them again; files that
        differed are first copied to ``.versions/kept/<time>/``. (live version, that folder)"""
        current = self.current_version()
        if current is None:
            raise LookupError(f"no live version in {self.root}: nothing to restore")
        kept = None
        differing = [
            p.file for p in self.differences(current) if (self.data_dir / p.file).is_file()
        ]
        if version_id(self.working_digests(self.working_dir())) != current and differing:
            kept = self.root / "kept" / _now().replace(":", "").replace("-", "")
            kept.mkdir(parents=True, exist_ok=True)
            for name in differing:
                shutil.copy2(self.data_dir / name, kept / name)
        self._write_working_copy(current)
        return current, kept

    def _switch_pointer_only(self, version: str, action: str, **detail) -> None:
        self._append_log(self._point_to(version, action, **detail))

    def _point_to(self, version: str, action: str, **detail) -> dict:
        """Replace CURRENT (one atomic write) with a record naming ``version`` and the one it
        replaces; the record is returned for the history line."""
        record = {
            "version": version,
            "previous": self.current_version(),
            "action": action,
            "at": _now(),
            **detail,
        }
        write_json_atomic(self.current_file, record)
        return record

    def _prune(self) -> None:
        """Keep the versions the last ``keep`` switches used (CURRENT always); drop older ones."""
        if self.keep <= 0:
            return
        entries = self.history()
        keep: set[str] = set()
        for entry in reversed(entries):
            for key in ("version", "previous"):
                if entry.get(key):
                    keep.add(entry[key])
            if len(keep) >= self.keep:
                break
        current = self.current_version()
        if current:
            keep.add(current)
        for version in self.versions():
            if version not in keep:
                shutil.rmtree(self.version_dir(version), ignore_errors=True)
