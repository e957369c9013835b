"""The overdue action's email says in words what the action is and where it comes from: its
scrutiny and its success factor's statement, not a code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from scrutiny import findings
from scrutiny import plan as actions
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db


def test_the_overdue_email_names_the_scrutiny_and_the_factor_in_words(
    scrutiny, scrutineer, business_unit, mailoutbox
):
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding, strengths="Briefings land.", improvements="", user=scrutineer
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    overdue, _ = actions.actions_draft(scrutiny=scrutiny)
    overdue.timescale = timezone.localdate() - dt.timedelta(days=1)
    overdue.lead_email = "sam.lead@fernhill.invalid"
    overdue.save()
    assert actions.actions_flag(now=timezone.now()) == 1
    (message,) = mailoutbox
    assert "Scrutiny: Learning from Practice 2026\n" in message.body
    assert "Success factor: Plans are good.\n" in message.body
    assert "Action: Agree at the scrutiny event what would make “Plans are good.” true" in (
        message.body
    )
    assert "Limited evidence, 46.8 from 15 responses" in message.body
    assert "SF1 (" not in message.body and "for SF1" not in message.body
