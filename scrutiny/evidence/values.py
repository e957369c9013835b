"""Stored answers back into raw values (question code to value, as `answers_clean` takes them
and the forms show them): `answer_values` for one response, `answer_values_by_response` for many
in one query, and `answer_values_from` for rows already read (ANSWER_VALUE_FIELDS, in
ANSWER_VALUE_ORDER), as the pack's response sheets stream them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

from scrutiny.models import Answer, Question, Response
from scrutiny.prepared import Prepared

# What an answer is read back from (`values_list`), in this order.
ANSWER_VALUE_FIELDS = (
    "question__code",
    "question__type",
    "option__value",
    "text",
    "number",
    "date",
)
# The order that lists a multiple-choice answer's options in their list's order.
ANSWER_VALUE_ORDER = ("question__position", "option__position")

AnswerRow = tuple[str, str, str | None, str, Decimal | None, dt.date | None]


def answer_values_from(rows: Iterable[AnswerRow]) -> dict[str, Any]:
    """One response's stored answers (rows of ANSWER_VALUE_FIELDS, in ANSWER_VALUE_ORDER) as
    raw values: a list of option values for multiple choice, the option's value for single
    choice, a number as plain decimal text, a date as ISO text, else the text."""
    values: dict[str, Any] = {}
    for code, type_, option, text, number, date in rows:
        if type_ == Question.Type.MULTIPLE:
            values.setdefault(code, [])
            if option is not None:
                values[code].append(option)
        elif type_ == Question.Type.SINGLE:
            values[code] = option or ""
        elif type_ == Question.Type.NUMBER:
            values[code] = format(number.normalize(), "f") if number is not None else ""
        elif type_ == Question.Type.DATE:
            values[code] = date.isoformat() if date else ""
        else:
            values[code] = text
    return values


def _answer_values(response: int) -> QuerySet[Answer, AnswerRow]:
    return (
        Answer.objects.filter(response_id=response)
        .order_by(*ANSWER_VALUE_ORDER)
        .values_list(*ANSWER_VALUE_FIELDS)
    )


# Read by every page of a questionnaire answered before: its SQL made once a process.
_ANSWER_VALUES = Prepared(_answer_values, response=Response._meta.pk)


def answer_values(*, response: Response) -> dict[str, Any]:
    """A stored response's answers as raw values, to fill its pages again (one query).

    Give the result as the forms' `initial` (and as the `answers` of the other pages).
    """
    return answer_values_from(_ANSWER_VALUES.rows(response=response.pk))


def answer_values_by_response(*, response_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each response's answers as `answer_values` gives them, for many responses in one query
    (none without ids); a response with no answers is left out."""
    ids = list(response_ids)
    if not ids:
        return {}
    rows = (
        Answer.objects.filter(response_id__in=ids)
        .order_by("response_id", *ANSWER_VALUE_ORDER)
        .values_list("response_id", *ANSWER_VALUE_FIELDS)
    )
    return {
        response_id: answer_values_from(row[1:] for row in group)
        for response_id, group in groupby(rows, key=itemgetter(0))
    }
