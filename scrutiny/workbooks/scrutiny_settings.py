"""Sheet `scrutiny` of the scrutiny workbook (WORKBOOKS.md §1): the settings, as key and value.

Each value is read and checked by the reader of its kind (the slug and title, the priority, a
date, a threshold or a count), then the settings are checked together by the same
`scrutinies.settings_errors` that the settings page and `scrutiny_save` call, its problem shown
on the row of the setting to correct.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl.workbook.workbook import Workbook

from scrutiny.scrutinies import ScrutinySettings, settings_errors
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import Sheet, cell_text, date_from, key_values_read, number_from

SCRUTINY_KEYS = (
    "slug",
    "title",
    "priority",
    "starts",
    "ends",
    "strong_threshold",
    "some_threshold",
    "min_responses",
    "suppression_threshold",
)
_SLUG = re.compile(r"^[a-z0-9-]+$")
_WHOLE = ("min_responses", "suppression_threshold")
# The most a count may be: what an integer column holds on PostgreSQL, and so on every database
# the platform runs on. Compared before int(), which costs minutes for a cell such as 1e300000.
COUNT_MOST = 2**31 - 1
# A value a reader leaves out of the settings: absent, or present but wrong.
_LEFT_OUT = object()


@dataclass(frozen=True)
class _Value:
    """One row of the sheet: its key, the cell of its value, and where that cell is."""

    key: str
    raw: Any
    row: int
    column: str

    @property
    def text(self) -> str:
        return cell_text(self.raw)

    def problem(self, problems: Problems, message: str) -> None:
        problems.add("scrutiny", self.row, self.column, message)


def _name_read(value: _Value, problems: Problems) -> Any:
    """The slug or the title: required, the slug in its alphabet, neither too long."""
    text = value.text
    if not text:
        value.problem(problems, f"the {value.key} is empty")
    elif value.key == "slug" and not _SLUG.match(text):
        value.problem(
            problems,
            f"slug {text!r} may hold lower-case letters, numbers and hyphens only, e.g. "
            "learning-from-practice-2024",
        )
    elif len(text) > (80 if value.key == "slug" else 200):
        value.problem(problems, f"the {value.key} is too long")
    return text


def _priority_read(value: _Value, problems: Problems) -> Any:
    if len(value.text) > 300:
        value.problem(problems, "the priority is longer than 300 characters")
    return value.text


def _date_read(value: _Value, problems: Problems) -> Any:
    if value.raw is None:
        return _LEFT_OUT
    date = date_from(value.raw)
    if date is None:
        value.problem(problems, f"{value.text!r} is not a date; write it as YYYY-MM-DD")
    return date


def _number_read(value: _Value, problems: Problems) -> Any:
    """A threshold (from 0 to 100) or a count (a whole number from its lowest to COUNT_MOST)."""
    if value.raw is None:
        return _LEFT_OUT
    number = number_from(value.raw)
    whole = value.key in _WHOLE
    lowest = 1 if value.key == "suppression_threshold" else 0
    highest = COUNT_MOST if whole else 100
    if number is None or (whole and number != number.to_integral_value()):
        kind = "a whole number" if whole else "a number"
        value.problem(problems, f"{value.key} {value.text!r} is not {kind}")
        return _LEFT_OUT
    if not lowest <= number <= highest:
        value.problem(
            problems, f"{value.key} must be from {lowest} to {highest:,}, not {value.text}"
        )
        return _LEFT_OUT
    return int(number) if whole else float(number)


_READERS: dict[str, Callable[[_Value, Problems], Any]] = {
    "slug": _name_read,
    "title": _name_read,
    "priority": _priority_read,
    "starts": _date_read,
    "ends": _date_read,
}


def settings_read(workbook: Workbook, problems: Problems) -> ScrutinySettings | None:
    """The settings of sheet `scrutiny`; None when the slug or the title cannot be read (the
    problems say why)."""
    found = key_values_read(workbook, sheet_name="scrutiny", keys=SCRUTINY_KEYS, problems=problems)
    if found is None:
        return None
    for key in ("slug", "title"):
        if key not in found:
            problems.add("scrutiny", None, "", f"there is no row with key {key}: add one")
    values: dict[str, Any] = {}
    for key in SCRUTINY_KEYS:
        if key not in found:
            continue
        raw, row, sheet = found[key]
        read = _READERS.get(key, _number_read)(
            _Value(key, raw, row, sheet.column("value")), problems
        )
        if read is not _LEFT_OUT:
            values[key] = read
    _settings_together_check(found, values, problems)
    if "slug" not in values or "title" not in values:
        return None
    return ScrutinySettings(**values)


def _settings_together_check(
    found: dict[str, tuple[Any, int, Sheet]], values: dict[str, Any], problems: Problems
) -> None:
    """The settings taken together (`settings_errors`), each problem on the row to correct."""
    defaults = ScrutinySettings(slug="", title="")
    nowhere = (None, None, None)
    rows = {  # where each check's problem is shown
        "some_threshold": found.get("some_threshold", found.get("strong_threshold", nowhere))[1],
        "ends": found.get("ends", nowhere)[1],
    }
    errors = settings_errors(
        strong_threshold=values.get("strong_threshold", defaults.strong_threshold),
        some_threshold=values.get("some_threshold", defaults.some_threshold),
        starts=values.get("starts"),
        ends=values.get("ends"),
    )
    for key, message in errors.items():
        # A problem of a sheet is written as a clause: "sheet scrutiny, row 5: the end date …".
        problems.add("scrutiny", rows[key], "", message[:1].lower() + message[1:].rstrip("."))
