"""The overview, moderation, agreement and trail pages: who reaches them, what they show, what
they record, and their query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Assignment, AuditEvent, Moderation
from audits.trail import audit_event_record
from audits.views.moderation import url_if_defined
from scrutiny.models import Response
from tests.audits.conftest_moderation import answers, make_audits
from tests.audits.conftest_moderation import audits as audits
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(audits, council, police, area, auditor_council, auditor_police):
    case = audits.case("C-0042", area=area)
    audits.submit(audits.assign(case, council, auditor=auditor_council), answers(q6="4"))
    audits.submit(audits.assign(case, police, auditor=auditor_police), answers(q6="1"))
    return case


def urls(audits, case) -> dict[str, str]:
    slug = audits.scrutiny.slug
    return {
        "overview": reverse("audit-overview", args=[slug]),
        "agreement": reverse("audit-agreement", args=[slug]),
        "moderate": reverse("audit-moderate", args=[slug, case.pk]),
        "trail": reverse("audit-trail", args=[slug, case.pk]),
    }


def text(response) -> str:
    """The page's words, tags removed and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def test_paths():
    assert reverse("audit-overview", args=["s"]) == "/scrutinies/s/audits/"
    assert reverse("audit-agreement", args=["s"]) == "/scrutinies/s/audits/agreement/"
    assert reverse("audit-moderate", args=["s", 4]) == "/scrutinies/s/audits/cases/4/moderate/"
    assert reverse("audit-trail", args=["s", 4]) == "/scrutinies/s/audits/cases/4/trail/"


# ---------------------------------------------------------------------------------------------
# Who may


def test_those_who_run_audits_reach_every_page(audits, case, business_unit, scrutineer):
    for user in (business_unit, scrutineer):
        client = client_for(user)
        for name, url in urls(audits, case).items():
            assert client.get(url).status_code == 200, (user.role, name)


