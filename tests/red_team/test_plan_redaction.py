"""Redaction of the plan's other work (issue 12): a case reference and a school's name typed into
an action not tied to a scrutiny reached the board's pages, the API, the delivery plan's workbook
and PDF, because such an action was redacted by the patterns alone.

Here the business unit puts the school in the partnership's words to redact (on the Partnership
page), and an action of other work, its outcome, measures and update name the school, a case
reference a scrutiny's audit holds, a case file sampled but not yet audited, and a term of a
scrutiny's own list. The board member reads every page, API answer and download of the plan, and
the overdue email goes out: none of them appears anywhere.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from audits.models import CaseFile, Sample
from scrutiny import plan as actions
from scrutiny.disclosure import REMOVED, Redactor
from scrutiny.models import Action, Brag, Partnership
from tests.conftest import client_for
from tests.scrutiny.test_scoring_builders import Evidence, Q, make_instrument, make_scrutiny

pytestmark = pytest.mark.django_db

AUDITED = "NB-4471"  # a case reference of a scrutiny's audit
SAMPLED = "NB-5520"  # a case file of a scrutiny's sample that no one has audited yet
SCHOOL = "Larkspur Primary School"  # on the partnership's list
NAMED = "Kayden Marsh"  # on a scrutiny's own list
PLANTED = (AUDITED, SAMPLED, SCHOOL, NAMED)
WORDS = f"Ask {SCHOOL} about case {AUDITED}, file {SAMPLED} and {NAMED}."


def _sample(scrutiny, *refs: str) -> None:
    sample = Sample.objects.create(
        scrutiny=scrutiny,
        file_name="cases.xlsx",
        file_sha256="0" * 64,
        by="area",
        per=len(refs),
        seed=1,
        population=len(refs),
        drawn_at=timezone.now(),
    )
    for position, ref in enumerate(refs, start=1):
        CaseFile.objects.create(sample=sample, position=position, case_ref=ref, group="North")


def _terms_on_the_partnership_page(business_unit, partnership: Partnership, terms: str) -> None:
    page = client_for(business_unit).get(reverse("partnership-edit")).text
    assert 'name="redaction_terms"' in page
    response = client_for(business_unit).post(
        reverse("partnership-edit"),
        {
            "name": partnership.name,
            "contact_email": "",
            "accessibility_statement": "",
            "privacy_notice": "",
            "redaction_terms": terms,
            "brag_blue": "Complete",
            "brag_green": "On track",
            "brag_amber": "At risk",
            "brag_red": "Off track",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()


@pytest.fixture
def other_work(partnership, business_unit, scrutineer):
    """Two actions of other work naming all that is planted: one under an outcome of the
    plan's own priority (its outcome naming the school too), one not yet under an outcome."""
    _terms_on_the_partnership_page(business_unit, partnership, f"  {SCHOOL}  \n\n")
    assert partnership.redaction_terms == SCHOOL
    scrutiny = make_scrutiny(partnership)
    scrutiny.redaction_terms = NAMED
    scrutiny.save()
    audit = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(audit, {"Q1": "3"}, case_ref=AUDITED)
    _sample(scrutiny, SAMPLED)

    priority = actions.priority_save(partnership=partnership, title="Education")
    outcome = actions.outcome_save(priority=priority, text=f"Children at {SCHOOL} are safer.")
    placed = actions.action_save(
        partnership=partnership,
        data=actions.ActionData(
            text=WORDS,
            outcome=outcome,
            measures=f"Fewer referrals from {SCHOOL}; {AUDITED} closed.",
            lead_name="Sam Lead",
            lead_email="sam.lead@fernhill.invalid",
            timescale=dt.date(2020, 1, 31),  # overdue
        ),
    )
    unplaced = actions.action_save(partnership=partnership, data=actions.ActionData(text=WORDS))
    for action in (placed, unplaced):
        assert action.scrutiny_id is None
        actions.action_update(action=action, status=Brag.AMBER, note=WORDS, user=scrutineer)
    return placed, unplaced


def _clean(text: str, where: str) -> None:
    # Spaces taken out of both: a PDF wraps a line anywhere, even inside a reference.
    squeezed = "".join(text.split())
    for planted in PLANTED:
        assert "".join(planted.split()) not in squeezed, f"{planted} in {where}"
    assert REMOVED in text, where


def test_the_boards_pages_never_show_them(other_work, board_member):
    placed, unplaced = other_work
    board = client_for(board_member)
    for url in (
        reverse("plan"),
        reverse("plan-priority", args=[placed.outcome.priority_id]),
        reverse("plan-action", args=[placed.pk]),
        reverse("plan-action", args=[unplaced.pk]),
    ):
        response = board.get(url)
        assert response.status_code == 200
        _clean(response.text, url)


