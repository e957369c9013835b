"""The surveys API: whole responses from other front ends, response rates and distributions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny.models import Response
from scrutiny.scoring import scrutiny_scores
from surveys.models import Invitation, OpenDraft
from surveys.services.invited_drafts import invitations_answered
from tests.surveys.conftest import COMPLETE, SLUG, make_invitation

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _open_url(survey) -> str:
    return reverse("api-survey-open-submit", args=[survey.public_key])


def test_open_link_response_is_stored_anonymously_and_scored(survey, police, social_worker):
    answer = _api().post(
        _open_url(survey),
        {"agency": "POL", "role": "SW", "answers": COMPLETE},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "submitted" and "id" not in answer.json()
    response = Response.objects.get()
    assert (response.channel, response.agency, response.role) == ("api", police, social_worker)
    assert response.created_by is None and response.submitted_at.hour == 0
    assert not OpenDraft.objects.filter(response__isnull=False).exists()
    sf1 = next(f for f in scrutiny_scores(scrutiny=survey.scrutiny).factors if f.code == "SF1")
    assert sf1.n == 1 and sf1.score == pytest.approx(2 / 3)  # "3" on the 1-4 grade


def test_bad_input_is_explained_and_stores_nothing(survey, police):
    client = _api()
    wrong_agency = client.post(
        _open_url(survey), {"agency": "NOPE", "answers": COMPLETE}, format="json"
    )
    assert wrong_agency.status_code == 400
    assert "Unknown agency 'NOPE': use one of" in wrong_agency.json()["detail"]
    missing = client.post(
        _open_url(survey), {"agency": "POL", "answers": {"Q1": "yes"}}, format="json"
    )
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"Q2", "Q6"}
    no_answers = client.post(_open_url(survey), {"agency": "POL"}, format="json")
    assert no_answers.status_code == 400 and "answers" in no_answers.json()
    assert not Response.objects.exists() and not OpenDraft.objects.exists()
    assert client.post("/api/surveys/open/no-such-key/responses/", {}).status_code == 404


def test_a_closed_survey_refuses_api_answers(survey, police):
    from django.utils import timezone

    survey.closes_at = timezone.now()
    survey.save()
    refused = _api().post(_open_url(survey), {"agency": "POL", "answers": COMPLETE}, format="json")
    assert refused.status_code == 400 and "closed" in refused.json()["detail"]
    assert not Response.objects.exists()


def test_invitation_answers_once(board_survey, council):
    invitation, token = make_invitation(board_survey, "kit@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")
    first = _api().post(url, {"token": token, "answers": COMPLETE}, format="json")
    assert first.status_code == 201
    response = Response.objects.get()
    assert first.json()["id"] == response.pk  # a board questionnaire is not anonymous
    invitation.refresh_from_db()
    assert invitation.response == response and invitation.used_at is not None
    again = _api().post(url, {"token": token, "answers": COMPLETE}, format="json")
    assert again.status_code == 409 and "already been submitted" in again.json()["detail"]
    assert Response.objects.count() == 1
    nope = {"token": "nope", "answers": COMPLETE}
    assert _api().post(url, nope, format="json").status_code == 404
    # The token is never in the address, which access logs keep.
    assert token not in url and url == "/api/surveys/invitations/response/"


def test_response_rates_for_those_who_run_surveys_only(survey, council, scrutineer, board_member):
    make_invitation(survey, "a@fernhill.invalid", council)
    url = reverse("api-survey-response-rates", args=[SLUG, "PS"])
    rates = _api(scrutineer).get(url)
    assert rates.status_code == 200
    assert rates.json() == {
        "instrument": "PS",
        "invited": 1,
        "started": 0,
        "submitted": 0,
        "agencies": {"FHC": {"invited": 1, "submitted": 0, "rate": 0.0}},
        "roles": {},
    }
    assert _api(board_member).get(url).status_code == 404
    assert _api().get(url).status_code in (401, 403)


def test_distributions_for_readers_of_the_scrutiny(survey, council, board_member, auditor_police):
    _, token = make_invitation(survey, "a@fernhill.invalid", council)
    _api().post(
        reverse("api-survey-invitation-submit"),
        {"token": token, "answers": COMPLETE},
        format="json",
    )
    url = reverse("api-instrument-distributions", args=[SLUG, "PS"])
    rows = _api(board_member).get(url)
    assert rows.status_code == 200
    q6 = next(row for row in rows.json() if row["code"] == "Q6")
    assert q6["answered"] == 1
    # One response of fewer than 20: its count of 1 is suppressed (SCORING.md §9). Q6 is the
    # survey's only question on SF1, so the source's score for SF1 is its own (66.7, n 1), and
    # beside it every count reads "fewer than 5", the zeros too (scrutiny.disclosure).
    options = {o["value"]: (o["count"], o["suppressed"]) for o in q6["options"]}
    assert options["3"] == (None, True)
    assert all(hidden for _, hidden in options.values())
    assert _api(auditor_police).get(url).status_code == 404
    assert invitations_answered([Invitation.objects.get()]) == {Invitation.objects.get().pk}


def test_the_schema_describes_the_survey_operations(scrutineer):
    schema = _api(scrutineer).get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    assert "post" in paths["/api/surveys/open/{public_key}/responses/"]
    assert "409" in paths["/api/surveys/invitations/response/"]["post"]["responses"]
    assert "get" in paths["/api/scrutinies/{slug}/instruments/{code}/response-rates/"]
    assert "get" in paths["/api/scrutinies/{slug}/instruments/{code}/distributions/"]


def test_a_retried_open_link_request_stores_one_response(survey, police, board_survey):
    client = _api()
    body = {"agency": "POL", "answers": COMPLETE}
    key = {"HTTP_IDEMPOTENCY_KEY": "6f1c2a9e-0d4b-4e57-9a51-3b8f0c7d2e10"}
    first = client.post(_open_url(survey), body, format="json", **key)
    again = client.post(_open_url(survey), body, format="json", **key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Response.objects.count() == 1
    # Without a key, or with another, each request is a response of its own.
    assert client.post(_open_url(survey), body, format="json").status_code == 201
    other = {"HTTP_IDEMPOTENCY_KEY": "another"}
    assert client.post(_open_url(survey), body, format="json", **other).status_code == 201
    assert Response.objects.count() == 3


def test_a_refused_request_can_be_retried_with_its_key(survey, police):
    client = _api()
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    refused = client.post(
        _open_url(survey), {"agency": "POL", "answers": {"Q1": "yes"}}, format="json", **key
    )
    assert refused.status_code == 400 and not Response.objects.exists()
    fixed = client.post(
        _open_url(survey), {"agency": "POL", "answers": COMPLETE}, format="json", **key
    )
    assert fixed.status_code == 201 and Response.objects.count() == 1
    too_long = {"HTTP_IDEMPOTENCY_KEY": "k" * 201}
    answer = client.post(
        _open_url(survey), {"agency": "POL", "answers": COMPLETE}, format="json", **too_long
    )
    assert answer.status_code == 400
    assert "longer than 200 characters" in answer.json()["detail"]
    assert Response.objects.count() == 1


def test_open_link_submits_are_throttled_by_address(survey, police, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"survey-open-submit": "2/minute"})
    client = _api()
    body = {"agency": "POL", "answers": COMPLETE}
    codes = [client.post(_open_url(survey), body, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Response.objects.count() == 2
    cache.clear()


def _submits(survey, monkeypatch, *forwarded_for: str, remote: str = "192.0.2.10") -> list[int]:
    """The answers to open-link submits, one for each X-Forwarded-For given, at 2 a minute."""
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"survey-open-submit": "2/minute"})
    body = {"agency": "POL", "answers": COMPLETE}
    return [
        _api()
        .post(
            _open_url(survey),
            body,
            format="json",
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=header,
        )
        .status_code
        for header in forwarded_for
    ]


def test_with_no_proxy_a_forged_x_forwarded_for_does_not_escape_the_throttle(
    settings, survey, police, monkeypatch
):
    """By default (NUM_PROXIES 0) the connection's address counts, whatever the header says."""
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    forged = [f"198.51.100.{i}" for i in range(5)]
    assert _submits(survey, monkeypatch, *forged) == [201, 201, 429, 429, 429]
    assert Response.objects.count() == 2
    # Another connection has a count of its own.
    assert _submits(survey, monkeypatch, "198.51.100.9", remote="192.0.2.11") == [201]


def test_behind_one_proxy_the_address_it_added_counts(settings, survey, police, monkeypatch):
    """NUM_PROXIES 1: the last address of X-Forwarded-For, the one the proxy added; what the
    client wrote before it changes nothing."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    forged = [f"198.51.100.{i}, 203.0.113.7" for i in range(4)]
    assert _submits(survey, monkeypatch, *forged) == [201, 201, 429, 429]
    assert _submits(survey, monkeypatch, "198.51.100.1, 203.0.113.8") == [201]
    assert Response.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_the_same_moment_stores_one_response(survey, police):
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers anyway; this runs on PostgreSQL")
    codes: list[int] = []

    def submit() -> None:
        try:
            answer = _api().post(
                _open_url(survey),
                {"agency": "POL", "answers": COMPLETE},
                format="json",
                HTTP_IDEMPOTENCY_KEY="same-moment",
            )
            codes.append(answer.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 200, 200, 201]
    assert Response.objects.count() == 1
