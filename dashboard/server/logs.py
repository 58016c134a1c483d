"""One JSON object per line on stderr, with a UTC timestamp, for everything the app logs.

gunicorn's own lines keep gunicorn's format; the app's (``dashboard.*``, Flask's) become

    {"ts": "2026-12-01T11:52:10.826Z", "level": "ERROR", "logger": "dashboard.data.store",
     "event": "dataset_refused", "message": "...", "problems": [...], ...}

so that a log collector can pick out dataset events (``event`` starting ``dataset_``) without
parsing prose, and a traceback, when there is one, stays inside its line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback

from flask import Flask

#: Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            kind, error, _ = record.exc_info
            entry["error"] = f"{kind.__name__}: {error}" if kind else str(error)
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test may have replaced it)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class _IgnoredWithoutTraceback(logging.Filter):
    """kaleido's Chromium driver (choreographer) logs a malformed message from Chromium's pipe,
    which it then ignores, with a whole traceback: keep the line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().endswith("Ignoring"):
            record.exc_info, record.exc_text = None, None
        return True


#: Loggers written as structured lines: the app's, and kaleido's (chart images) at WARNING.
LOGGERS = {"dashboard": None, "choreographer": logging.WARNING, "kaleido": logging.WARNING}


def configure(server: Flask | None = None, level: int = logging.INFO) -> None:
    """Structured lines for the ``dashboard`` loggers, and kaleido's (idempotent)."""
    for name, own_level in LOGGERS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            handler = _StderrHandler()
            handler.addFilter(_IgnoredWithoutTraceback())
            logger.addHandler(handler)
        logger.setLevel(own_level or level)
        logger.propagate = False
    if server is not None:
        from flask.logging import default_handler

        # Flask's app logger is "dashboard.app": let it reach the structured handler only.
        server.logger.removeHandler(default_handler)
