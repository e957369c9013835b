"""scrutiny.evidence.stored: a response's answers read once (`answers_stored`) give what
`answer_values` gives, and `answers_replace` given them compares with them as with its own
read: the same rows kept, changed and added, with no read of its own."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from scrutiny.evidence import (
    answer_rows,
    answer_values,
    answers_clean,
    answers_stored,
    response_save_draft,
    response_submit,
)
from scrutiny.evidence.stored import answers_replace
from scrutiny.models import Answer, Response
from tests.scrutiny.test_questionnaires import compiled as compiled
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

DRAFT = {
    "Q1": "yes",
    "Q2": "A plan was made.",
    "Q3": ["briefing", "training"],
    "Q4": "2.5",
    "Q5": "2025-03-27",
    "Q6": "3",
}


def _draft(compiled) -> Response:
    return response_save_draft(compiled=compiled, values=DRAFT, channel=Response.Channel.AUDIT)


def _rows(response: Response) -> set[tuple]:
    return set(
        Answer.objects.filter(response=response).values_list(
            "pk", "question__code", "option__value", "text", "number", "date"
        )
    )


def test_the_values_are_answer_values_and_one_query(compiled):
    response = _draft(compiled)
    with CaptureQueriesContext(connection) as queries:
        stored = answers_stored(response.pk)
    assert len(queries) == 1
    assert stored.values == answer_values(response=response)
    assert stored.response_id == response.pk
    assert sorted(row[0] for row in stored.rows) == sorted(pk for pk, *_ in _rows(response))


def test_replacing_with_the_stored_rows_given_is_replacing_with_its_own_read(compiled):
    """The same change made twice, once with the rows given and once read: the same answers
    kept (the same ids), the same deleted and added, and no read when they are given."""
    changed = {**DRAFT, "Q3": ["training", "supervision"], "Q6": "2"}
    outcomes = []
    for given in (True, False):
        response = _draft(compiled)
        before = _rows(response)
        stored = answers_stored(response.pk)
        answers, errors = answers_clean(compiled, changed, complete=False)
        assert not errors
        rows = answer_rows(response.pk, answers)
        with CaptureQueriesContext(connection) as queries:
            answers_replace([(response.pk, rows)], stored=stored if given else None)
        reads = [  # the delete's own read of the answers it deletes is by their ids
            q
            for q in queries.captured_queries
            if 'WHERE "scrutiny_answer"."response_id"' in q["sql"]
        ]
        assert len(reads) == (0 if given else 1)
        after = _rows(response)
        kept = {row[1:] for row in before & after}
        outcomes.append((kept, {row[1:] for row in after - before}))
        assert answer_values(response=response) == changed
    assert outcomes[0] == outcomes[1]
    kept, added = outcomes[0]
    assert ("Q1", "yes", "", None, None) in kept and ("Q3", "training", "", None, None) in kept
    assert added == {("Q3", "supervision", "", None, None), ("Q6", "2", "", None, None)}


def test_stored_answers_of_another_response_are_refused(compiled):
    first, second = _draft(compiled), _draft(compiled)
    answers, _ = answers_clean(compiled, DRAFT, complete=False)
    with pytest.raises(ValueError, match="not those of the response"):
        answers_replace(
            [(second.pk, answer_rows(second.pk, answers))], stored=answers_stored(first.pk)
        )


def test_stored_answers_are_taken_only_with_the_responses_lock(compiled):
    response = _draft(compiled)
    with pytest.raises(ValueError, match="under the response's lock"):
        response_submit(
            compiled=compiled,
            values=DRAFT,
            channel=Response.Channel.AUDIT,
            response=response,
            stored=answers_stored(response.pk),
        )
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        stored = answers_stored(locked.pk)
        submitted = response_submit(
            compiled=compiled,
            values=stored.values,
            channel=Response.Channel.AUDIT,
            response=locked,
            locked=True,
            stored=stored,
        )
    assert submitted.status == Response.Status.SUBMITTED
    assert answer_values(response=submitted) == DRAFT
