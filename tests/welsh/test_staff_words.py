"""Staff pages' words that were not marked for translation (the accessibility and Welsh review):
the moderation sheet's statuses and "Not submitted yet" / "Not answered", a signed-off factor's
"None written", and the survey form's required-field messages. English stays as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from audits.models import Assignment
from audits.moderation_sheet import moderation_sheet
from scrutiny import findings
from surveys.forms import SurveyForm
from tests.audits.conftest_moderation import answers
from tests.audits.conftest_moderation import audits as audits
from tests.conftest import client_for
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.welsh.conftest import welsh

pytestmark = pytest.mark.django_db


def test_the_moderation_sheet_speaks_welsh(audits, council, police):
    case = audits.case("C-0001")
    audits.submit(audits.assign(case, council), answers(q6="4"))
    audits.draft(audits.assign(case, police), answers(q6="1"))
    audits.assign(case, council, role=Assignment.Role.SECOND)
    with translation.override("cy"):
        sheet = moderation_sheet(case=case)
        q6 = next(q for q in sheet.questions if q.code == "Q6")
        assert sheet.outstanding == [
            "Fernhill Council (FHC), ail archwilydd annibynnol",
            "Fernhill Police (POL)",
        ]
        assert [a.display for a in q6.answers][1:] == ["Heb ei gyflwyno eto"] * 2
        assert q6.agreed_display == "Heb ei ateb"
        assert [c.status_words for c in sheet.contributions] == [
            "Cyflwynwyd",
            "Heb ddechrau",
            "Drafft",
        ]
    with translation.override("en"):
        assert moderation_sheet(case=case).questions[0].agreed_display == "Not answered"


def test_a_signed_off_factor_with_nothing_written_says_so_in_welsh(scrutiny, scrutineer):
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding,
            strengths="Mae'r sesiynau briffio'n glanio.",
            improvements="",
            user=scrutineer,
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    url = reverse("workspace-factor", args=[scrutiny.slug, "SF1"])
    page = welsh(client_for(scrutineer)).get(url).content.decode()
    assert page.count("<li>Dim wedi'i ysgrifennu</li>") == 1  # no area for improvement
    assert "None written" not in page


def test_the_survey_forms_required_messages_are_in_welsh(scrutiny):
    with translation.override("cy"):
        form = SurveyForm({}, scrutiny=scrutiny)
        assert not form.is_valid()
        assert form.errors["title"] == ["Rhowch deitl i'r arolwg."]
        assert form.errors["instrument"] == ["Dewiswch yr holiadur i'w anfon."]
