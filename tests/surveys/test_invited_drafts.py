"""An anonymous survey's invitation holds nothing of its answering (surveys.services.
invited_drafts): nothing written while its person answers names it, as someone reading the
tables would check (on PostgreSQL a row's `xmin` is the transaction that last wrote it)."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny.models import Response
from scrutiny.people_data import erase
from surveys.models import Invitation, OpenDraft, invited_draft_key
from surveys.rates import response_rates
from surveys.selectors import survey_counts
from surveys.services import answering, invitations
from surveys.services.invited_drafts import invitations_answered
from tests.surveys.conftest import COMPLETE, make_invitation

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _step(survey, step: str) -> str:
    return reverse("survey-invited-step", args=[survey.pk, step])


def _opened(token: str) -> Client:
    client = Client()
    assert client.get(reverse("survey-invitation", args=[token])).status_code == 302
    return client


def _writes(queries: CaptureQueriesContext) -> list[tuple[str, str]]:
    """(table, statement) of each write, the sessions' own table aside."""
    found = [(WRITE.match(q["sql"]), q["sql"]) for q in queries.captured_queries]
    return [(m.group(2), sql) for m, sql in found if m and m.group(2) != "django_session"]


def test_answering_an_anonymous_survey_by_invitation_writes_nothing_that_names_it(
    survey, council, social_worker
):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council, social_worker)
    client = _opened(token)
    with CaptureQueriesContext(connection) as reads:  # opening and reading write nothing
        assert client.get(reverse("survey-invited", args=[survey.pk])).status_code == 200
        assert client.get(_step(survey, "0")).status_code == 200
    assert _writes(reads) == []
    assert not OpenDraft.objects.exists()

    with CaptureQueriesContext(connection) as queries:
        later = client.post(
            _step(survey, "0"), {"0-Q1": "yes", "0-Q2": "A plan", "action": "later"}
        )
        assert later.status_code == 200
        assert client.post(_step(survey, "0"), {"0-Q1": "yes", "0-Q2": "A plan"}).status_code == 302
        assert client.post(_step(survey, "1"), {"1-Q6": "3"}).status_code == 302
        submitted = client.post(_step(survey, "check"), {"action": "submit"})
        assert submitted.url == reverse("survey-invited-thanks", args=[survey.pk])

    writes = _writes(queries)
    tables = {table for table, _ in writes}
    assert {"surveys_opendraft", "scrutiny_response", "scrutiny_answer"} <= tables
    assert Invitation._meta.db_table not in tables, writes
    for _, sql in writes:
        assert "ash@fernhill.invalid" not in sql and invitation.token_sha256 not in sql
    # No table written has a column that refers to an invitation.
    for model in django_apps.get_models():
        if model._meta.db_table in tables:
            assert not [f for f in model._meta.concrete_fields if f.related_model is Invitation]
    # The draft is found by a key that only the secret key makes from the invitation.
    (draft,) = OpenDraft.objects.all()
    assert (
        draft.by_invitation
        and draft.answered
        and draft.key_sha256 == invited_draft_key(invitation.pk)
    )
    assert draft.used_at is None and draft.agency_id is None and draft.role_id is None
    with override_settings(SECRET_KEY="another-secret-key-of-the-test-that-is-long-enough"):
        assert invited_draft_key(invitation.pk) != draft.key_sha256
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    kept = ("answered", "draft_values", "current_step", "draft_version_id", "response_id")
    assert [row[name] for name in kept] == [False, {}, "", None, None]
    assert row["used_at"] is None and row["started_at"] is None

    # The same link, in any browser, says it was answered; a second submit stores nothing.
    again = _opened_page(token)
    assert "already" in again.lower()
    twice = client.post(_step(survey, "check"), {"action": "submit"})
    assert twice.status_code == 200 and "already been submitted" in twice.text
    assert Response.objects.count() == 1
    assert invitations_answered([invitation]) == {invitation.pk}


def _opened_page(token: str) -> str:
    return Client().get(reverse("survey-invitation", args=[token])).text


def test_the_api_answers_an_anonymous_survey_into_the_keyed_draft(survey, council):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")
    with CaptureQueriesContext(connection) as queries:
        sent = Client().post(
            url, {"token": token, "answers": COMPLETE}, content_type="application/json"
        )
    assert sent.status_code == 201
    assert Invitation._meta.db_table not in {table for table, _ in _writes(queries)}
    again = Client().post(
        url, {"token": token, "answers": COMPLETE}, content_type="application/json"
    )
    assert again.status_code == 409
    assert invitations_answered([invitation]) == {invitation.pk}


def test_a_named_surveys_invitation_still_holds_its_response(board_survey, council):
    invitation, _ = make_invitation(board_survey, "board@fernhill.invalid", council)
    assert answering.invited_holder(invitation) == invitation
    answering.survey_save_page(holder=invitation, step="check", values=COMPLETE)
    response = answering.survey_submit(holder=invitation)
    invitation.refresh_from_db()
    assert invitation.answered and invitation.response == response
    assert not OpenDraft.objects.exists()
    assert invitations_answered([invitation]) == {invitation.pk}


