"""Problems: every error of one import, each with its sheet, row and column.

Errors are collected (`Problems`) so that one import reports every error it finds, and raised
together as one ApplicationError listing the first fifty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scrutiny.errors import ApplicationError

MAX_ERRORS_LISTED = 50


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str  # e.g. "D (type)", or "" when the error is about a whole row or sheet
    message: str

    def __str__(self) -> str:
        place = f"sheet {self.sheet}"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column}"
        return f"{place}: {self.message}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        # Count them all; keep only as many as a person reads (and memory stays flat).
        self.count += 1
        if len(self.items) < MAX_ERRORS_LISTED:
            self.items.append(Problem(sheet, row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0

    def raise_if_any(self, what: str) -> None:
        if not self.count:
            return
        s = "" if self.count == 1 else "s"
        raise self.error(
            f"{what} has {self.count} error{s}; nothing was imported. "
            "Correct the workbook and import it again.",
            describe=str,
        )

    def error(self, headline: str, *, describe: Callable[[Problem], str]) -> ApplicationError:
        """One ApplicationError for every problem: the headline, then a line each (as
        `describe` words it), and the problems as data for the API."""
        lines = [f"- {describe(p)}" for p in self.items]
        if self.count > len(self.items):
            lines.append(f"- and {self.count - len(self.items)} more")
        return ApplicationError(
            headline + "\n" + "\n".join(lines),
            extra={
                "errors": [describe(p) for p in self.items],
                "error_count": self.count,
                "problems": [
                    {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                    for p in self.items
                ],
            },
        )
