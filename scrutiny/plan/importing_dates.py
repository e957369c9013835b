"""A delivery plan's timescale as the date the plan keeps (`Action.timescale` is a date).

Published plans write a date, a month ("March 2027": its last day), a quarter of the financial
year April to March ("Q4 2026-27": 31 March 2027), a calendar quarter ("Q2 2026": 30 June 2026),
a financial year ("2026-27": 31 March 2027), often after "By" or "End of". "Ongoing" and the
like mean no date: the plan shows no timescale for the action, and it is never flagged overdue.
Any other words are refused, naming the cell, rather than guessed or dropped: a timescale
matters to the plan (overdue actions are flagged).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from scrutiny.workbooks.reading import cell_text, date_from

NO_DATE = {
    "ongoing",
    "on going",
    "on-going",
    "continuous",
    "continual",
    "throughout the year",
    "tbc",
    "tbd",
    "n/a",
    "-",
}
_MONTHS = {
    name.lower(): index
    for names in (calendar.month_name, calendar.month_abbr)
    for index, name in enumerate(names)
    if name
}
_MONTHS["sept"] = 9
_LEADING = re.compile(r"^(by\s+)?(the\s+)?(end\s+of\s+)?", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_FINANCIAL = re.compile(r"^(?:fy\s*)?(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*(?:of\s+)?(\d{4})(?:\s*[-/\u2013]\s*(\d{2}|\d{4}))?$")
_DAY_MONTH_YEAR = ("%d %B %Y", "%d %b %Y", "%d %B, %Y")
ADVICE = (
    "write a date (31/03/2027), a month (March 2027), a quarter of the financial year "
    "(Q4 2026-27), or Ongoing"
)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _following(start: int, end: str) -> bool:
    """Whether `end` ("27" or "2027") is the year after `start`."""
    return int(end) == (start + 1) % (100 if len(end) == 2 else 10_000)


def _financial_quarter(quarter: int, start: int, end: str | None) -> dt.date | None:
    if end is None:  # a calendar quarter: Q1 ends in March
        return _month_end(start, quarter * 3)
    if not _following(start, end):
        return None
    # The financial year runs April to March: Q1 ends in June, Q4 in the next March.
    month = quarter * 3 + 3
    return _month_end(start + (month > 12), month - 12 if month > 12 else month)


def _from_words(words: str) -> dt.date | None:
    found = _MONTH_YEAR.match(words)
    if found and found.group(1) in _MONTHS:
        return _month_end(int(found.group(2)), _MONTHS[found.group(1)])
    found = _QUARTER.match(words)
    if found:
        return _financial_quarter(int(found.group(1)), int(found.group(2)), found.group(3))
    found = _FINANCIAL.match(words)
    if found and _following(int(found.group(1)), found.group(2)):
        return dt.date(int(found.group(1)) + 1, 3, 31)
    for form in _DAY_MONTH_YEAR:
        try:
            return dt.datetime.strptime(words, form).date()
        except ValueError:
            continue
    return None


def timescale_from(value: Any) -> dt.date | None:
    """The date a Timescale cell gives; None for none, or ongoing work. ValueError, saying what
    to write, for words that are neither."""
    if isinstance(value, dt.date | dt.datetime):
        return date_from(value)
    text = " ".join(cell_text(value).split())
    if not text:
        return None
    words = text.lower()
    if words in NO_DATE or words.startswith(("ongoing", "on-going")):
        return None
    found = date_from(text) or _from_words(_LEADING.sub("", words).strip())
    if found is None:
        raise ValueError(f"“{text}” is not a timescale the plan can read: {ADVICE}")
    return found