def test_everyone_else_gets_a_404(
    audits, case, auditor_council, agency_lead, board_member, practitioner
):
    for user in (auditor_council, agency_lead, board_member, practitioner):
        client = client_for(user)
        for name, url in urls(audits, case).items():
            assert client.get(url).status_code == 404, (user.role, name)
        assert client.post(urls(audits, case)["moderate"], {}).status_code == 404
    assert not Moderation.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, audits, case):
    for url in urls(audits, case).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_case_of_another_scrutiny_is_a_404(audits, case, partnership, scrutineer, council):
    other = make_audits(partnership, slug="neglect")
    foreign = other.case("N-0001")
    client = client_for(scrutineer)
    for name in ("audit-moderate", "audit-trail"):
        assert client.get(reverse(name, args=[audits.scrutiny.slug, foreign.pk])).status_code == 404
        assert client.get(reverse(name, args=[other.scrutiny.slug, case.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The overview


def test_overview_shows_progress_in_words_with_totals(audits, case, council, scrutineer):
    late = audits.case("C-0043")
    audits.assign(late, council, due=timezone.localdate() - dt.timedelta(days=2))
    page = client_for(scrutineer).get(urls(audits, case)["overview"])
    words = text(page)
    assert "Case-file audits" in words
    assert "Ready to moderate" in words and "Not started" in words
    assert "2 submitted" in words and "1 not started" in words and "1 overdue" in words
    assert "Audits assigned 3" in words
    assert "Overdue 1 (past their due date and not submitted)" in words
    body = page.content.decode()
    assert reverse("audit-moderate", args=[audits.scrutiny.slug, case.pk]) in body
    assert reverse("audit-trail", args=[audits.scrutiny.slug, late.pk]) in body
    assert reverse("audit-agreement", args=[audits.scrutiny.slug]) in body
    assert "<caption" in body and 'scope="col"' in body


def test_overview_links_to_the_sample_and_assignment_pages_only_if_they_exist(audits, scrutineer):
    page = client_for(scrutineer).get(reverse("audit-overview", args=[audits.scrutiny.slug]))
    assert page.context["sample_url"] == url_if_defined("audit-sample", audits.scrutiny.slug)
    assert page.context["assign_url"] == url_if_defined("audit-assign", audits.scrutiny.slug)
    assert "No case files have been sampled yet." in text(page)
    assert url_if_defined("no-such-page", "x") is None
    assert url_if_defined("audit-overview", "x") == "/scrutinies/x/audits/"


def test_scrutiny_page_links_to_the_audits_for_those_who_run_them(audits, scrutineer, board_member):
    detail = reverse("scrutiny-detail", args=[audits.scrutiny.slug])
    overview = reverse("audit-overview", args=[audits.scrutiny.slug])
    assert overview in client_for(scrutineer).get(detail).content.decode()
    assert overview not in client_for(board_member).get(detail).content.decode()


# ---------------------------------------------------------------------------------------------
# Moderating


def test_moderation_page_shows_the_answers_side_by_side(audits, case, scrutineer):
    page = client_for(scrutineer).get(urls(audits, case)["moderate"])
    assert page.status_code == 200
    words = text(page)
    assert "Moderate case file C-0042" in words
    # A disagreement reads as its split: each answer with who gave it.
    assert (
        "Answer Given by Outstanding Fernhill Council (FHC) Inadequate Fernhill Police (POL)"
        in (words)
    )
    # Free text stays side by side, agency by agency.
    assert "Fernhill Council (FHC) A child protection plan." in words
    # The page leads with the disagreement (Q6), in words; the agreed questions and the
    # written answers follow, folded.
    assert "Where the agencies disagree (1)" in words
    assert "Where the agencies agree (5 questions)" in words
    assert "Written answers (1 question)" in words
    assert words.index("Where the agencies disagree") < words.index("How good was the plan?")
    assert words.index("How good was the plan?") < words.index("Where the agencies agree")
    assert words.index("Where the agencies agree") < words.index("Every agency's answer: Yes")
    assert "Every agency's answer: Good" in words  # G1
    body = page.content.decode()
    # The agreed answers are the tool's own fields: G1, where all agree, is chosen already.
    assert re.search(r'<input[^>]*name="G1"[^>]*value="3"[^>]*checked', body)
    assert not re.search(r'<input[^>]*name="Q6"[^>]*checked', body)
    # The label is "Agreed answer", completed by the question's words for a screen reader.
    assert 'Agreed answer<span class="visually-hidden"> to “How good was the plan?”</span>' in body
    assert "Agreed answer to Q6" not in body and "<h3>Q6" not in body
    assert re.search(r"<details>\s*<summary>Where the agencies agree", body)
    # A rationale is asked where they disagree, and only there.
    assert 'name="rationale-Q6"' in body and 'name="rationale-G1"' not in body
    assert 'for="id_rationale-Q6"' in body
    # Opening the page is in the trail.
    event = AuditEvent.objects.get(case=case, action=AuditEvent.Action.VIEWED)
    assert event.user == scrutineer


def form_data(**overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "Q1": "yes",
        "Q2": "Agreed at conference.",
        "Q6": "3",
        "Q3": ["briefing"],
        "Q4": "3",
        "Q5": "2025-03-27",
        "G1": "3",
        "rationale-Q6": "The plan was agreed but never reviewed.",
    }
    data.update(overrides)
    return data


def test_a_missing_rationale_is_an_error_linked_to_its_field(audits, case, scrutineer):
    before = Response.objects.count()
    page = client_for(scrutineer).post(
        urls(audits, case)["moderate"],
        form_data(
            **{
                "rationale-Q6": "",
                "G1": "",
            }
        ),
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert re.search(r"<title>Error: Moderate case file C-0042", body)
    assert 'href="#id_rationale-Q6"' in body
    assert 'href="#id_G1_0"' in body
    assert "the agencies&#x27; answers differ" in body or "the agencies' answers differ" in body
    assert Response.objects.count() == before
    assert not Moderation.objects.exists()


def test_recording_shows_the_agreed_answers(audits, case, scrutineer):
    client = client_for(scrutineer)
    url = urls(audits, case)["moderate"]
    response = client.post(url, form_data())
    assert response.status_code == 302 and response["Location"] == url
    moderation = Moderation.objects.get(case=case)
    assert moderation.rationales == {"Q6": "The plan was agreed but never reviewed."}
    assert moderation.agreed_response.answers.get(question__code="Q6").option.value == "3"
    page = client.get(url)
    words = text(page)
    assert "are recorded" in words
    assert "Agreed answers" in words
    assert "How good was the plan? Good Why: The plan was agreed but never reviewed." in words
    assert "All 7 agreed answers" in words
    assert "Change the agreed answers" in words
    assert "moderate again" not in words
    body = page.content.decode()
    # Changing them is folded away: the agreed answers lead.
    assert re.search(r"<details>\s*<summary>Change the agreed answers</summary>", body)
    assert re.search(r'<input[^>]*name="Q6"[^>]*value="3"[^>]*checked', body)
    assert "The plan was agreed but never reviewed.</textarea>" in body


def test_not_ready_names_the_outstanding_and_has_no_form(audits, council, police, scrutineer):
    case = audits.case("C-0050")
    audits.submit(audits.assign(case, council), answers())
    audits.draft(audits.assign(case, police), answers())
    client = client_for(scrutineer)
    url = reverse("audit-moderate", args=[audits.scrutiny.slug, case.pk])
    page = client.get(url)
    assert "Not ready to moderate. Still waiting for Fernhill Police (POL)" in text(page)
    assert "Record the agreed answers" not in page.content.decode()
    response = client.post(url, form_data(), follow=True)
    assert "still waiting for Fernhill Police (POL)" in text(response)
    assert not Moderation.objects.exists()


# ---------------------------------------------------------------------------------------------
# Agreement and the trail


def test_agreement_page(audits, council, scrutineer):
    for i, (first, second) in enumerate([("4", "4"), ("3", "2")]):
        case = audits.case(f"C-{i}")
        a = audits.assign(case, council)
        b = audits.assign(case, council, role=Assignment.Role.SECOND)
        audits.submit(a, answers(q6=first))
        audits.submit(b, answers(q6=second))
    page = client_for(scrutineer).get(reverse("audit-agreement", args=[audits.scrutiny.slug]))
    words = text(page)
    assert "Agreement on each question of MACFA" in words  # the table's caption
    # Q6: (4, 4) (3, 2): 50%, kappa 1/3 (worked in test_agreement).
    assert "Q6 How good was the plan? 50.0% (1 of 2) 0.33 (fair)" in words
    # Q1 and G1: the same answer every time: kappa is not defined.
    assert "Q1 Was there a plan? 100.0% (2 of 2) Not defined (the same answer every time)" in (
        words
    )


def test_agreement_page_with_no_pairs(audits, scrutineer):
    page = client_for(scrutineer).get(reverse("audit-agreement", args=[audits.scrutiny.slug]))
    assert "nothing to compare" in text(page)


def test_trail_shows_who_did_what_and_when(audits, case, scrutineer, auditor_council):
    assignment = case.assignments.get(agency__code="FHC")
    audit_event_record(
        scrutiny=audits.scrutiny,
        action=AuditEvent.Action.REOPENED,
        user=auditor_council,
        assignment=assignment,
        detail="Wrong grade for the plan.",
    )
    client = client_for(scrutineer)
    client.post(urls(audits, case)["moderate"], form_data())
    words = text(client.get(urls(audits, case)["trail"]))
    assert "Moderated Agreed answers recorded; disagreements settled on Q6." in words
    assert "Reopened Wrong grade for the plan. Fernhill Council (FHC)" in words
    assert str(auditor_council) in words and str(scrutineer) in words


# ---------------------------------------------------------------------------------------------
# Query counts


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow(
    audits, case, council, police, scrutineer, django_assert_num_queries
):
    client = client_for(scrutineer)
    small = {name: count(client, url) for name, url in urls(audits, case).items()}
    for i in range(6):
        other = audits.case(f"C-1{i}")
        a = audits.assign(other, council)
        b = audits.assign(other, council, role=Assignment.Role.SECOND)
        audits.submit(a, answers(q6="4"))
        audits.submit(b, answers(q6=str(1 + i % 4)))
        audits.submit(audits.assign(other, police), answers())
    audits.assign(case, council, role=Assignment.Role.SECOND)
    for _ in range(5):
        audit_event_record(
            scrutiny=audits.scrutiny, action=AuditEvent.Action.VIEWED, user=scrutineer, case=case
        )
    for name, url in urls(audits, case).items():
        with django_assert_num_queries(small[name]):
            client.get(url)
