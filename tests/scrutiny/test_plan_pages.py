"""The action plan's pages: who sees and changes what, each form doing its one thing and
refusing bad input without changing anything, the delivery plan downloaded, and query counts
that stay flat as the plan grows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import plan as actions
from scrutiny.models import Action, ActionUpdate, Brag, Outcome, Partnership, Priority, User
from tests.conftest import client_for
from tests.scrutiny.test_actions import earlier as earlier
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


@pytest.fixture
def plan(signed, council, police):
    """Two drafted actions: SF1's the council's, SF2's the police's."""
    first, second = actions.actions_draft(scrutiny=signed)
    first.responsible, second.responsible = council, police
    first.save()
    second.save()
    return first, second


def _update(action, **data):
    return reverse("plan-action-update", args=[action.pk]), {
        "status": "green",
        "note": "On track.",
        "evidence_kind": "",
        **data,
    }


def test_who_sees_the_plan(
    plan, business_unit, scrutineer, board_member, agency_lead, auditor_police, practitioner
):
    council_action, police_action = plan
    url = reverse("plan")
    for reader in (business_unit, scrutineer, board_member, agency_lead):
        assert client_for(reader).get(url).status_code == 200
    for outsider in (auditor_police, practitioner):
        assert client_for(outsider).get(url).status_code == 404
        assert (
            client_for(outsider).get(reverse("plan-action", args=[police_action.pk])).status_code
            == 404
        )
    # The agency lead (the council's) sees their agency's action, not the police's.
    lead = client_for(agency_lead)
    assert lead.get(reverse("plan-action", args=[council_action.pk])).status_code == 200
    assert lead.get(reverse("plan-action", args=[police_action.pk])).status_code == 404
    priority = council_action.outcome.priority
    page = lead.get(reverse("plan-priority", args=[priority.pk])).text
    assert council_action.text in page and police_action.text not in page
    # The board sees the whole plan.
    page = client_for(board_member).get(reverse("plan-priority", args=[priority.pk])).text
    assert council_action.text in page and police_action.text in page


def test_the_board_reads_and_the_agency_lead_updates_their_own(plan, board_member, agency_lead):
    council_action, police_action = plan
    board = client_for(board_member)
    page = board.get(reverse("plan-action", args=[council_action.pk])).text
    assert "Give it an update" not in page and "Change the action" not in page
    url, data = _update(council_action)
    assert board.post(url, data).status_code == 403
    lead = client_for(agency_lead)
    assert "Give it an update" in lead.get(reverse("plan-action", args=[council_action.pk])).text
    response = lead.post(url, {**data, "status": "amber", "note": "Re-audit slipped a month."})
    assert response.status_code == 302
    council_action.refresh_from_db()
    assert council_action.status == Brag.AMBER
    assert council_action.updates.get().by == agency_lead
    police_url, _ = _update(police_action)
    assert lead.post(police_url, data).status_code == 404
    edit = reverse("plan-action-edit", args=[council_action.pk])
    assert lead.get(edit).status_code == 403
    assert board.post(reverse("scrutiny-actions-draft", args=[SLUG])).status_code == 403


def test_the_scrutineer_drafts_the_plan_from_the_findings(signed, scrutineer):
    client = client_for(scrutineer)
    page = client.get(reverse("scrutiny-actions", args=[SLUG])).text
    assert "No actions yet." in page
    response = client.post(reverse("scrutiny-actions-draft", args=[SLUG]), follow=True)
    assert "Drafted 2 actions: SF1, SF2." in response.text
    assert "Re-audit drift in SF1 cases." in response.text
    response = client.post(reverse("scrutiny-actions-draft", args=[SLUG]), follow=True)
    assert "Drafted 0 actions. Every finding not rated strong has its action already." in (
        response.text
    )
    assert Action.objects.count() == 2


def test_assigning_a_lead_and_bad_input_changing_nothing(plan, scrutineer, council):
    action = plan[0]
    client = client_for(scrutineer)
    url = reverse("plan-action-edit", args=[action.pk])
    assert client.get(url).status_code == 200
    data = {
        "text": action.text,
        "outcome": action.outcome_id,
        "responsible": council.pk,
        "responsible_group": "Quality Assurance Group",
        "lead_name": "Sam Okafor",
        "lead_email": "not an email",
        "timescale": "31/02/2027",
        "measures": "SF1 moves.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Enter an email address, like name@example.org." in response.text
    assert "Enter a date, for example 2027-03-31." in response.text
    assert 'value="Sam Okafor"' in response.text  # nothing typed is lost
    action.refresh_from_db()
    assert action.lead_name == ""
    data.update(lead_email="sam.okafor@fernhill.invalid", timescale="2027-03-31")
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.lead_name, action.timescale, action.responsible_group) == (
        "Sam Okafor",
        dt.date(2027, 3, 31),
        "Quality Assurance Group",
    )
    page = client.get(reverse("plan-action", args=[action.pk])).text
    assert "Sam Okafor (sam.okafor@fernhill.invalid)" in page and "31 March 2027" in page


def test_blue_is_refused_without_evidence_and_accepted_with_a_document(
    plan, scrutineer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    action = plan[0]
    client = client_for(scrutineer)
    url, data = _update(action, status="blue", note="Re-audit done.")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Blue means complete and evidenced" in response.text
    assert "Re-audit done.</textarea>" in response.text
    action.refresh_from_db()
    assert action.status == Brag.GREEN and not ActionUpdate.objects.exists()
    document = SimpleUploadedFile("reaudit.pdf", b"%PDF-1.4 re-audit", "application/pdf")
    response = client.post(
        url,
        {
            **data,
            "evidence_kind": "document",
            "evidence": "Drift down to 1 in 12.",
            "document": document,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Brag.BLUE
    page = client.get(reverse("plan-action", args=[action.pk])).text
    assert '<span class="brag brag--blue">Blue: Complete</span>' in page
    update = action.updates.get()
    download = client.get(reverse("plan-document", args=[update.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 re-audit"
    assert 'filename="reaudit.pdf"' in download["Content-Disposition"]
    other = Partnership.objects.create(name="Elsewhere Partnership")
    stranger = User.objects.create_user(
        "admin@elsewhere.invalid", partnership=other, role=User.Role.ADMINISTRATOR
    )
    assert client_for(stranger).get(reverse("plan-document", args=[update.pk])).status_code == 404


def test_a_refused_upload_says_to_choose_the_file_again(plan, scrutineer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url, data = _update(plan[0], status="blue", evidence_kind="document")
    response = client_for(scrutineer).post(
        url, {**data, "document": SimpleUploadedFile("notes.exe", b"MZ")}
    )
    assert response.status_code == 400
    assert "notes.exe is not a document type the plan keeps" in response.text
    assert "Choose the document again" in response.text
    assert not list(tmp_path.rglob("*.*"))


def test_priorities_and_outcomes_from_the_pages(scrutineer, board_member, partnership):
    client = client_for(scrutineer)
    response = client.post(reverse("plan-priority-new"), {"title": "Neglect"})
    priority = Priority.objects.get(title="Neglect")
    assert response.url == reverse("plan-priority", args=[priority.pk])
    response = client.post(reverse("plan-priority-new"), {"title": "neglect"}, follow=True)
    assert "The plan already has a priority called “neglect”." in response.text
    url = reverse("plan-outcome-new", args=[priority.pk])
    client.post(url, {"text": "Neglect is recognised early"})
    response = client.post(url, {"text": ""}, follow=True)
    assert "Write the outcome" in response.text
    outcome = Outcome.objects.get()
    new = reverse("plan-action-new") + f"?outcome={outcome.pk}"
    assert f'<option value="{outcome.pk}" selected>' in client.get(new).text
    response = client.post(
        reverse("plan-action-new"), {"text": "Relaunch the toolkit", "outcome": outcome.pk}
    )
    action = Action.objects.get()
    assert response.url == reverse("plan-action", args=[action.pk])
    assert action.outcome == outcome and action.scrutiny is None
    assert (
        client_for(board_member).post(reverse("plan-priority-new"), {"title": "X"}).status_code
        == 403
    )


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_delivery_plan_downloads(plan, scrutineer, agency_lead):
    council_action, police_action = plan
    actions.action_update(
        action=council_action, status=Brag.RED, note="No re-audit date.", user=scrutineer
    )
    client = client_for(scrutineer)
    response = client.get(reverse("plan-export", args=["xlsx"]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = _sheet_rows(response.content)
    assert rows[2] == ("Priority", "Outcome", "Action", "Timescale", "Responsible", "Update", "RAG")
    found = {row[2]: (row[0], row[5], row[6]) for row in rows[3:] if row[2]}
    assert found == {
        council_action.text: ("Learning from Practice 2026", "No re-audit date.", "Red"),
        police_action.text: ("Learning from Practice 2026", None, "Green"),
    }
    pdf = client.get(reverse("plan-export", args=["pdf"]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "No re-audit date." in text
    scrutiny_pdf = client.get(reverse("scrutiny-actions-export", args=[SLUG, "pdf"]))
    assert scrutiny_pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("plan-export", args=["docx"])).status_code == 404
    # An agency lead's download is their agency's actions only.
    rows = _sheet_rows(client_for(agency_lead).get(reverse("plan-export", args=["xlsx"])).content)
    assert [row[2] for row in rows[3:] if row[2]] == [council_action.text]


def test_carrying_open_actions_shows_how_each_factor_moved(earlier, signed, scrutineer):
    from tests.scrutiny.test_actions import _earlier_action

    action = _earlier_action(earlier, "SF1")
    client = client_for(scrutineer)
    response = client.post(reverse("scrutiny-actions-carry", args=[SLUG]), follow=True)
    assert "Carried 1 open action from LfP 2024." in response.text
    assert (
        "Carried from LfP 2024: SF1 went from 26.7 (limited evidence) in LfP 2024 to 46.8 "
        "(limited evidence) in Learning from Practice 2026: +20.1 points." in response.text
    )
    page = client.get(reverse("plan-action", args=[action.pk])).text
    assert "+20.1 points" in page


def test_the_plan_pages_take_a_fixed_number_of_queries(plan, scrutineer, council):
    client = client_for(scrutineer)
    priority = plan[0].outcome.priority

    def counts() -> list[int]:
        result = []
        for url in (
            reverse("plan"),
            reverse("plan-priority", args=[priority.pk]),
            reverse("scrutiny-actions", args=[SLUG]),
            reverse("plan-export", args=["xlsx"]),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for i in range(12):
        action = Action.objects.create(
            partnership=priority.partnership,
            scrutiny=plan[0].scrutiny,
            outcome=plan[0].outcome,
            responsible=council,
            text=f"More work {i}",
        )
        actions.action_update(action=action, status=Brag.AMBER, note="Slipping.", user=scrutineer)
    assert counts() == few


def test_the_pages_show_an_actions_words_redacted(plan, scrutineer, board_member):
    action = plan[0]
    action.text = "Re-audit case C-7781 with jo.bloggs@example.org."
    action.save()
    actions.action_update(
        action=action, status=Brag.AMBER, note="Ring 020 7946 0991 first.", user=scrutineer
    )
    board = client_for(board_member)
    pages = [
        board.get(reverse("plan-action", args=[action.pk])).text,
        board.get(reverse("plan-priority", args=[action.outcome.priority_id])).text,
        board.get(reverse("scrutiny-actions", args=[SLUG])).text,
    ]
    for page in pages:
        for planted in ("C-7781", "jo.bloggs@example.org", "020 7946 0991"):
            assert planted not in page
        assert "[removed]" in page


def test_an_account_of_no_partnership_has_no_plan(scrutineer, partnership):
    from scrutiny.models import Partnership

    Partnership.objects.create(name="Elsewhere Partnership")
    lost = User.objects.create_user("lost@fernhill.invalid", role=User.Role.ADMINISTRATOR)
    client = client_for(lost)
    assert client.get(reverse("plan")).status_code == 404
    assert client.post(reverse("plan-priority-new"), {"title": "Neglect"}).status_code == 404
    assert not Priority.objects.exists()


def test_the_action_page_takes_a_fixed_number_of_queries(plan, scrutineer):
    action = plan[0]
    client = client_for(scrutineer)
    url = reverse("plan-action", args=[action.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    actions.action_update(action=action, status=Brag.AMBER, note="Slipping.", user=scrutineer)
    few = count()
    for i in range(5):
        actions.action_update(action=action, status=Brag.AMBER, note=f"Still {i}.", user=scrutineer)
    assert count() == few
