"""Answering through the services: anonymity, submit once, and scoring like an import."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, ResponseWriter, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Response
from scrutiny.scoring import scrutiny_scores
from surveys.models import Invitation, OpenDraft
from surveys.services import answering as services
from surveys.services.invited_drafts import invitations_answered
from tests.surveys.conftest import COMPLETE, make_invitation

pytestmark = pytest.mark.django_db


def _midnight(moment: dt.datetime) -> bool:
    moment = moment.astimezone(dt.UTC)
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def test_anonymous_invitation_keeps_no_link_and_no_day(survey, council, social_worker):
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council, social_worker)
    services.survey_save_page(holder=invitation, step="1", values={"Q1": "yes", "Q2": "Plan"})
    invitation.refresh_from_db()
    # The draft is kept apart from the invitation, under a key only the secret key makes.
    assert invitation.draft_values == {} and invitation.current_step == ""
    held = services.invited_holder(invitation)
    assert isinstance(held, OpenDraft) and held.by_invitation
    assert held.draft_values == {"Q1": "yes", "Q2": "Plan"} and held.current_step == "1"
    # No started day: beside the agency and role it would match the response's day.
    assert invitation.started_at is None
    assert held.started_at == survey.opens_at.astimezone(dt.UTC).date()
    # A draft is never a Response: nothing reachable from the invitation is the response.
    assert not Response.objects.exists()
    services.survey_save_page(holder=invitation, step="check", values=COMPLETE)

    response = services.survey_submit(holder=invitation)

    response.refresh_from_db()
    invitation.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.channel == Response.Channel.SURVEY
    assert (response.agency, response.role) == (council, social_worker)
    assert response.created_by is None and response.ref == "" and response.case_ref == ""
    for moment in (response.submitted_at, response.created_at, response.updated_at):
        assert _midnight(moment)
        assert moment.date() == services.today()
    # The invitation holds nothing of it; its keyed draft knows it was answered: not which
    # response, nor the day, agency or role, and the answers it held are gone.
    assert not invitation.answered and invitation.used_at is None and invitation.started_at is None
    assert invitation.draft_values == {} and invitation.draft_version is None
    assert invitation.response is None
    assert invitations_answered([invitation]) == {invitation.pk}
    held = services.invited_holder(invitation)
    assert held.answered and held.used_at is None and held.response is None
    assert held.draft_values == {} and held.agency is None and held.role is None
    assert not Invitation.objects.filter(response=response).exists()
    # The response and its answers have random identifiers, not the next in a sequence.
    assert response.pk >= 2**40
    assert all(answer_id >= 2**40 for answer_id in response.answers.values_list("pk", flat=True))
    # Nothing on the response names the token, the person or an address.
    stored = {f.attname: getattr(response, f.attname) for f in Response._meta.concrete_fields}
    assert invitation.token_sha256 not in map(str, stored.values())
    assert "ash@fernhill.invalid" not in map(str, stored.values())


def test_anonymous_open_link_response_is_cut_from_the_resume_key(survey, police, teacher):
    draft, key = services.open_draft_start(survey=survey, agency_id=police.pk, role_id=teacher.pk)
    services.survey_save_page(holder=draft, step="check", values=COMPLETE)
    response = services.survey_submit(holder=draft)
    draft = services.open_draft_for_key(survey, key)
    assert draft is not None and draft.answered and draft.used_at == services.today()
    assert draft.draft_values == {} and draft.response is None
    # The open draft forgets the agency and role: with its day it points to no response.
    assert draft.agency is None and draft.role is None
    assert (response.agency, response.role) == (police, teacher)
    assert _midnight(response.submitted_at)


def test_board_questionnaire_keeps_the_response_with_the_invitation(board_survey, council):
    invitation, _ = make_invitation(board_survey, "board@fernhill.invalid", council)
    services.survey_save_page(holder=invitation, step="check", values=COMPLETE)
    response = services.survey_submit(holder=invitation)
    invitation.refresh_from_db()
    assert invitation.response == response and invitation.used_at == services.today()
    assert invitation.answered and response.pk < 2**40  # named: the sequence's own id
    assert response.submitted_at is not None and not board_survey.anonymous


def test_submit_twice_is_refused_and_nothing_is_duplicated(survey, council):
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    services.survey_save_page(holder=invitation, step="check", values=COMPLETE)
    stale = Invitation.objects.get(pk=invitation.pk)  # a second tab, read before the submit
    services.survey_submit(holder=invitation)
    with pytest.raises(services.AlreadySubmitted, match="already been submitted"):
        services.survey_submit(holder=stale)
    with pytest.raises(services.AlreadySubmitted):
        services.survey_save_page(holder=stale, step="0", values={"Q1": "no"})
    assert Response.objects.filter(scrutiny=survey.scrutiny).count() == 1
    assert Response.objects.get().status == Response.Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_store_one_response(survey, council):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers anyway; this runs on PostgreSQL")
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    services.survey_save_page(holder=invitation, step="check", values=COMPLETE)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            services.survey_submit(holder=Invitation.objects.get(pk=invitation.pk))
            outcomes.append("ok")
        except services.AlreadySubmitted:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 1


def test_a_closed_survey_takes_no_answers(survey, council):
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    survey.save()
    with pytest.raises(ApplicationError, match="closed"):
        services.survey_save_page(holder=invitation, step="1", values={"Q1": "no"})
    assert not Response.objects.exists()


def test_missing_answers_are_refused_on_submit(survey, council):
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    services.survey_save_page(holder=invitation, step="check", values={"Q1": "yes"})
    with pytest.raises(ApplicationError) as caught:
        services.survey_submit(holder=invitation)
    assert set(caught.value.extra["errors"]) == {"Q2", "Q6"}
    held = services.invited_holder(invitation)
    assert not held.answered and held.draft_values == {"Q1": "yes"}
    assert invitations_answered([invitation]) == set()


def test_open_link_agency_must_be_the_partnerships(survey, council):
    with pytest.raises(ApplicationError, match="agency"):
        services.open_draft_start(survey=survey, agency_id=council.pk + 999, role_id=None)
    assert not OpenDraft.objects.exists()


def test_evidence_anonymous_submit_keeps_only_the_day(survey_tool, business_unit):
    compiled = version_compile(instrument_current_version(survey_tool))
    response = response_submit(
        compiled=compiled,
        values=COMPLETE,
        channel=Response.Channel.SURVEY,
        user=business_unit,
        anonymous=True,
    )
    response.refresh_from_db()
    assert response.created_by is None
    assert all(
        _midnight(m) for m in (response.submitted_at, response.created_at, response.updated_at)
    )


def test_a_web_response_scores_like_an_imported_one(survey, survey_tool, council):
    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    services.survey_save_page(holder=invitation, step="check", values=COMPLETE)
    services.survey_submit(holder=invitation)
    web = scrutiny_scores(scrutiny=survey.scrutiny).factor("SF1")
    assert web.n == 1 and web.score is not None

    compiled = version_compile(instrument_current_version(survey_tool))
    writer = ResponseWriter(compiled=compiled, channel=Response.Channel.WORKBOOK)
    assert writer.add(values=COMPLETE, details=ResponseDetails(agency_id=council.pk)) == {}
    writer.flush()

    both = scrutiny_scores(scrutiny=survey.scrutiny).factor("SF1")
    assert both.n == 2
    assert both.score == web.score  # the same answer scores the same, whatever the channel
    source = both.sources[survey_tool.kind]
    assert source.n == 2 and source.score == web.score
    assert both.agencies[council.code].n == 2
