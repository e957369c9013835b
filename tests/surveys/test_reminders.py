"""Reminders: on each survey's own schedule, with the same link as the first email, never to
someone who has submitted, and never twice for one turn (a retried task sends nothing more)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Invitation
from tests.conftest import client_for
from tests.surveys.conftest import COMPLETE, SLUG
from tests.surveys.test_invitations import GOOD, _link_token

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("council", "police", "social_worker", "eager_tasks"),
]

DAY = dt.timedelta(days=1)


@pytest.fixture
def invited(survey, mailoutbox, django_capture_on_commit_callbacks):
    """ash and bo invited, their first emails sent; the survey reminds every 7 days, twice."""
    survey.closes_at = timezone.now() + 60 * DAY
    survey.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(survey=survey, content=GOOD, file_name="list.csv")
    assert len(mailoutbox) == 2
    return {m.to[0]: _link_token(m.body) for m in mailoutbox}


def _sent_at(email: str) -> dt.datetime:
    return Invitation.objects.get(email=email).sent_at


def test_reminders_follow_the_schedule_up_to_the_limit(survey, invited, mailoutbox):
    first = _sent_at("ash@fernhill.invalid")
    ids = list(Invitation.objects.order_by("pk").values_list("pk", flat=True))
    assert (survey.reminder_days, survey.reminder_limit) == (7, 2)

    assert services.reminders_due(now=first + 7 * DAY - dt.timedelta(minutes=5)) == []
    week = first + 7 * DAY + dt.timedelta(minutes=5)
    assert services.reminders_due(now=week) == ids
    assert services.reminders_send(invitation_ids=ids, now=week) == 2
    reminders = mailoutbox[2:]
    assert sorted(m.to[0] for m in reminders) == ["ash@fernhill.invalid", "bo@fernhill.invalid"]
    for message in reminders:
        assert message.subject.startswith("Reminder: please answer")
        assert "A reminder" in message.body
        # The same link as the first email: it still opens the same invitation.
        assert _link_token(message.body) == invited[message.to[0]]

    # A retried task, or beat an hour later, sends nothing more this week.
    assert services.reminders_send(invitation_ids=ids, now=week) == 0
    assert services.reminders_due(now=week + dt.timedelta(hours=1)) == []
    # The second reminder a week later; then the limit of two is reached.
    fortnight = first + 14 * DAY + dt.timedelta(minutes=5)
    assert services.reminders_send(invitation_ids=ids, now=fortnight) == 2
    assert services.reminders_due(now=first + 40 * DAY) == []
    assert set(Invitation.objects.values_list("reminders_sent", flat=True)) == {2}
    assert len(mailoutbox) == 6


def test_no_reminder_to_someone_who_has_submitted(survey, invited, mailoutbox):
    ash = services.invitation_for_token(invited["ash@fernhill.invalid"])
    ids = list(Invitation.objects.order_by("pk").values_list("pk", flat=True))
    week = _sent_at("ash@fernhill.invalid") + 8 * DAY
    due = services.reminders_due(now=week)
    assert ash.pk in due
    # ash submits between the beat finding them due and the reminder going out.
    services.survey_save_page(holder=ash, step="check", values=COMPLETE)
    services.survey_submit(holder=ash)
    assert services.reminders_send(invitation_ids=due, now=week) == 1
    assert [m.to[0] for m in mailoutbox[2:]] == ["bo@fernhill.invalid"]
    assert ash.pk not in services.reminders_due(now=week + 8 * DAY)
    assert services.reminders_due(now=week + 8 * DAY) == [i for i in ids if i != ash.pk]


def test_no_reminders_when_the_survey_has_none_or_has_closed(survey, invited, mailoutbox):
    week = _sent_at("ash@fernhill.invalid") + 8 * DAY
    survey.reminder_days = None
    survey.save()
    assert services.reminders_due(now=week) == []
    survey.reminder_days = 7
    survey.closes_at = week - DAY
    survey.save()
    assert services.reminders_due(now=week) == []
    ids = list(Invitation.objects.values_list("pk", flat=True))
    assert services.reminders_send(invitation_ids=ids, now=week) == 0
    assert len(mailoutbox) == 2


def test_beat_runs_the_reminder_task_every_hour(survey, invited, mailoutbox):
    schedule = settings.CELERY_BEAT_SCHEDULE["survey-reminders"]
    assert schedule["task"] == tasks.reminders_schedule.name
    assert schedule["schedule"] == 3600.0
    assert tasks.reminders_schedule() == 0  # nobody is owed one yet
    Invitation.objects.update(sent_at=timezone.now() - 8 * DAY)
    assert tasks.reminders_schedule.delay().get() == 2
    assert len(mailoutbox) == 4


def test_the_survey_form_sets_the_schedule_and_explains_bad_values(survey_tool, business_unit):
    client = client_for(business_unit)
    url = reverse("survey-new", args=[SLUG])
    fields = {
        "instrument": survey_tool.pk,
        "title": "Practitioners 2025",
        "opens_at": "2025-03-01T09:00",
        "reminder_days": "0",
        "reminder_limit": "3",
    }
    page = client.post(url, fields)
    assert page.status_code == 200 and "Remind every 1 to 90 days." in page.text
    fields["reminder_days"] = "5"
    assert client.post(url, fields).status_code == 302
    made = survey_tool.surveys.get(title="Practitioners 2025")
    assert (made.reminder_days, made.reminder_limit) == (5, 3)
    fields.update(title="No reminders", reminder_days="")
    client.post(url, fields)
    assert survey_tool.surveys.get(title="No reminders").reminder_days is None
