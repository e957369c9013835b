"""A scrutiny's surveys, their invitations and reminders through the API
(surveys/apis_manage.py): for those who run the surveys, a 404 for anyone else; never a token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scrutiny.models import Job, Partnership, User
from surveys.apis_manage import PROGRESS
from surveys.models import Invitation
from surveys.services import answering
from tests.factories import UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.surveys.conftest import SLUG, make_invitation, make_survey

pytestmark = pytest.mark.django_db
GOOD = b"email,agency\nash@fernhill.invalid,FHC\nbo@fernhill.invalid,POL\n"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def stranger(db):
    other = Partnership.objects.create(name="Elsewhere Safeguarding Children Partnership")
    return UserFactory(partnership=other, email="pat@elsewhere.invalid", role=User.Role.SCRUTINEER)


def test_surveys_are_listed_and_read_with_their_counts(
    survey, board_survey, business_unit, council
):
    make_invitation(survey, "ash@fernhill.invalid", council)
    client = _api(business_unit)
    listed = client.get(reverse("api-survey-list", args=[SLUG])).json()
    assert {s["title"] for s in listed} == {survey.title, board_survey.title}
    one = client.get(reverse("api-survey-detail", args=[SLUG, survey.pk])).json()
    assert (one["instrument"], one["state"], one["invited"], one["invitations_used"]) == (
        "PS",
        "open",
        1,
        0,
    )
    assert one["open_link"].endswith(f"/s/{survey.public_key}/")


def test_the_survey_list_takes_the_same_queries_however_many(survey_tool, business_unit):
    client = _api(business_unit)
    url = reverse("api-survey-list", args=[SLUG])
    make_survey(survey_tool)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        make_survey(survey_tool, title=f"Wave {i}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 11
    assert len(many) == len(few)


def test_invitations_are_listed_without_their_links(survey, scrutineer, council, police):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    make_invitation(survey, "bo@fernhill.invalid", police)
    url = reverse("api-survey-invitations", args=[SLUG, survey.pk])
    with CaptureQueriesContext(connection) as queries:
        body = _api(scrutineer).get(url).json()
    # An anonymous survey: whom the emails went to, not who has answered (the counts say).
    assert [(i["email"], i["agency"], i["role"], i["answered"]) for i in body] == [
        ("ash@fernhill.invalid", "FHC", None, None),
        ("bo@fernhill.invalid", "POL", None, None),
    ]
    assert token not in str(body) and invitation.token_sha256 not in str(body)
    assert "/i/" not in str(body)
    for i in range(10):
        make_invitation(survey, f"p{i}@fernhill.invalid", council)
    with CaptureQueriesContext(connection) as more:
        assert len(_api(scrutineer).get(url).json()) == 12
    assert len(more) == len(queries)


def test_looking_twice_shows_the_business_unit_no_one_answering_an_anonymous_survey(
    survey, business_unit, council, social_worker
):
    """The attack: list the invitations and the responses, let one person submit, list both
    again. Were each person's "answered" shown, the one new email and the one new response
    would be the same person. The list is the same before and after; the counts move."""
    client = _api(business_unit)
    people = [
        make_invitation(survey, f"p{i}@fernhill.invalid", council, social_worker)[0]
        for i in range(3)
    ]
    invitations = reverse("api-survey-invitations", args=[SLUG, survey.pk])
    detail = reverse("api-survey-detail", args=[SLUG, survey.pk])
    before = client.get(invitations).json()
    for number, invitation in enumerate(people, start=1):
        answering.survey_submit(
            holder=invitation, values={"Q1": "yes", "Q2": f"words {number}", "Q6": "3"}
        )
        assert client.get(invitations).json() == before
        assert client.get(detail).json()["invitations_used"] == number
    assert all(row[field] is None for row in before for field in PROGRESS)


def test_a_named_surveys_invitations_show_who_has_answered(board_survey, scrutineer, council):
    invitation, _ = make_invitation(board_survey, "ash@fernhill.invalid", council)
    Invitation.objects.filter(pk=invitation.pk).update(answered=True, reminders_sent=1)
    url = reverse("api-survey-invitations", args=[SLUG, board_survey.pk])
    (row,) = _api(scrutineer).get(url).json()
    assert (row["answered"], row["reminders_sent"]) == (True, 1)


def test_an_invitation_list_is_uploaded_as_a_job(
    survey,
    business_unit,
    council,
    police,
    eager_tasks,
    settings,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"
    url = reverse("api-survey-invitations", args=[SLUG, survey.pk])
    client = _api(business_unit)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"file": SimpleUploadedFile("list.csv", GOOD, "text/csv")})
    assert started.status_code == 202
    job = client.get(started.json()["url"]).json()
    assert (job["status"], job["result"]["created"]) == ("done", 2)
    assert Invitation.objects.filter(survey=survey).count() == 2
    refused = client.post(url, {"file": SimpleUploadedFile("list.pdf", b"%PDF", "application/pdf")})
    assert refused.status_code == 400 and ".csv" in str(refused.json()["file"])
    assert Job.objects.count() == 1


def test_reminders_go_to_those_owed_one(
    survey, business_unit, council, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    survey.closes_at = timezone.now() + dt.timedelta(days=60)
    survey.save()
    owed, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    Invitation.objects.filter(pk=owed.pk).update(sent_at=timezone.now() - dt.timedelta(days=8))
    make_invitation(survey, "bo@fernhill.invalid", council)  # sent just now: not yet
    answered, _ = make_invitation(survey, "cy@fernhill.invalid", council)
    Invitation.objects.filter(pk=answered.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=8), answered=True
    )
    url = reverse("api-survey-reminders", args=[SLUG, survey.pk])
    with django_capture_on_commit_callbacks(execute=True):
        sent = _api(business_unit).post(url)
    assert sent.status_code == 202 and sent.json() == {"due": 1}
    assert [m.to for m in mailoutbox] == [["ash@fernhill.invalid"]]
    with django_capture_on_commit_callbacks(execute=True):
        again = _api(business_unit).post(url)
    assert again.json() == {"due": 0} and len(mailoutbox) == 1


@pytest.mark.parametrize("persona", ["board_member", "auditor_council", "stranger"])
def test_no_one_else_sees_surveys_or_invitations(survey, persona, request, council):
    make_invitation(survey, "ash@fernhill.invalid", council)
    client = _api(request.getfixturevalue(persona))
    for name, args in (
        ("api-survey-list", [SLUG]),
        ("api-survey-detail", [SLUG, survey.pk]),
        ("api-survey-invitations", [SLUG, survey.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    upload = SimpleUploadedFile("list.csv", GOOD, "text/csv")
    invitations = reverse("api-survey-invitations", args=[SLUG, survey.pk])
    assert client.post(invitations, {"file": upload}).status_code == 404
    assert client.post(reverse("api-survey-reminders", args=[SLUG, survey.pk])).status_code == 404
    assert not Job.objects.exists() and Invitation.objects.count() == 1
