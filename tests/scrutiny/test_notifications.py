"""Emails (scrutiny.notifications): the plan's overdue flag is retried like every other email
when the mail server drops the connection, and sends nothing twice."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from scrutiny import notifications
from scrutiny import plan as actions
from scrutiny.notifications import site_link
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db


def test_site_link_is_absolute(settings):
    settings.SITE_URL = "https://scrutiny.fernhill.invalid"
    assert site_link("plan-action", 7) == "https://scrutiny.fernhill.invalid/plan/actions/7/"


def test_a_dropped_mail_connection_is_retried_and_the_flag_sent_once(
    monkeypatch, signed, business_unit
):
    send_mail, dropped = notifications.send_mail, []

    def drops_the_first_connection(**email):
        if not dropped:
            dropped.append(email["subject"])
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send_mail(**email)

    monkeypatch.setattr(notifications, "send_mail", drops_the_first_connection)
    overdue, _ = actions.actions_draft(scrutiny=signed)
    overdue.timescale = timezone.localdate() - dt.timedelta(days=1)
    overdue.lead_email = "sam.lead@fernhill.invalid"
    overdue.save()
    assert [f.action_id for f in actions.actions_to_flag(now=timezone.now())] == [overdue.pk]
    from scrutiny.tasks import actions_flag_overdue

    # As a worker runs it: the failed try is retried (at once, when run in-process), and the
    # action the failed email was about is emailed on the retry, not left marked and unsent.
    actions_flag_overdue.apply(throw=False)
    assert len(dropped) == 1
    assert [sorted(m.to) for m in mail.outbox] == [
        sorted(["sam.lead@fernhill.invalid", business_unit.email])
    ]
    overdue.refresh_from_db()
    assert overdue.flagged_at is not None
    # Sent already: a second delivery of the same task sends nothing more.
    actions_flag_overdue.apply(throw=False)
    assert len(mail.outbox) == 1