def test_reminders_counts_and_rates_ask_the_keyed_drafts(survey, council, police, social_worker):
    week_ago = timezone.now() - dt.timedelta(days=8)
    answered, _ = make_invitation(survey, "ash@fernhill.invalid", council, social_worker)
    started, _ = make_invitation(survey, "bo@fernhill.invalid", police, social_worker)
    waiting, _ = make_invitation(survey, "cy@fernhill.invalid", police)
    Invitation.objects.update(sent_at=week_ago)
    answering.survey_save_page(holder=answered, step="check", values=COMPLETE)
    answering.survey_submit(holder=answered)
    answering.survey_save_page(holder=started, step="1", values={"Q1": "yes"})
    draft, _ = answering.open_draft_start(survey=survey, agency_id=council.pk, role_id=None)
    answering.survey_save_page(holder=draft, step="1", values={"Q1": "no"})

    # Never a reminder to someone who answered.
    assert invitations.reminders_due() == [started.pk, waiting.pk]
    assert invitations.reminders_send(invitation_ids=[answered.pk, started.pk]) == 1
    counted = survey_counts(survey=survey)
    assert (counted.invited, counted.invitations_started, counted.invitations_used) == (3, 2, 1)
    assert (counted.open_started, counted.open_used) == (1, 0)
    rates = response_rates(instrument=survey.instrument)
    # One submitted; two in progress: the invitation's keyed draft and the open link's.
    assert (rates.invited, rates.started, rates.submitted) == (3, 3, 1)


def test_erasing_an_invitee_takes_their_keyed_drafts_answers_and_keeps_it_started(
    survey, council, partnership, business_unit
):
    """As an invitation's own draft answers go on erasure and it stays (counted as started),
    so with an anonymous survey's keyed draft: the started count does not move."""
    mine, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    other, _ = make_invitation(survey, "bo@fernhill.invalid", council)
    answering.survey_save_page(holder=mine, step="1", values={"Q1": "yes"})
    answering.survey_save_page(holder=other, step="1", values={"Q1": "no"})
    started = survey_counts(survey=survey).invitations_started
    erase(partnership=partnership, email="ash@fernhill.invalid", user=business_unit)
    drafts = dict(OpenDraft.objects.values_list("key_sha256", "draft_values"))
    assert drafts == {invited_draft_key(mine.pk): {}, invited_draft_key(other.pk): {"Q1": "no"}}
    assert survey_counts(survey=survey).invitations_started == started == 2


def test_the_migration_moves_what_invitations_held_to_their_keyed_drafts(
    survey, board_survey, council, social_worker
):
    migration = import_module("surveys.migrations.0008_invited_drafts")
    answered, _ = make_invitation(survey, "ash@fernhill.invalid", council, social_worker)
    started, _ = make_invitation(survey, "bo@fernhill.invalid", council, social_worker)
    untouched, _ = make_invitation(survey, "cy@fernhill.invalid", council)
    named, _ = make_invitation(board_survey, "board@fernhill.invalid", council)
    version = answering.holder_compiled(started).version_id
    Invitation.objects.filter(pk=answered.pk).update(answered=True)
    Invitation.objects.filter(pk=started.pk).update(
        draft_values={"Q1": "yes"}, current_step="1", draft_version_id=version
    )
    Invitation.objects.filter(pk=named.pk).update(answered=True, used_at=timezone.now().date())

    migration.invited_drafts_move(django_apps, None)

    assert invitations_answered(Invitation.objects.select_related("survey")) == {
        answered.pk,
        named.pk,
    }
    held = answering.invited_holder(Invitation.objects.get(pk=started.pk))
    assert held.pk and held.draft_values == {"Q1": "yes"} and held.current_step == "1"
    assert (held.agency_id, held.role_id) == (council.pk, social_worker.pk)
    done = answering.invited_holder(Invitation.objects.get(pk=answered.pk))
    assert done.answered and done.agency_id is None and done.role_id is None
    assert answering.invited_holder(Invitation.objects.get(pk=untouched.pk)).pk is None
    for invitation in Invitation.objects.filter(survey=survey):
        assert not invitation.answered and invitation.draft_values == {}
        assert invitation.current_step == "" and invitation.draft_version_id is None
    assert Invitation.objects.get(pk=named.pk).answered  # a named survey's stays
    # Run again, it creates nothing twice.
    migration.invited_drafts_move(django_apps, None)
    assert OpenDraft.objects.count() == 2

    # Migrated back to 0007: the code before reads each state on the invitation again.
    migration.invited_drafts_return(django_apps, None)
    assert not OpenDraft.objects.exists()
    back = {i.pk: i for i in Invitation.objects.filter(survey=survey)}
    assert back[answered.pk].answered and not back[started.pk].answered
    assert back[started.pk].draft_values == {"Q1": "yes"}
    assert (back[started.pk].current_step, back[started.pk].draft_version_id) == ("1", version)
    assert not back[untouched.pk].answered and back[untouched.pk].draft_values == {}
    # ... and forward once more: the same keyed drafts again.
    migration.invited_drafts_move(django_apps, None)
    assert OpenDraft.objects.filter(by_invitation=True).count() == 2
    assert invitations_answered(Invitation.objects.select_related("survey")) == {
        answered.pk,
        named.pk,
    }
