"""One error type for every importer, carrying every problem found in a file.

Each problem names the file, row, column and value and says what is wrong in a sentence, so
that the UI and the CLI can print them as they are and an officer can fix the file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{', '.join(where)}: {self.message}{value}"


class LoadError(Exception):
    """A file was refused; nothing from it was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was stored:\n{shown}{more}")
