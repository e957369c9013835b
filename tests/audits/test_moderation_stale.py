"""A moderated case file counts once: an audit submitted after moderation is kept, counts in no
score, and makes the moderation stale until the meeting records the agreed answers again.

Hand-worked numbers. G1 ("How good was multi-agency working?") is the only question mapped to
SF2, so a response's SF2 score is its G1 score: Outstanding 1, Good 2/3, Requires improvement
1/3 (SCORING.md §2). Twelve case files, each audited by the council (Outstanding) and the
police (Requires improvement), are moderated to Requires improvement: SF2 = 1/3 (33.3), n = 12.
Two audits of case file C-01 then arrive, both Outstanding. Counted (the bug), they would make
n = 14 and SF2 = (12·1/3 + 2·1) / 14 = 3/7 (42.9). They do not count: n = 12, SF2 = 1/3.
Moderated again with C-01 agreed as Outstanding: n = 12, SF2 = (11·1/3 + 1) / 12 = 7/18 (38.9).
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from django.urls import reverse

from audits import completion, selectors
from audits.models import Assignment, AuditEvent, CaseFile, Moderation
from audits.moderation import moderation_record
from audits.moderation_sheet import moderation_sheet
from audits.progress import ProgressCounts, audit_progress
from scrutiny.models import Answer, Response, Source, User
from scrutiny.scoring import question_distributions, question_score, scrutiny_scores
from tests.audits.conftest_moderation import Audits, answers
from tests.audits.conftest_moderation import audits as audits
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OUTSTANDING, REQUIRES_IMPROVEMENT = "4", "2"


def moderated_cases(audits: Audits, council, police, scrutineer: User) -> list[CaseFile]:
    """Twelve case files, each audited by the council and the police and moderated."""
    cases = []
    for i in range(1, 13):
        case = audits.case(f"C-{i:02d}")
        audits.submit(audits.assign(case, council), answers(g1=OUTSTANDING))
        audits.submit(audits.assign(case, police), answers(g1=REQUIRES_IMPROVEMENT))
        moderation_record(
            case=case,
            values=answers(g1=REQUIRES_IMPROVEMENT),
            rationales={"G1": "The police saw the missed strategy meeting."},
            user=scrutineer,
        )
        cases.append(case)
    return cases


def late_audit(audits: Audits, case: CaseFile, agency, auditor: User) -> Assignment:
    """An independent second audit, assigned after moderation and submitted by its auditor
    through the audit service, as the wizard and the API submit it."""
    assignment = audits.assign(case, agency, role=Assignment.Role.SECOND, auditor=auditor)
    assignment = completion.audit_save_page(
        assignment=assignment,
        revision=0,
        step="",
        values=answers(g1=OUTSTANDING),
        user=auditor,
    )
    return completion.audit_submit(assignment=assignment, revision=1, user=auditor)


def sf2(audits: Audits) -> tuple[float | None, int]:
    factor = scrutiny_scores(scrutiny=audits.scrutiny).factor("SF2")
    return factor.score, factor.n


def counting_audits(audits: Audits) -> int:
    return (
        Response.objects.counting()
        .filter(scrutiny=audits.scrutiny, source=Source.FILE_AUDIT)
        .count()
    )


@pytest.fixture
def late(audits, council, police, scrutineer, auditor_council, auditor_police):
    cases = moderated_cases(audits, council, police, scrutineer)
    before = sf2(audits)
    assignments = [
        late_audit(audits, cases[0], council, auditor_council),
        late_audit(audits, cases[0], police, auditor_police),
    ]
    return cases, before, assignments


def test_a_late_contribution_does_not_move_a_moderated_files_score(audits, late):
    cases, before, assignments = late
    assert before == (pytest.approx(1 / 3), 12)
    # Kept, submitted, and superseded by the agreed response at once.
    agreed = cases[0].moderation.agreed_response
    for assignment in assignments:
        response = assignment.response
        assert response is not None
        response.refresh_from_db()
        assert response.status == Response.Status.SUBMITTED
        assert response.superseded_by_id == agreed.pk
    # n stays 12 and the score does not move (it would be 3/7 with n = 14 if they counted).
    score, n = sf2(audits)
    assert (score, n) == (pytest.approx(1 / 3), 12)
    assert score == before[0]
    assert counting_audits(audits) == 12
    # Every count reads the same rule: the question's own score and its answers too.
    g1 = next(d for d in question_distributions(scrutiny=audits.scrutiny) if d.code == "G1")
    cell = question_score(g1)
    assert cell is not None and (cell.n, cell.score) == (12, pytest.approx(1 / 3))
    assert (
        Answer.objects.counting()
        .filter(response__scrutiny=audits.scrutiny, question__code="G1")
        .count()
        == 12
    )


def test_the_moderation_is_stale_until_moderated_again(audits, late, scrutineer):
    cases, _, assignments = late
    sheet = moderation_sheet(case=cases[0])
    assert sheet.stale
    assert sheet.late == [
        "Fernhill Council (FHC), independent second auditor",
        "Fernhill Police (POL), independent second auditor",
    ]
    assert [c.status_words for c in sheet.contributions] == [
        "Moderated",
        "Submitted since moderation",
        "Moderated",
        "Submitted since moderation",
    ]
    assert not moderation_sheet(case=cases[1]).stale
    # The progress counts the two as submitted, waiting for moderation, not as moderated.
    progress = audit_progress(scrutiny=audits.scrutiny, today=cases[0].sample.drawn_at.date())
    first, second = progress.cases[0], progress.cases[1]
    assert first.counts == ProgressCounts(assignments=4, submitted=2, moderated=2)
    assert first.stale and first.status == "New audits since moderation: moderate again"
    assert not second.stale and second.status == "Moderated"
    assert progress.cases_stale == 1
    # The auditors see their audits as submitted, not moderated.
    row = selectors.audit_detail(assignment_id=assignments[0].pk)
    assert row.status_words == "Submitted"
    # The submission says so in the trail.
    event = AuditEvent.objects.filter(
        assignment=assignments[0], action=AuditEvent.Action.SUBMITTED
    ).get()
    assert "after the case file was moderated" in event.detail


def test_moderating_again_takes_them_in(audits, late, scrutineer):
    cases, _, assignments = late
    moderation_record(
        case=cases[0],
        values=answers(g1=OUTSTANDING),
        rationales={"G1": "Both second auditors found the joint visits well run."},
        user=scrutineer,
    )
    sheet = moderation_sheet(case=cases[0])
    assert not sheet.stale and sheet.late == []
    assert {c.status_words for c in sheet.contributions} == {"Moderated"}
    agreed = Moderation.objects.get(case=cases[0]).agreed_response
    assert Response.objects.filter(superseded_by=agreed).count() == 4
    # One agreed response a case file still: n = 12, and C-01's agreed Outstanding counts.
    score, n = sf2(audits)
    assert n == 12 and score == pytest.approx(float(Fraction(7, 18)))
    assert scrutiny_scores(scrutiny=audits.scrutiny).factor("SF2").display == 38.9
    assert counting_audits(audits) == 12
    event = AuditEvent.objects.filter(case=cases[0], action=AuditEvent.Action.MODERATED).first()
    assert event is not None and "took in the audits submitted since by" in event.detail
    progress = audit_progress(scrutiny=audits.scrutiny, today=cases[0].sample.drawn_at.date())
    assert progress.cases[0].counts == ProgressCounts(assignments=4, moderated=4)
    assert progress.cases_stale == 0
    assert selectors.audit_detail(assignment_id=assignments[0].pk).status_words == "Moderated"


def test_an_audit_submitted_before_moderation_is_not_superseded(audits, council, auditor_council):
    case = audits.case("C-99")
    assignment = late_audit(audits, case, council, auditor_council)
    assert assignment.response is not None and assignment.response.superseded_by_id is None
    assert counting_audits(audits) == 1
    assert not moderation_sheet(case=case).stale


def test_the_pages_and_the_api_say_moderate_again(audits, late, scrutineer):
    cases, _, _ = late
    client = client_for(scrutineer)
    slug = audits.scrutiny.slug
    page = client.get(reverse("audit-moderate", args=[slug, cases[0].pk]))
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "New contributions since moderation: moderate again" in words
    assert (
        "Since then 2 audits have been submitted: Fernhill Council (FHC), independent second "
        "auditor; Fernhill Police (POL), independent second auditor. Until the meeting records "
        "the agreed answers again, the agreed answers count in the scores and the new audits do "
        "not."
    ) in words
    assert "Submitted since moderation" in words
    # The form is open, not folded, and asks for the agreed answers again.
    assert "Moderate again" in words
    assert "<summary>Change the agreed answers</summary>" not in page.content.decode()
    other = client.get(reverse("audit-moderate", args=[slug, cases[1].pk]))
    assert "moderate again" not in other.content.decode()

    overview = client.get(reverse("audit-overview", args=[slug]))
    body = overview.content.decode()
    assert "New contributions since moderation: moderate again." in body
    assert "12 moderated (1 to moderate again)" in body
    assert "New audits since moderation: moderate again" in body

    data = client.get(reverse("api-audit-moderation", args=[slug, cases[0].pk])).json()
    assert data["stale"] is True and len(data["late"]) == 2
    assert [c["submitted_since_moderation"] for c in data["contributions"]] == [
        False,
        True,
        False,
        True,
    ]
    progress = client.get(reverse("api-audit-progress", args=[slug])).json()
    assert [case["stale"] for case in progress["cases"]][:2] == [True, False]
