"""Aggregates kept between requests (scrutiny/kept.py): read once while a scrutiny's evidence is
unchanged, never stale after any write to it, through every path that writes evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny.evidence import (
    ResponseDetails,
    ResponseWriter,
    response_reopen,
    response_save_draft,
    responses_supersede,
)
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.kept import evidence_stamp
from scrutiny.models import Agency, Answer, Instrument, Response, Scrutiny
from scrutiny.people_data.scrub import text_scrub
from scrutiny.retention import Cutoffs
from scrutiny.retention.core import answers_anonymise
from scrutiny.scoring import question_distributions, scrutiny_scores
from tests.conftest import client_for
from tests.scrutiny.test_workspace import PLANTED, _submit
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db


def stamp_queries(queries: CaptureQueriesContext) -> int:
    """The evidence stamps among the captured queries: the aggregate of `evidence_stamp`."""
    return sum(
        1
        for query in queries.captured_queries
        if 'MAX("scrutiny_response"."updated_at")' in query["sql"]
    )


def test_scores_are_read_once_while_the_evidence_is_unchanged(scrutiny: Scrutiny):
    with CaptureQueriesContext(connection) as first:
        cold = scrutiny_scores(scrutiny=scrutiny)
    with CaptureQueriesContext(connection) as second:
        warm = scrutiny_scores(scrutiny=scrutiny)
    assert warm == cold
    assert len(first) == 3  # the factors, the stamp, the aggregate
    assert len(second) == 2  # the factors, the stamp
    assert stamp_queries(second) == 1


def test_a_new_response_is_scored_at_once(scrutiny: Scrutiny, council: Agency):
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    before = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    counts_before = question_distributions(scrutiny=scrutiny)
    _submit(survey, council, "1")
    after = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert after.n == before.n + 1
    assert after.score is not None and before.score is not None and after.score < before.score
    answered = {(d.instrument_code, d.code): d.answered for d in counts_before}
    counts_after = question_distributions(scrutiny=scrutiny)
    now = {(d.instrument_code, d.code): d.answered for d in counts_after}
    assert now[("PS", "Q6")] == answered[("PS", "Q6")] + 1


def test_a_changed_setting_applies_to_kept_scores_without_new_evidence(scrutiny: Scrutiny):
    before = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert before.rating != "insufficient"
    scrutiny.min_responses = before.n + 1
    scrutiny.save()
    after = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert after.score == before.score  # the kept aggregate, with the new minimum
    assert after.rating == "insufficient"


def _compiled(scrutiny: Scrutiny, code: str):
    return version_compile(instrument_current_version(scrutiny.instruments.get(code=code)))


def _draft(scrutiny: Scrutiny, council: Agency) -> None:
    response_save_draft(
        compiled=_compiled(scrutiny, "PS"),
        values={"Q1": "yes"},
        details=ResponseDetails(agency_id=council.pk),
        channel=Response.Channel.SURVEY,
    )


def _reopen(scrutiny: Scrutiny, council: Agency) -> None:
    response_reopen(response=Response.objects.filter(scrutiny=scrutiny).latest("pk"))


def _supersede(scrutiny: Scrutiny, council: Agency) -> None:
    audits = list(Response.objects.filter(scrutiny=scrutiny, instrument__code="AUD"))
    agreed = _submit(audits[0].instrument, council, "3")
    responses_supersede(agreed=agreed, contributions=audits)


def _reimport(scrutiny: Scrutiny, council: Agency) -> None:
    """A workbook row whose ref was imported before, with another grade: the same response,
    its answers rewritten in bulk."""
    compiled = _compiled(scrutiny, "PS")
    for grade in ("4", "1"):
        writer = ResponseWriter(compiled=compiled, channel=Response.Channel.WORKBOOK)
        values = {"Q1": "yes", "Q2": "A plan", "Q6": grade}
        assert writer.add(values=values, details=ResponseDetails(council.pk, ref="R-1")) == {}
        writer.flush()
        if grade == "4":
            before = evidence_stamp(scrutiny)
    assert evidence_stamp(scrutiny) != before


def _delete(scrutiny: Scrutiny, council: Agency) -> None:
    Response.objects.filter(scrutiny=scrutiny).order_by("pk").first().delete()


def _retention(scrutiny: Scrutiny, council: Agency) -> None:
    """Retention empties a survey's words and forgets each response's day (the month stays)."""
    scrutiny.ends = dt.date(2026, 1, 31)
    scrutiny.save()
    now = timezone.now()
    cutoffs = Cutoffs(
        now=now,
        answers=now.date(),
        drafts=now,
        invitations=now,
        contributions=now.date(),
        case_lists=now.date(),
        uploads=now,
        trail=now,
    )
    lines = answers_anonymise(partnership=scrutiny.partnership, cutoffs=cutoffs)
    assert any(line.count for line in lines)


def _erasure(scrutiny: Scrutiny, council: Agency) -> None:
    """A person's address erased from the comments that mention it (people_data)."""
    answers = Answer.objects.filter(response__scrutiny=scrutiny)
    assert text_scrub(answers, ("text",), [PLANTED["email"]], "[removed]") == 1


