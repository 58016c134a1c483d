"""The dataset's versions in PostgreSQL, shared by every host (``PCP_STORE``; docs/shared-store.md).

A version is stored as the file store makes it (versions.py): its files, each as bytes with its
sha256, and its manifest. Hosts materialise the live version's files into a folder of their own
and load it with the file store's loader (``VersionStore.load``: digests checked, validated
again). So whatever a version's files are (CSV today, Parquet if the tables' format changes)
PostgreSQL carries them unchanged, and there is one loader, not two.

    pcp_versions(version, manifest, created)     one row a version, never updated
    pcp_files(version, name, digest, content)    its files (bytea), never updated
    pcp_history(id, record)                      every switch of the live version, oldest first
    pcp_live(version, record)                    one row: the live version

An import or rollback holds a session advisory lock (one writer at a time; released by the
server if the writer dies) and publishes in one transaction: the version's rows, the live row
updated, a history row, and ``NOTIFY pcp_live`` (delivered only on commit). A writer killed at
any moment leaves either the old live version or the new one, never part of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb

from .digests import version_id
from .errors import DataError, Problem
from .model import Dataset
from .versions import MANIFEST, LockTimeout, VersionStore

#: The channel hosts LISTEN on; the payload is the new live version's id.
CHANNEL = "pcp_live"
#: The writers' advisory lock (any constant shared by every process; "pcpd").
LOCK_KEY = 0x70637064
#: Serialises the creation of the tables by two first starts at once.
SCHEMA_KEY = 0x70637073
POLL_SECONDS = 0.05
#: The throwaway folders of writers (made only under the lock, so any found by the holder of
#: the lock were left by a writer killed on this machine) and of readers (``validate``).
WRITER_PREFIXES = ("pcp-work-", "pcp-rollback-", "pcp-seed-")

SCHEMA = """
CREATE TABLE IF NOT EXISTS pcp_versions (
    version text PRIMARY KEY,
    manifest jsonb NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pcp_files (
    version text NOT NULL REFERENCES pcp_versions ON DELETE CASCADE,
    name text NOT NULL,
    digest text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (version, name)
);
CREATE TABLE IF NOT EXISTS pcp_history (
    id bigserial PRIMARY KEY,
    record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS pcp_live (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version text NOT NULL REFERENCES pcp_versions,
    record jsonb NOT NULL
);
CREATE OR REPLACE FUNCTION pcp_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a dataset version is immutable once stored (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE OR REPLACE TRIGGER pcp_files_immutable BEFORE UPDATE ON pcp_files
    FOR EACH ROW EXECUTE FUNCTION pcp_immutable();
CREATE OR REPLACE TRIGGER pcp_versions_immutable BEFORE UPDATE ON pcp_versions
    FOR EACH ROW EXECUTE FUNCTION pcp_immutable();
"""


def carried_files(manifest: dict) -> dict[str, str]:
    """Every file of a version the shared store keeps, by name and sha256: whatever its manifest
    lists. That is its tables (``files``) and every entry's ``files`` and ``prepared`` (today:
    ``columnar``, the tables' Parquet copies and prepared frames the hosts read instead of
    validating again; ``records``, its police.uk records, ``records/police_uk_counts.parquet``
    answering every record question), so a file a later change lists the same way travels too."""
    files: dict[str, str] = dict(manifest.get("files", {}))
    for entry in manifest.values():
        if not isinstance(entry, dict):
            continue
        for part in PARTS:
            found = entry.get(part)
            if isinstance(found, dict):
                files.update({k: v for k, v in found.items() if isinstance(v, str)})
    return files


#: The keys of a manifest's entries that list files by name and sha256 (columnar.py, records).
PARTS = ("files", "prepared")


def plain_name(name: str) -> bool:
    """A name a version's file may have: a plain file name, or one in a subfolder
    (``records/police_uk.parquet``); never hidden, absolute or climbing out (a stored name is
    written under the host's cache)."""
    parts = name.split("/")
    return 1 <= len(parts) <= 2 and all(
        part not in ("", ".", "..")
        and not part.startswith(".")
        and "\\" not in part
        and Path(part).name == part
        for part in parts
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def redacted(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class PgStore:
    """The versions in one PostgreSQL database. Methods taking ``conn`` run on the connection
    that holds the writers' lock (``lock()``); the others open a short connection of their own."""

    def __init__(
        self,
        url: str,
        *,
        seed: Path | None = None,
        keep: int = 20,
        connect_seconds: float = 5.0,
        max_version_mb: float = 500.0,
    ):
        self.url = url
        self.seed = Path(seed) if seed is not None else None
        self.keep = keep
        self.connect_seconds = connect_seconds
        self.max_version_bytes = int(max_version_mb * 1024 * 1024)
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings) -> PgStore:
        if not settings.store_url:
            raise ValueError("PCP_STORE is not set")
        return cls(
            settings.store_url,
            seed=settings.seed_dir,
            keep=settings.keep_versions,
            connect_seconds=settings.store_connect_seconds,
            # every table at its largest readable size, and some room for the manifest
            max_version_mb=settings.max_file_mb * 20,
        )

    @property
    def where(self) -> str:
        return redacted(self.url)

    # -- connections -----------------------------------------------------------------------
    def connect(self, application_name: str = "pcp-dashboard") -> psycopg.Connection:
        """An autocommit connection whose connect, statements and dead peers are bounded."""
        seconds = self.connect_seconds
        conn = psycopg.connect(
            self.url,
            autocommit=True,
            connect_timeout=max(1, math.ceil(seconds)),
            application_name=application_name[:63],
            options=f"-c statement_timeout={int(seconds * 6000)}",
            # a peer that vanished (no FIN) is noticed within the same bound
            keepalives=1,
            keepalives_idle=max(1, int(seconds)),
            keepalives_interval=1,
            keepalives_count=3,
            tcp_user_timeout=int(seconds * 1000),
        )
        if not self._schema_ready:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_KEY,))
                conn.execute(SCHEMA)
            self._schema_ready = True
        return conn

    @contextmanager
    def session(self) -> Iterator[psycopg.Connection]:
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

    # -- reading ---------------------------------------------------------------------------
    def current(self, conn: psycopg.Connection | None = None) -> dict | None:
        if conn is None:
            with self.session() as own:
                return self.current(own)
        row = conn.execute("SELECT record FROM pcp_live").fetchone()
        return dict(row[0]) if row else None

    def current_version(self, conn: psycopg.Connection | None = None) -> str | None:
        record = self.current(conn)
        return record.get("version") if record else None

    def history(self, conn: psycopg.Connection | None = None) -> list[dict]:
        if conn is None:
            with self.session() as own:
                return self.history(own)
        return [dict(r[0]) for r in conn.execute("SELECT record FROM pcp_history ORDER BY id")]

    def versions(self, conn: psycopg.Connection | None = None) -> list[str]:
        if conn is None:
            with self.session() as own:
                return self.versions(own)
        return [r[0] for r in conn.execute("SELECT version FROM pcp_versions ORDER BY version")]

    def materialise(self, conn: psycopg.Connection, version: str, cache: Path) -> Path:
        """The version's files in ``cache/.versions/<version>/`` (made once, by one rename, so
        another process of the host never sees it half written); returns that folder."""
        target = VersionStore(cache).version_dir(version)
        if (target / MANIFEST).is_file():
            return target
        row = conn.execute(
            "SELECT v.manifest, coalesce(sum(octet_length(f.content)), 0) "
            "FROM pcp_versions v LEFT JOIN pcp_files f USING (version) "
            "WHERE v.version = %s GROUP BY v.manifest",
            (version,),
        ).fetchone()
        if row is None:
            raise LookupError(f"version {version} is not in the store at {self.where}")
        manifest, size = dict(row[0]), int(row[1])
        if size > self.max_version_bytes:
            raise DataError(
                [
                    Problem.of_file(
                        f"{self.where} version {version}",
                        f"a version of at most {self.max_version_bytes:,} bytes; it has {size:,}",
                    )
                ]
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=target.parent))
        try:
            wanted = carried_files(manifest)
            found: set[str] = set()
            with conn.cursor(binary=True) as cursor:
                cursor.execute(
                    "SELECT name, digest, content FROM pcp_files WHERE version = %s", (version,)
                )
                for name, digest, content in cursor:
                    content = bytes(content)
                    if not plain_name(name):
                        raise DataError([Problem.of_file(name, "a plain file name in a version")])
                    if hashlib.sha256(content).hexdigest() != digest or wanted.get(name) != digest:
                        raise DataError(
                            [
                                Problem.of_file(
                                    f"{self.where} version {version} {name}",
                                    "the bytes its manifest's sha256 names",
                                )
                            ]
                        )
                    (staged / name).parent.mkdir(exist_ok=True)
                    (staged / name).write_bytes(content)
                    found.add(name)
            if found != set(wanted):
                raise DataError(
                    [
                        Problem.of_file(
                            f"{self.where} version {version}",
                            f"every file its manifest names ({', '.join(sorted(wanted))})",
                        )
                    ]
                )
            (staged / MANIFEST).write_text(
                json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8"
            )
            try:
                os.rename(staged, target)
            except OSError:
                if not (target / MANIFEST).is_file():  # not another process's copy: a failure
                    raise
        finally:
            if staged.exists():
                shutil.rmtree(staged, ignore_errors=True)
        return target

    def load(self, conn: psycopg.Connection, version: str, cache: Path) -> Dataset:
        """The version, materialised in ``cache`` and loaded by the file store's loader."""
        self.materialise(conn, version, cache)
        return VersionStore(cache).load(version)

    # -- the lock --------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float, action: str = "import") -> Iterator[psycopg.Connection]:
        """One writer at a time: a session advisory lock, waited for ``timeout`` seconds (then
        LockTimeout, worded as the file store's). Yields the connection holding it."""
        name = f"pcp|{os.getpid()}|{_now()[:19]}|{action}"
        conn = self.connect(application_name=name)
        try:
            deadline = time.monotonic() + max(timeout, 0)
            while not self._try_lock(conn):
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another import or rollback is changing the dataset in {self.where}"
                        f"{self._holder(conn)}; waited {timeout:.0f} s. Nothing was changed: "
                        "try again when it has finished"
                    )
                time.sleep(POLL_SECONDS)
            _clear_dead_workspaces()
            try:
                yield conn
            finally:
                with suppress(psycopg.Error):
                    conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        finally:
            conn.close()

    @staticmethod
    def _try_lock(conn: psycopg.Connection) -> bool:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        return bool(row and row[0])

    def _holder(self, conn: psycopg.Connection) -> str:
        row = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = %s AND l.granted",
            (LOCK_KEY,),
        ).fetchone()
        if not row or not str(row[0]).startswith("pcp|"):
            return ""
        _, pid, since, action = (str(row[0]).split("|", 3) + ["?"] * 4)[:4]
        return f" ({action} by process {pid} since {since})"

    # -- writing (under the lock, on its connection) -----------------------------------------
    def add_version(self, conn: psycopg.Connection, folder: Path) -> str:
        """Store a file store's version folder (manifest + the files it names) unless the same
        version is stored already. Call inside the publishing transaction."""
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, str] = manifest["files"]
        version = version_id(files)
        if version != manifest.get("version", version) or version != folder.name:
            raise DataError([Problem.of_file(str(folder), f"a version whose id is {version}")])
        stored = conn.execute(
            "SELECT manifest FROM pcp_versions WHERE version = %s", (version,)
        ).fetchone()
        if stored is not None:
            # The same tables are the same version (its id is their digest), but a version is
            # immutable once stored: other records with them would be served as the old ones.
            if _records_of(dict(stored[0])) != _records_of(manifest):
                raise DataError(
                    [
                        Problem.of_file(
                            str(folder / MANIFEST),
                            f"the police.uk records stored with version {version} in "
                            f"{self.where} (these tables are stored already, with other "
                            "records, and a stored version cannot change)",
                        )
                    ]
                )
            return version
        conn.execute(
            "INSERT INTO pcp_versions (version, manifest) VALUES (%s, %s)",
            (version, Jsonb(manifest)),
        )
        for name, digest in sorted(carried_files(manifest).items()):
            if not plain_name(name):
                raise DataError([Problem.of_file(str(folder / name), "a plain file name")])
            content = (folder / name).read_bytes()
            if hashlib.sha256(content).hexdigest() != digest:
                raise DataError(
                    [Problem.of_file(str(folder / name), "the bytes its manifest's sha256 names")]
                )
            conn.execute(
                "INSERT INTO pcp_files (version, name, digest, content) VALUES (%s, %s, %s, %s)",
                (version, name, digest, content),
            )
        return version

    def switch(self, conn: psycopg.Connection, version: str, action: str, **detail) -> dict:
        """Make ``version`` live: the live row, a history row and the notification, all in the
        caller's transaction (hosts hear of it only once it is committed)."""
        previous = self.current_version(conn)
        record = {"version": version, "previous": previous, "action": action, "at": _now()}
        record.update(detail)
        conn.execute(
            "INSERT INTO pcp_live (only_row, version, record) VALUES (true, %s, %s) "
            "ON CONFLICT (only_row) DO UPDATE SET version = excluded.version, "
            "record = excluded.record",
            (version, Jsonb(record)),
        )
        conn.execute("INSERT INTO pcp_history (record) VALUES (%s)", (Jsonb(record),))
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, version))
        return record

    def publish(self, conn: psycopg.Connection, folder: Path, action: str, **detail) -> dict:
        """A validated version folder stored and made live in one transaction; older versions
        beyond ``keep`` dropped in the same one."""
        with conn.transaction():
            version = self.add_version(conn, folder)
            record = self.switch(conn, version, action, **detail)
            self._prune(conn)
        return record

    def _prune(self, conn: psycopg.Connection) -> None:
        if self.keep <= 0:
            return
        keep: set[str] = set()
        for entry in reversed(self.history(conn)):
            for key in ("version", "previous"):
                if entry.get(key):
                    keep.add(entry[key])
            if len(keep) >= self.keep:
                break
        live = self.current_version(conn)
        if live:
            keep.add(live)
        conn.execute("DELETE FROM pcp_versions WHERE NOT (version = ANY(%s))", (sorted(keep),))

    def ensure_seeded(self, conn: psycopg.Connection) -> str | None:
        """An empty store starts from the bundled dataset, as an empty file store does."""
        live = self.current_version(conn)
        if live is not None or self.seed is None:
            return live
        with tempfile.TemporaryDirectory(prefix=WRITER_PREFIXES[2]) as work:
            store = VersionStore(Path(work))
            version, _ = store.publish(store.stage_copy_of(self.seed))
            self.publish(conn, store.version_dir(version), "first version", source=str(self.seed))
        return version

    @contextmanager
    def workspace(
        self, conn: psycopg.Connection, version: str | None = None, *, writer: bool = True
    ) -> Iterator[Path]:
        """A throwaway data folder whose file store's live version is ``version`` (default: the
        live one), flat tables written: the file store's import, plan and validation run on it
        unchanged, and what they make is published here with :meth:`publish`."""
        version = version or self.current_version(conn)
        prefix = WRITER_PREFIXES[0] if writer else "pcp-read-"
        with tempfile.TemporaryDirectory(prefix=prefix) as work:
            folder = Path(work)
            if version is not None:
                self.materialise(conn, version, folder)
                store = VersionStore(folder)
                store._switch_pointer_only(version, "from postgresql", source=self.where)
                store.restore_working_copy()
            yield folder

    def rollback(self, conn: psycopg.Connection, wanted: str | None) -> tuple[str, str | None]:
        """Under the lock: make an earlier version live again (default: the one the live
        version replaced). It must still load (files intact, today's rules)."""
        current = self.current(conn)
        live = current.get("version") if current else None
        known = self.versions(conn)
        if wanted is None:
            target = current.get("previous") if current else None
            if target is None:
                raise LookupError(f"no earlier version in {self.where}: nothing to roll back to")
        else:
            matches = [v for v in known if v.startswith(wanted)]
            if len(matches) != 1:
                raise LookupError(
                    f"no version {wanted!r} in {self.where}"
                    if not matches
                    else f"{wanted!r} names {len(matches)} versions: give more of it"
                )
            target = matches[0]
        if target not in known:
            raise LookupError(f"version {target} is no longer kept in {self.where}")
        with tempfile.TemporaryDirectory(prefix=WRITER_PREFIXES[1]) as work:
            self.load(conn, target, Path(work))  # raises DataError if it no longer validates
            with conn.transaction():
                self.switch(conn, target, "rollback", replaced=live)
        return target, live


def _records_of(manifest: dict) -> dict:
    """A manifest's records files by name and digest (empty: no records)."""
    entry = manifest.get("records")
    found = entry.get("files") if isinstance(entry, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _clear_dead_workspaces() -> None:
    """Under the writers' lock: remove what writers killed on this machine left."""
    root = Path(tempfile.gettempdir())
    for prefix in WRITER_PREFIXES:
        for folder in root.glob(f"{prefix}*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


def default_cache(url: str | None) -> Path:
    """A host's cache folder for one store when PCP_STORE_CACHE does not say: in the system's
    temporary folder, one per user and per store URL."""
    digest = hashlib.sha256((url or "").encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"pcp-store-{os.getuid()}-{digest}"
