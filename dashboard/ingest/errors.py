"""The one error ingestion raises: it names the file and what was expected."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A document that cannot be read as a quarterly update. Printed without a traceback."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{self.path.name}: {message}")