WRITES: dict[str, Callable[[Scrutiny, Agency], None]] = {
    "a draft saved": _draft,
    "a response reopened": _reopen,
    "audits moderated into an agreed response": _supersede,
    "a re-imported row": _reimport,
    "a response deleted": _delete,
    "retention": _retention,
    "an erasure": _erasure,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_the_evidence_moves_its_stamp(
    scrutiny: Scrutiny, council: Agency, write: Callable[[Scrutiny, Agency], None]
):
    before = evidence_stamp(scrutiny)
    write(scrutiny, council)
    assert evidence_stamp(scrutiny) != before


def test_scores_follow_moderation_through_the_kept_aggregate(scrutiny: Scrutiny, council: Agency):
    before = scrutiny_scores(scrutiny=scrutiny).factor("SF1").sources["file_audit"]
    assert before.n == 2
    _supersede(scrutiny, council)
    after = scrutiny_scores(scrutiny=scrutiny).factor("SF1").sources["file_audit"]
    assert after.n == 1  # the agreed response alone counts (SCORING.md §5)


def test_a_page_reads_the_stamp_once_and_shows_new_evidence_on_the_next(
    scrutiny: Scrutiny, scrutineer, council: Agency
):
    client = client_for(scrutineer)
    url = reverse("workspace-factor", args=[scrutiny.slug, "SF1"])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert stamp_queries(cold) == 1 and stamp_queries(warm) == 1
    assert len(warm) < len(cold)
    n = first.context["evidence"].row.n
    _submit(Instrument.objects.get(scrutiny=scrutiny, code="PS"), council, "1")
    with CaptureQueriesContext(connection) as after:
        again = client.get(url)
    assert len(after) == len(cold)  # read afresh
    assert again.context["evidence"].row.n == n + 1


def _kept_bytes() -> bytes:
    """Everything the `evidence` cache holds, as stored (pickled), in memory or on Redis."""
    cache = caches["evidence"]
    if isinstance(cache, LocMemCache):
        return b"".join(cache._cache.values())
    client = cache._cache.get_client(None)  # RedisCache (CACHE_URL, as CI's PostgreSQL run)
    return b"".join(client.get(key) or b"" for key in client.keys("*"))


def test_nothing_a_person_wrote_is_kept(scrutiny: Scrutiny, scrutineer):
    """The comment pages are kept by a digest of their words, never the words: an erased or
    expired comment leaves no copy in a cache."""
    url = reverse("workspace-factor", args=[scrutiny.slug, "SF1"])
    page = client_for(scrutineer).get(url).content.decode()
    assert "Supervision notes were thin." in page
    kept = _kept_bytes().lower()
    assert kept  # the page kept its aggregates
    for words in ("supervision notes were thin", "drifted for months", "team briefing"):
        assert words.encode() not in kept
