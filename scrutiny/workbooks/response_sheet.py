"""The responses sheet's conventions (WORKBOOKS.md §3), both ways: its reserved columns, the refs
that identify a row, dates in the partnership's time zone, and answers as cells.

- `synthetic_ref`: the ref an export gives a response entered on the platform (which has none),
  `response-<id>-<check>`, the check a keyed hash of the installation's secret, so that
  re-importing an export recognises those responses and a workbook from another installation
  cannot touch them;
- `row_identity`: what a row without a ref holds, as 16 hex digits, from which the import makes
  its ref (`row-<digits>-<k>`);
- `submitted_from` and `submitted_cell`: a `submitted` cell read and written (a date alone is
  midnight in Europe/London; a moment as survey tools write it, `TOOL_MOMENTS`, is read too);
- `answer_value` and `answer_cell`: an answer's cell read as the raw answer, and written back;
  `answer_unreadable` says why a cell cannot be read as an answer at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zoneinfo
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

from scrutiny.instruments import CompiledQuestion
from scrutiny.models import Question, Response
from scrutiny.workbooks.reading import cell_text, date_from, number_beyond, number_from
from scrutiny.workbooks.writing import number_cell_value

RESERVED = ("ref", "agency", "area", "role", "case_ref", "submitted")
REF_LENGTH = Response._meta.get_field("ref").max_length or 100
CASE_REF_LENGTH = Response._meta.get_field("case_ref").max_length or 100
SYNTHETIC_REF = re.compile(r"^response-(?P<pk>\d+)-(?P<check>[0-9a-f]{12})$")


def local_zone() -> zoneinfo.ZoneInfo:
    """The partnership's time zone (settings.TIME_ZONE, Europe/London)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def synthetic_ref(response_pk: int, instrument_pk: int) -> str:
    """The ref an export gives a response that has none (see the module's docstring)."""
    # The key salt is the name of the module this was first written in: keep it, or every ref
    # exported before would no longer be recognised.
    check = salted_hmac(
        "scrutiny.workbooks.responses", f"{instrument_pk}:{response_pk}"
    ).hexdigest()[:12]
    return f"response-{response_pk}-{check}"


def answer_value(question: CompiledQuestion, value: Any) -> Any:
    """A cell as the raw answer evidence.answers_clean reads; numbers Excel made of option
    values and dates made of text are put back."""
    if value is None:
        return None
    if question.type == Question.Type.DATE:
        if isinstance(value, dt.datetime | dt.date):
            return value
        date = date_from(value)
        return date if date is not None else cell_text(value)
    if question.type == Question.Type.NUMBER:
        number = number_from(value)
        # One written form for one number, so a re-import finds the same fingerprint.
        return cell_text(number) if number is not None else cell_text(value)
    return cell_text(value)


def answer_unreadable(question: CompiledQuestion, value: Any) -> str | None:
    """Why a cell cannot be read as its question's answer at all, or None. A number question's
    cell written as a number beyond decimal arithmetic (1e1000000) is not a number; any other
    wrong answer is for evidence.answers_clean to explain."""
    if question.type == Question.Type.NUMBER and number_beyond(value):
        return f"{cell_text(value)!r} is not a number"
    return None


def submitted_from(value: Any) -> dt.datetime | None:
    """A `submitted` cell as an aware datetime: a date is midnight in Europe/London. None when
    it is not a date, or is a moment that UTC cannot hold (9999-12-31T23:59:59-05:00 is already
    the year 10000 in UTC, and the database keeps every moment in UTC)."""
    moment = _moment_from(value)
    if moment is None:
        return None
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        return None
    return moment


def _moment_from(value: Any) -> dt.datetime | None:
    london = local_zone()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=london) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=london)
    if isinstance(value, str):
        date = date_from(value)
        if date is not None:
            return dt.datetime.combine(date, dt.time(0), tzinfo=london)
        moment: dt.datetime | None
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = _tool_moment(value.strip())
        if moment is None:
            return None
        return moment.replace(tzinfo=london) if moment.tzinfo is None else moment
    return None


# How survey tools write a moment (WORKBOOKS.md §5): the UK order, as Google Forms and Excel
# write it in the UK; with AM/PM, SurveyMonkey's US order (month first).
TOOL_MOMENTS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
)


def _tool_moment(text: str) -> dt.datetime | None:
    for pattern in TOOL_MOMENTS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def row_identity(cells: dict[str, Any]) -> str:
    """What a row without a ref holds, as 16 hex digits: the same values give the same digits
    (the number 4 and the text "4" alike)."""
    content = json.dumps(
        sorted((name, cell_text(value)) for name, value in cells.items()), ensure_ascii=False
    )
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def submitted_cell(moment: dt.datetime | None) -> Any:
    """Local date (midnight), local date and time, or, where Excel would lose something
    (fractions of a second, the repeated hour when clocks go back), ISO text with the offset."""
    if moment is None:
        return None
    local = moment.astimezone(local_zone())
    naive = local.replace(tzinfo=None)
    if local.microsecond or naive.replace(tzinfo=local_zone()) != moment:
        return local.isoformat()
    return naive.date() if naive.time() == dt.time(0) else naive


def answer_cell(question: CompiledQuestion, value: Any) -> Any:
    """A raw value (`answer_values`) as the workbook's cell, as the import reads it back."""
    if value is None:
        return None
    if question.type == Question.Type.MULTIPLE:
        return "; ".join(value)
    if question.type == Question.Type.SINGLE:
        return value or None
    if question.type == Question.Type.NUMBER:
        return number_cell_value(Decimal(value)) if value else None
    if question.type == Question.Type.DATE:
        return dt.date.fromisoformat(value) if value else None
    return value
