"""Dates inside Welsh sentences name their month in Welsh (the accessibility and Welsh review
found "Cyhoeddwyd ar 7 December 2026"): Django's `date_format` in the active language, never
the server's `%B`. English sentences keep English months whatever the active language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from audits import assignments, concerns, stale
from audits.models import Assignment
from scrutiny.errors import ApplicationError
from scrutiny.models import Publication
from scrutiny.young_scrutineers import feedback_results, plain_summary_of
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import tool as tool
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import published as published
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

# Not today, so that a change shows its date as well as its time.
DECEMBER = timezone.make_aware(dt.datetime(2025, 12, 5, 10, 30))


@pytest.mark.usefixtures("eager_tasks", "media")
def test_the_young_scrutineers_dates_are_in_welsh(published: Publication, partnership):
    Publication.objects.filter(pk=published.pk).update(
        published_at=DECEMBER,
        plain_summary="Roedd y cynlluniau'n dda.",
        plain_summary_approved_at=DECEMBER,
    )
    published.refresh_from_db()
    with translation.override("cy"):
        assert plain_summary_of(published).approved_on == "5 Rhagfyr 2025"
        assert [row.published_on for row in feedback_results(partnership=partnership)] == [
            "5 Rhagfyr 2025"
        ]
    with translation.override("en"):
        assert plain_summary_of(published).approved_on == "5 December 2025"


def test_a_stale_audit_says_when_in_welsh():
    with translation.override("cy"):
        said = stale.changed_when(DECEMBER)
    assert "5 Rhagfyr 2025" in said and "December" not in said
    assert said.startswith("Cafodd yr archwiliad hwn ei newid")
    with translation.override("en"):
        assert stale.changed_when(DECEMBER) == (
            "This audit was changed in another tab or by someone else at 10:30 on 5 December 2025."
        )


def test_an_acknowledged_concern_says_when_in_welsh(council_audit, auditor_council, scrutineer):
    raised = concerns.concern_raise(
        assignment=council_audit, concern="Pryder am y plentyn.", user=auditor_council
    )
    concern = concerns.concern_acknowledge(concern=raised.concern, user=scrutineer)
    type(concern).objects.filter(pk=concern.pk).update(acknowledged_at=DECEMBER)
    with translation.override("cy"), pytest.raises(ApplicationError) as refused:
        concerns.concern_acknowledge(concern=concern, user=scrutineer)
    assert "5 Rhagfyr 2025" in refused.value.message
    assert "already" not in refused.value.message


def test_the_english_email_keeps_an_english_month_under_welsh(council_audit):
    Assignment.objects.filter(pk=council_audit.pk).update(due=DECEMBER.date())
    council_audit.refresh_from_db()
    with translation.override("cy"):
        said = assignments._first_due([council_audit])
    assert said == ", the first due by 5 December 2025"