def test_the_api_never_gives_them(other_work, board_member):
    placed, unplaced = other_work
    api = APIClient()
    api.force_authenticate(board_member)
    for url in (
        reverse("api-plan"),
        reverse("api-action-list"),
        reverse("api-action-detail", args=[placed.pk]),
        reverse("api-action-detail", args=[unplaced.pk]),
        reverse("api-action-updates", args=[placed.pk]),
    ):
        response = api.get(url)
        assert response.status_code == 200
        _clean(response.content.decode(), url)


def test_the_delivery_plan_never_holds_them(other_work, board_member):
    board = client_for(board_member)
    workbook = load_workbook(io.BytesIO(board.get(reverse("plan-export", args=["xlsx"])).content))
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    _clean(cells, "the workbook")
    pdf = board.get(reverse("plan-export", args=["pdf"])).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    _clean(text, "the PDF")


def test_the_overdue_email_never_carries_them(other_work, mailoutbox):
    assert actions.actions_flag(now=timezone.now()) >= 1
    assert mailoutbox
    for message in mailoutbox:
        _clean(message.subject + "\n" + message.body, "the email")


def test_the_partnerships_redactor_takes_one_query_however_much_it_holds(
    partnership, django_assert_num_queries
):
    partnership.redaction_terms = SCHOOL
    partnership.save()
    scrutiny = make_scrutiny(partnership)
    audit = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(audit, {"Q1": "3"}, case_ref=AUDITED)
    with django_assert_num_queries(1):
        Redactor.for_partnership(partnership.pk)
    for i in range(3):
        more = make_scrutiny(partnership, slug=f"more-{i}")
        more.redaction_terms = f"Name{i} Other"
        more.save()
        more_audit = make_instrument(more, code="A1", kind="file_audit", questions=[Q("Q1")])
        Evidence(more).submit_many(more_audit, [{"Q1": "2"}] * 3)
        Evidence(more).submit(more_audit, {"Q1": "3"}, case_ref=f"NB-90{i}")
        _sample(more, *(f"NB-8{i}{j}" for j in range(5)))
    with django_assert_num_queries(1):
        redactor = Redactor.for_partnership(partnership.pk)
    with django_assert_num_queries(1):
        own = Redactor.for_scrutiny(scrutiny)
    text = f"{SCHOOL}, {AUDITED}, NB-902, NB-824 and Name1 Other."
    # Text of no scrutiny: every scrutiny's terms; a scrutiny's text: its own terms.
    assert redactor.redact(text) == ", ".join([REMOVED] * 4) + f" and {REMOVED}."
    assert own.redact(text) == ", ".join([REMOVED] * 4) + " and Name1 Other."


def test_the_plan_takes_a_fixed_number_of_queries_with_other_work(
    other_work, partnership, board_member, scrutineer
):
    placed, _ = other_work
    api = APIClient()
    api.force_authenticate(board_member)
    board = client_for(board_member)

    def counts() -> list[int]:
        result = []
        for client, url in (
            (board, reverse("plan")),
            (board, reverse("plan-priority", args=[placed.outcome.priority_id])),
            (board, reverse("plan-export", args=["xlsx"])),
            (api, reverse("api-plan")),
            (api, reverse("api-action-list")),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for i in range(4):
        scrutiny = make_scrutiny(partnership, slug=f"theme-{i}")
        _sample(scrutiny, f"NB-7{i}")
        for text in (f"Other work {i}", f"Theme work {i}"):
            action = Action.objects.create(
                partnership=partnership,
                scrutiny=scrutiny if text.startswith("Theme") else None,
                outcome=placed.outcome,
                text=text,
            )
            actions.action_update(action=action, status=Brag.GREEN, note="Done.", user=scrutineer)
    assert counts() == few


def test_a_documents_name_never_shows_them(
    other_work, board_member, scrutineer, settings, tmp_path
):
    """A file's name can name a child: the page, the API and the download all give it redacted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    placed, _ = other_work
    name = f"{SCHOOL} {AUDITED} review.pdf"
    update = actions.action_update(
        action=placed,
        status=Brag.GREEN,
        note="Reviewed.",
        user=scrutineer,
        attached=actions.Evidence(
            kind="document",
            text="The review's findings.",
            document=SimpleUploadedFile(name, b"%PDF-1.4 made up", content_type="application/pdf"),
        ),
    )
    assert update.document_name == name  # kept as given, for the writers' own records
    page = client_for(board_member).get(reverse("plan-action", args=[placed.pk])).text
    assert f"Download {REMOVED} {REMOVED} review.pdf" in page
    api = APIClient()
    api.force_authenticate(board_member)
    updates = api.get(reverse("api-action-updates", args=[placed.pk])).json()
    assert updates[0]["document_name"] == f"{REMOVED} {REMOVED} review.pdf"
    download = client_for(board_member).get(reverse("plan-document", args=[update.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert SCHOOL.split()[0] not in disposition and AUDITED not in disposition
