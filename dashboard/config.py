"""Settings: the one place that reads the environment, with defaults that run out of the box.

``Settings.from_env(**flags)`` resolves every setting once: a flag given on the command line
(a keyword that is not ``None``) beats the environment variable, which beats the default.
Everything else takes a ``Settings`` (or calls ``Settings.from_env()``) instead of reading
``os.environ`` itself.

To add a setting: add a field with a default and ``metadata=env("PCP_NAME", parser)``. A value
the parser refuses is a :class:`SettingsError` naming the variable, what it held and what was
expected; a field may instead say ``bad="default"`` to fall back to its default.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .resources import bundled_data_dir


class SettingsError(ValueError):
    """An environment variable holds a value the setting cannot take."""


def env(name: str, parse: Callable[[str], Any], *, bad: str = "error") -> dict[str, Any]:
    """Field metadata: the environment variable that sets the field, and how to read it."""
    return {"env": name, "parse": parse, "bad": bad}


def _path(text: str) -> Path:
    return Path(text).expanduser().resolve()


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("1/true/yes/on or 0/false/no/off")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError("a whole number, 1 or more")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError("a number greater than 0")
    return value


def _bind(text: str) -> str:
    host, sep, port = text.strip().rpartition(":")
    if not text.strip().startswith("unix:") and not (sep and host and port.isdigit()):
        raise ValueError("HOST:PORT (for example 127.0.0.1:8050) or unix:PATH")
    return text.strip()


def _text(text: str) -> str:
    return text.strip()


def _system_chromium() -> str | None:
    """Debian's Chromium for chart images (kaleido), when ``BROWSER_PATH`` does not say."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Settings:
    #: The dataset folder the server and the data commands use.
    data_dir: Path = field(default_factory=bundled_data_dir, metadata=env("PCP_DATA_DIR", _path))
    #: Dash dev tools; only when explicitly asked for, never in the shipped start command.
    debug: bool = field(default=False, metadata=env("PCP_DEBUG", _flag))
    #: Seconds between a worker's checks for changed data files.
    reload_interval: float = field(default=2.0, metadata=env("PCP_RELOAD_SECONDS", _positive_float))
    #: Where gunicorn listens.
    bind: str = field(default="127.0.0.1:8050", metadata=env("PCP_BIND", _bind))
    #: gunicorn worker processes.
    workers: int = field(default=2, metadata=env("PCP_WORKERS", positive_int))
    #: Threads a worker (a slow chart image runs beside page requests).
    threads: int = field(default=4, metadata=env("PCP_THREADS", positive_int))
    #: Largest data file read, in megabytes; a bad value means the default (a typo in a
    #: limit should not stop an import of a small file).
    max_file_mb: float = field(
        default=50.0, metadata=env("PCP_MAX_FILE_MB", _positive_float, bad="default")
    )
    #: Chromium for chart images: ``BROWSER_PATH`` (kaleido's own variable) or the system one.
    browser_path: str | None = field(
        default_factory=_system_chromium, metadata=env("BROWSER_PATH", _text)
    )
    title: str = "Police and Crime Plan: performance dashboard"
    # -- the dataset store (issue 14, docs/store.md) -------------------------------------------
    #: The bundled, read-only dataset that a data folder without tables starts from (None:
    #: none; an empty data folder then has no data).
    seed_dir: Path | None = field(default_factory=bundled_data_dir)
    #: Seconds an import or rollback waits for another one before giving up.
    lock_timeout: float = field(
        default=30.0, metadata=env("PCP_LOCK_SECONDS", _positive_float, bad="default")
    )
    #: Versions kept for rollback, counted back through the switches of the live version.
    keep_versions: int = field(
        default=20, metadata=env("PCP_KEEP_VERSIONS", positive_int, bad="default")
    )
    # -- bounded input: analysts' XLSX and ODS files (sheets.py) --------------------------------
    #: An XLSX/ODS unpacked (a zip bomb is refused before anything is read), in megabytes.
    max_unzipped_mb: float = field(
        default=100.0, metadata=env("PCP_MAX_UNZIPPED_MB", _positive_float, bad="default")
    )
    #: Rows of a sheet, empty but formatted ones included.
    max_rows: int = field(
        default=100_000, metadata=env("PCP_MAX_ROWS", positive_int, bad="default")
    )
    #: Cells of a sheet read, empty ones included (what parsing costs, whatever the bytes).
    max_cells: int = field(default=1_000_000, metadata=env("PCP_MAX_CELLS", positive_int))
    max_columns: int = 200
    #: Characters in one cell (Excel's own limit).
    max_cell_chars: int = 32_767
    # -- bounded input: quarterly update documents for `ingest` (ingest/extract.py) -------------
    #: A document's size on disk, in megabytes.
    ingest_max_mb: float = field(default=20.0, metadata=env("PCP_INGEST_MAX_MB", _positive_float))
    #: A .docx unpacked (its document.xml and the rest), in megabytes.
    ingest_max_unzipped_mb: float = field(
        default=20.0, metadata=env("PCP_INGEST_MAX_UNZIPPED_MB", _positive_float)
    )
    #: Pages of a PDF.
    ingest_max_pages: int = field(default=300, metadata=env("PCP_INGEST_MAX_PAGES", positive_int))
    #: Paragraphs of a document.
    ingest_max_paragraphs: int = field(
        default=20_000, metadata=env("PCP_INGEST_MAX_PARAGRAPHS", positive_int)
    )
    #: Characters in one line or paragraph.
    ingest_max_line_chars: int = field(
        default=20_000, metadata=env("PCP_INGEST_MAX_LINE_CHARS", positive_int)
    )
    #: Characters of text in a whole document.
    ingest_max_chars: int = field(
        default=2_000_000, metadata=env("PCP_INGEST_MAX_CHARS", positive_int)
    )
    # -- the server (dashboard/server/) ---------------------------------------------------------
    #: Serve through nginx in front of gunicorn (dashboard/proxy.py); 0: gunicorn alone.
    proxy: bool = field(default=True, metadata=env("PCP_PROXY", _flag))
    #: Seconds a client may take to send a request's headers, and between two reads of its body.
    proxy_client_seconds: int = field(
        default=10, metadata=env("PCP_PROXY_CLIENT_SECONDS", positive_int)
    )
    #: Requests in progress at once from one client address.
    proxy_connections: int = field(default=100, metadata=env("PCP_PROXY_CONNECTIONS", positive_int))
    #: The nginx program (Debian's nginx-light puts it in /usr/sbin, which is not on every PATH).
    nginx_path: str = field(default="/usr/sbin/nginx", metadata=env("PCP_NGINX", _text))
    #: A request body, in megabytes (callback requests are a few kilobytes).
    max_request_mb: float = field(
        default=1.0, metadata=env("PCP_MAX_REQUEST_MB", _positive_float, bad="default")
    )
    #: Where made packs and chart images are kept; None: <data>/.versions/files, or a folder in
    #: the system's temporary folder when the data folder keeps no versions.
    cache_dir: Path | None = field(default=None, metadata=env("PCP_CACHE_DIR", _path))
    #: Packs and chart images a worker makes at once, and requests that may wait for one.
    export_builds: int = field(
        default=1, metadata=env("PCP_EXPORT_BUILDS", positive_int, bad="default")
    )
    export_queue: int = 1
    #: Made packs and chart images kept per dataset version, in megabytes and in files; beyond
    #: either, the least recently used are removed (each meeting's choice is a file of its own).
    export_cache_mb: float = field(
        default=256.0, metadata=env("PCP_EXPORT_CACHE_MB", _positive_float)
    )
    export_cache_files: int = field(
        default=2000, metadata=env("PCP_EXPORT_CACHE_FILES", positive_int)
    )
    #: Headless Chromiums drawing chart images at once on the machine, all workers together.
    chart_browsers: int = field(
        default=1, metadata=env("PCP_CHART_BROWSERS", positive_int, bad="default")
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Settings from flags (not ``None``), else the environment, else the defaults."""
        environ = os.environ if environ is None else environ
        known = {f.name: f for f in fields(cls)}
        unknown = set(flags) - set(known)
        if unknown:
            raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name, spec in known.items():
            if flags.get(name) is not None:
                values[name] = flags[name]
                continue
            variable = spec.metadata.get("env")
            raw = environ.get(variable) if variable else None
            if raw is None or not raw.strip():  # set but empty: as if not set
                continue
            try:
                values[name] = spec.metadata["parse"](raw)
            except ValueError as exc:
                if spec.metadata["bad"] == "default":
                    continue
                raise SettingsError(f"{variable}={raw!r}: expected {exc}") from None
        return cls(**values)


#: The bundled dataset inside the installed package (kept for callers that name it).
BUNDLED_DATA = bundled_data_dir()


def data_dir() -> Path:
    """The dataset folder: ``PCP_DATA_DIR`` or the bundled data (for the commands: code below
    the entry points reads :func:`installed`)."""
    return Settings.from_env().data_dir


_INSTALLED: Settings | None = None


def install(settings: Settings | None) -> Settings | None:
    """Make ``settings`` the ones code below the entry points reads (:func:`installed`); returns
    the ones installed before. Only the entry points call this: ``create_app`` and
    ``pcp-dashboard`` (for the length of one command)."""
    global _INSTALLED
    before, _INSTALLED = _INSTALLED, settings
    return before


def installed() -> Settings:
    """The settings an entry point installed; without one, the defaults (never the
    environment: only the entry points read it)."""
    return _INSTALLED if _INSTALLED is not None else Settings()
