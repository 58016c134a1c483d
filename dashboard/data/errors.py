"""Problems found in data files, each located precisely enough for an analyst to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or changed on the way in) in one file.

    ``row`` is the line number a spreadsheet or text editor shows (the header is line 1), or
    None when the problem is with the whole file or a column.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    severity: str = "error"  # "error" stops the file; "notice" says what was done to a value

    @classmethod
    def of_file(cls, file: str, expected: str, severity: str = "error") -> Problem:
        """A problem with the whole file (or folder), not with one row or column of it."""
        return cls(file, None, None, None, expected, severity)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        found = "" if self.value is None else f": found {_shorten(self.value)!r}"
        label = "error" if self.severity == "error" else "note"
        return f"{where}{found} — {label}: {self.expected}"


def _shorten(value: str, limit: int = 60) -> str:
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


class DataError(Exception):
    """A dataset or file that cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) found; first: {errors[0] if errors else '-'}")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class Outcome:
    """Something that carries the problems found on the way (an import plan, a published table
    read): its errors, and whether it may go ahead. Subclasses are dataclasses with a
    ``problems`` field."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def ok(self) -> bool:
        return not self.errors
