"""The read API of scrutinies: list, detail, factors, instruments with versions, and scores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scrutiny.models import Partnership, User
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scrutiny.test_scoring_builders import (
    WORKED_JSON,
    Evidence,
    Q,
    build_worked_example,
    make_instrument,
    make_scrutiny,
)

pytestmark = pytest.mark.django_db

SLUG = "learning-from-practice"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


@pytest.fixture
def worked(partnership):
    return build_worked_example(partnership)


@pytest.fixture
def outsider():
    """The scrutineer of another partnership."""
    other = Partnership.objects.create(name="Elsewhere Safeguarding Children Partnership")
    return UserFactory(partnership=other, email="pat@elsewhere.invalid", role=User.Role.SCRUTINEER)


def test_list_holds_the_scrutinies_the_user_may_read(worked, partnership, scrutineer, outsider):
    make_scrutiny(partnership, slug="neglect", title="Neglect")
    response = client_for(scrutineer).get(url("api-scrutiny-list"))
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()] == [SLUG, "neglect"]
    assert response.json()[0] == {
        "slug": SLUG,
        "title": "Learning from Practice",
        "priority": "",
        "status": "planning",
        "starts": None,
        "ends": None,
    }
    assert client_for(outsider).get(url("api-scrutiny-list")).json() == []


def test_detail_with_factors(worked, board_member):
    data = client_for(board_member).get(url("api-scrutiny-detail", SLUG)).json()
    assert data["factors"] == [
        {"code": "SF1", "statement": "Practitioners know the key learning from practice reviews"},
        {
            "code": "SF2",
            "statement": "Review actions are tracked to completion and their impact on children "
            "is checked",
        },
    ]
    assert (data["min_responses"], data["suppression_threshold"]) == (5, 5)
    assert data["source_weights"] == {"file_audit": 2.0}
    assert "redaction_terms" not in data  # names of people and places never leave
    factors = client_for(board_member).get(url("api-scrutiny-factors", SLUG)).json()
    assert factors == data["factors"]


@pytest.mark.parametrize(
    "name",
    [
        "api-scrutiny-detail",
        "api-scrutiny-factors",
        "api-scrutiny-instruments",
        "api-scrutiny-scores",
    ],
)
def test_who_cannot_see_a_scrutiny_gets_404(auditor_council, outsider, worked, name):
    for user in (outsider, auditor_council):
        assert client_for(user).get(url(name, SLUG)).status_code == 404
    response = client_for(auditor_council).get(url("api-scrutiny-instrument-detail", SLUG, "A1"))
    assert response.status_code == 404


def test_anonymous_is_refused(worked, client):
    assert client.get(url("api-scrutiny-scores", SLUG)).status_code in (401, 403)


def test_scores_are_the_published_document(worked, board_member, scrutineer):
    for user in (board_member, scrutineer):
        response = client_for(user).get(url("api-scrutiny-scores", SLUG))
        assert response.status_code == 200
        assert response.json() == WORKED_JSON  # EDU and POL suppressed, for the scrutineer too


def test_instruments_with_their_versions(partnership, scrutineer):
    scrutiny = make_scrutiny(partnership)
    v1 = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    evidence = Evidence(scrutiny)
    evidence.submit(v1, {"Q1": "3"})
    evidence.submit(v1, {"Q1": "4"})
    evidence.submit(v1, {"Q1": "2"}, draft=True)
    # A new definition of an instrument with responses makes version 2.
    v2 = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1"), Q("Q2")])
    evidence.submit(v2, {"Q1": "1", "Q2": "1"})
    make_instrument(scrutiny, code="PS1", kind="practitioner_survey", questions=[Q("P1", "agree")])

    data = client_for(scrutineer).get(url("api-scrutiny-instruments", scrutiny.slug)).json()
    assert [(i["code"], i["kind"]) for i in data] == [
        ("A1", "file_audit"),
        ("PS1", "practitioner_survey"),
    ]
    assert [(v["number"], v["responses"]) for v in data[0]["versions"]] == [(1, 2), (2, 1)]
    assert [(v["number"], v["responses"]) for v in data[1]["versions"]] == [(1, 0)]
    assert data[0]["versions"][0]["created_at"]


def test_instrument_detail_current_and_older_version(partnership, scrutineer):
    scrutiny = make_scrutiny(partnership)
    v1 = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(v1, {"Q1": "3"})
    make_instrument(
        scrutiny,
        code="A1",
        kind="file_audit",
        questions=[Q("Q1", factors="SF1:2; SF2"), Q("Q2", "", factors="", type="text")],
    )
    client = client_for(scrutineer)

    current = client.get(url("api-scrutiny-instrument-detail", scrutiny.slug, "A1")).json()
    assert (current["code"], current["kind"], current["version"]) == ("A1", "file_audit", 2)
    assert current["title"] == "Instrument A1"
    [section] = current["sections"]
    assert section["title"] == "Evidence"
    q1, q2 = section["questions"]
    assert q1["code"] == "Q1" and q1["type"] == "single" and q1["is_scored"]
    assert q1["option_list"]["name"] == "grade"
    assert q1["option_list"]["options"][0] == {"value": "4", "label": "Outstanding", "points": 4.0}
    assert q1["option_list"]["options"][-1] == {
        "value": "na",
        "label": "Not applicable",
        "points": None,
    }
    assert q1["factors"] == [{"factor": "SF1", "weight": 2.0}, {"factor": "SF2", "weight": 1.0}]
    assert (q2["type"], q2["option_list"], q2["factors"], q2["is_scored"]) == (
        "text",
        None,
        [],
        False,
    )

    older = client.get(
        url("api-scrutiny-instrument-detail", scrutiny.slug, "A1"), {"version": 1}
    ).json()
    assert older["version"] == 1
    assert [q["code"] for q in older["sections"][0]["questions"]] == ["Q1"]
    assert older["sections"][0]["questions"][0]["factors"] == [{"factor": "SF1", "weight": 1.0}]

    missing = client.get(url("api-scrutiny-instrument-detail", scrutiny.slug, "A1"), {"version": 9})
    assert missing.status_code == 404
    assert client.get(url("api-scrutiny-instrument-detail", scrutiny.slug, "ZZ")).status_code == 404
    bad = client.get(url("api-scrutiny-instrument-detail", scrutiny.slug, "A1"), {"version": "x"})
    assert bad.status_code == 400


# Query counts stay flat -------------------------------------------------------------------------


def _count(django_assert_num_queries, client, path, expected=None, **params):
    """Run the request with nothing kept (scrutiny/kept.py), asserting `expected` queries when
    given; return how many it took."""
    from django.core.cache import caches

    caches["evidence"].clear()
    if expected is None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, params).status_code == 200
        return len(queries.captured_queries)
    with django_assert_num_queries(expected):
        assert client.get(path, params).status_code == 200
    return expected


@pytest.mark.parametrize(
    "name",
    [
        "api-scrutiny-list",
        "api-scrutiny-detail",
        "api-scrutiny-factors",
        "api-scrutiny-instruments",
        "api-scrutiny-instrument-detail",
        "api-scrutiny-scores",
    ],
)
def test_query_counts_do_not_grow(partnership, scrutineer, django_assert_num_queries, name):
    scrutiny = make_scrutiny(partnership, agencies=["POL"], areas=["NTH"])
    audit = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(audit, {"Q1": "3"}, agency="POL")
    client = client_for(scrutineer)
    args = {
        "api-scrutiny-list": (),
        "api-scrutiny-instrument-detail": (scrutiny.slug, "A1"),
    }.get(name, (scrutiny.slug,))
    path = url(name, *args)
    client.get(path)  # warm the session
    few = _count(django_assert_num_queries, client, path)

    # Much more of everything: scrutinies, factors, instruments, versions, questions, responses.
    for i in range(3):
        make_scrutiny(partnership, slug=f"other-{i}")
    make_scrutiny(
        partnership,
        factors=[(f"SF{i}", f"Factor {i}") for i in range(1, 8)],
        agencies=["POL", "EDU", "FHC"],
        areas=["NTH", "STH"],
    )
    evidence = Evidence(scrutiny)
    evidence.submit(audit, {"Q1": "4"}, agency="EDU", area="STH")
    audit_v2 = make_instrument(
        scrutiny,
        code="A1",
        kind="file_audit",
        questions=[Q(f"Q{i}", factors=f"SF{i % 7 + 1}") for i in range(1, 9)],
    )
    evidence.submit_many(audit_v2, [{"Q1": "3", "Q2": "2"}] * 30, agency="FHC", area="NTH")
    for code in ("B1", "F1", "PS1"):
        survey = make_instrument(
            scrutiny, code=code, kind="practitioner_survey", questions=[Q("P1", "agree")]
        )
        evidence.submit_many(survey, [{"P1": "4"}] * 20, agency="POL")
    _count(django_assert_num_queries, client, path, few)
