"""A response's fingerprint: the same digest, whichever way it is worked out. Responses store it,
and an import compares a row's with the stored one to skip what did not change, so it must never
change for the same response (scrutiny.evidence.responses.response_fingerprint)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from decimal import Decimal

import pytest

from scrutiny.evidence import CleanAnswer, ResponseDetails, response_fingerprint


def stored_format(details: ResponseDetails, status: str, answers: list[CleanAnswer]) -> str:
    """The fingerprint as responses have stored it since it was first defined: the SHA-256 of
    the JSON of who, when, the status and the answers' keys in order."""
    content = [
        details.agency_id,
        details.area_id,
        details.role_id,
        details.case_ref,
        details.submitted_at.isoformat() if details.submitted_at else None,
        status,
        sorted(a.key() for a in answers),
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


ANSWERS = [
    CleanAnswer(question_id=3, option_id=12, score=0.75),
    CleanAnswer(question_id=4, option_id=20),
    CleanAnswer(question_id=4, option_id=17),
    CleanAnswer(question_id=1, text='Said "no" twice,\nthen yes \u2013 Dywedodd hi “na”.'),
    CleanAnswer(question_id=2, number=Decimal("3.50")),
    CleanAnswer(question_id=9, number=Decimal("0")),
    CleanAnswer(question_id=7, date=dt.date(2025, 3, 27)),
    CleanAnswer(question_id=8, text="\\ back\u00a0slash \U0001f600"),
]
DETAILS = [
    ResponseDetails(),
    ResponseDetails(agency_id=2, area_id=5, role_id=None, case_ref="CF-1042"),
    ResponseDetails(
        agency_id=1, case_ref="Ŵ-7", submitted_at=dt.datetime(2025, 3, 27, 9, 30, tzinfo=dt.UTC)
    ),
]


@pytest.mark.parametrize("details", DETAILS)
@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_the_fingerprint_keeps_the_format_responses_stored(details, status):
    shuffled = random.Random(7)
    for count in range(len(ANSWERS) + 1):
        answers = ANSWERS[:count]
        shuffled.shuffle(answers)
        assert response_fingerprint(details, status, answers) == stored_format(
            details, status, answers
        )


def test_answers_in_another_order_give_the_same_fingerprint_and_other_answers_another():
    details = DETAILS[1]
    first = response_fingerprint(details, "submitted", ANSWERS)
    assert response_fingerprint(details, "submitted", ANSWERS[::-1]) == first
    changed = [*ANSWERS[:-1], CleanAnswer(question_id=8, text="\\ back slash")]
    assert response_fingerprint(details, "submitted", changed) != first
    assert response_fingerprint(details, "draft", ANSWERS) != first
