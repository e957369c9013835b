"""The moderation sheet, recording the agreed answers, and the agreed response in the scores."""

from __future__ import annotations

import pytest

from audits.models import Assignment, AuditEvent, Moderation
from audits.moderation import moderation_record
from audits.moderation_sheet import moderation_sheet
from scrutiny.errors import ApplicationError
from scrutiny.evidence import response_reopen
from scrutiny.models import Response, Source
from scrutiny.scoring import scrutiny_scores
from tests.audits.conftest_moderation import answers
from tests.audits.conftest_moderation import audits as audits

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(audits, council, police, area, auditor_council, auditor_police):
    """The council says the plan was Outstanding, the police Inadequate; the rest agrees."""
    case = audits.case("C-0042", area=area)
    audits.submit(
        audits.assign(case, council, auditor=auditor_council),
        answers(q6="4", Q2="Plan agreed at conference.", Q4="3"),
    )
    audits.submit(
        audits.assign(case, police, auditor=auditor_police),
        answers(q6="1", Q2="A plan was made.", Q4="3.0", Q3=["briefing"]),
    )
    return case


def agreed(q6="3", **more):
    return answers(q6=q6, Q2="The plan was agreed at the conference.", **more)


# ---------------------------------------------------------------------------------------------
# The sheet


def test_sheet_shows_each_agencys_answer_side_by_side(case):
    sheet = moderation_sheet(case=case)
    assert sheet.ready
    assert [c.label for c in sheet.contributions] == [
        "Fernhill Council (FHC)",
        "Fernhill Police (POL)",
    ]
    assert [s.title for s in sheet.sections] == ["The plan", "Practice"]
    q = {question.code: question for question in sheet.questions}
    assert [a.display for a in q["Q6"].answers] == ["Outstanding", "Inadequate"]
    assert [a.contribution.agency_code for a in q["Q6"].answers] == ["FHC", "POL"]
    assert (q["Q6"].disagree, q["Q6"].common) == (True, None)
    # 3 and 3.0 visits agree; so do the same grade and the same routes.
    assert (q["Q4"].disagree, q["Q4"].common) == (False, "3")
    assert (q["G1"].disagree, q["G1"].common) == (False, "3")
    assert q["Q3"].common == ["briefing"]
    # Free text is not compared: each agency's own words.
    assert (q["Q2"].compared, q["Q2"].disagree) == (False, False)
    assert sheet.disagreements == ["Q6"]
    # The agreed answers start as the answers every agency gave alike.
    assert sheet.initial() == {
        "Q1": "yes",
        "Q3": ["briefing"],
        "Q4": "3",
        "Q5": "2025-03-27",
        "G1": "3",
    }
    assert not sheet.is_moderated


def test_drafts_are_not_shown_and_the_outstanding_are_named(audits, council, police):
    case = audits.case("C-0001")
    audits.submit(audits.assign(case, council), answers(q6="4"))
    audits.draft(audits.assign(case, police), answers(q6="1"))
    audits.assign(case, council, role=Assignment.Role.SECOND)
    sheet = moderation_sheet(case=case)
    assert not sheet.ready
    assert sheet.outstanding == [
        "Fernhill Council (FHC), independent second auditor",
        "Fernhill Police (POL)",
    ]
    q6 = next(q for q in sheet.questions if q.code == "Q6")
    assert [a.display for a in q6.answers] == [
        "Outstanding",
        "Not submitted yet",
        "Not submitted yet",
    ]
    assert q6.disagree is False  # only one submitted answer to compare
    assert [c.status_words for c in sheet.contributions] == ["Submitted", "Not started", "In draft"]


def test_answered_by_some_and_not_others_disagrees(audits, council, police):
    case = audits.case("C-0002")
    audits.submit(audits.assign(case, council), answers(Q4="3"))
    audits.submit(audits.assign(case, police), answers(Q4=""))
    q4 = next(q for q in moderation_sheet(case=case).questions if q.code == "Q4")
    assert q4.disagree
    assert [a.display for a in q4.answers] == ["3", "Not answered"]


def test_sheet_queries_do_not_grow_with_agencies(audits, partnership, django_assert_num_queries):
    from tests.factories import AgencyFactory

    agencies = [AgencyFactory(partnership=partnership, code=f"A{i}") for i in range(5)]
    small = audits.case("C-1")
    for agency in agencies[:2]:
        audits.submit(audits.assign(small, agency), answers())
    large = audits.case("C-2")
    for agency in agencies:
        audits.submit(audits.assign(large, agency), answers(q6=str(1 + agency.pk % 4)))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        moderation_sheet(case=small)
    with django_assert_num_queries(len(queries)):
        sheet = moderation_sheet(case=large)
    assert len(sheet.contributions) == 5


# ---------------------------------------------------------------------------------------------
# Recording


def test_record_writes_one_agreed_response_that_supersedes(case, scrutineer):
    contributions = [a.response for a in case.assignments.all()]
    before = Response.objects.count()
    moderation = moderation_record(
        case=case,
        values=agreed(),
        rationales={"Q6": "The plan was agreed but not reviewed.", "G1": "  "},
        user=scrutineer,
    )
    agreed_response = moderation.agreed_response
    assert Response.objects.count() == before + 1
    assert agreed_response.status == Response.Status.SUBMITTED
    assert agreed_response.channel == Response.Channel.AUDIT
    assert agreed_response.version_id == contributions[0].version_id
    assert (agreed_response.case_ref, agreed_response.area_id) == ("C-0042", case.area_id)
    assert agreed_response.agency_id is None
    assert agreed_response.answers.get(question__code="Q6").option.value == "3"
    for response in contributions:
        response.refresh_from_db()
        assert response.superseded_by_id == agreed_response.pk
    assert moderation.rationales == {"Q6": "The plan was agreed but not reviewed."}
    assert moderation.moderated_by == scrutineer
    assert moderation.moderated_at is not None
    event = AuditEvent.objects.get(case=case, action=AuditEvent.Action.MODERATED)
    assert event.user == scrutineer
    assert event.detail == "Agreed answers recorded; disagreements settled on Q6."
    # The contributions the agreement was made on can no longer be reopened.
    with pytest.raises(ApplicationError, match="moderated"):
        response_reopen(response=contributions[0])
    sheet = moderation_sheet(case=case)
    assert sheet.is_moderated
    q6 = next(q for q in sheet.questions if q.code == "Q6")
    assert (q6.agreed, q6.agreed_display, q6.rationale) == (
        "3",
        "Good",
        "The plan was agreed but not reviewed.",
    )
    assert sheet.initial()["Q6"] == "3"


def test_recording_again_updates_the_same_agreed_response(case, scrutineer, business_unit):
    first = moderation_record(
        case=case, values=agreed(), rationales={"Q6": "Reviewed late."}, user=scrutineer
    )
    count = Response.objects.count()
    second = moderation_record(
        case=case, values=agreed(q6="2"), rationales={"Q6": "Never reviewed."}, user=business_unit
    )
    assert second.pk == first.pk
    assert second.agreed_response_id == first.agreed_response_id
    assert Response.objects.count() == count
    assert second.agreed_response.answers.get(question__code="Q6").option.value == "2"
    assert (second.rationales, second.moderated_by) == ({"Q6": "Never reviewed."}, business_unit)
    details = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.MODERATED)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == [
        "Agreed answers recorded; disagreements settled on Q6.",
        "Agreed answers changed; disagreements settled on Q6.",
    ]


def nothing_written(case, responses_before):
    assert not Moderation.objects.filter(case=case).exists()
    assert Response.objects.count() == responses_before
    assert not Response.objects.filter(superseded_by__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MODERATED).exists()


def test_every_contribution_must_be_submitted(audits, council, police, scrutineer):
    case = audits.case("C-0003")
    audits.submit(audits.assign(case, council), answers())
    audits.draft(audits.assign(case, police), answers())
    audits.assign(case, police, role=Assignment.Role.SECOND)
    before = Response.objects.count()
    with pytest.raises(ApplicationError) as raised:
        moderation_record(case=case, values=answers(), rationales={}, user=scrutineer)
    assert raised.value.message == (
        "Not every agency has submitted its audit of case file C-0003: still waiting for "
        "Fernhill Police (POL) and Fernhill Police (POL), independent second auditor. "
        "Moderate once they have submitted."
    )
    assert raised.value.extra["outstanding"] == [
        "Fernhill Police (POL)",
        "Fernhill Police (POL), independent second auditor",
    ]
    nothing_written(case, before)


def test_a_case_without_agencies_cannot_be_moderated(audits, scrutineer):
    case = audits.case("C-0004")
    with pytest.raises(ApplicationError, match="No agency is assigned to case file C-0004"):
        moderation_record(case=case, values=answers(), rationales={}, user=scrutineer)


def test_a_disagreement_needs_a_rationale_and_answers_are_checked(case, scrutineer):
    before = Response.objects.count()
    with pytest.raises(ApplicationError) as raised:
        moderation_record(
            case=case,
            values=agreed(G1="", Q4="many"),
            rationales={"Q6": "   ", "Z9": "Why not"},
            user=scrutineer,
        )
    extra = raised.value.extra
    assert set(extra["errors"]) == {"G1", "Q4"}
    assert extra["rationale_errors"] == {
        "Z9": "Z9 is not a question of MACFA",
        "Q6": "Give the reason for the agreed answer to “How good was the plan?”: the "
        "agencies' answers differ (Fernhill Council: Outstanding; Fernhill Police: Inadequate)",
    }
    assert raised.value.message.startswith("The agreed answers have 4 problems: ")
    nothing_written(case, before)


def test_no_rationale_for_a_follow_up_the_agreed_answers_no_longer_ask(
    audits, council, police, scrutineer
):
    # The council found a plan and graded it; the police found none, so Q6 was not asked of
    # them. Q1 and Q6 disagree. The meeting agrees there was no plan: Q6 is not asked, so only
    # Q1 needs a reason, and no answer to Q6 is stored.
    case = audits.case("C-0005")
    audits.submit(audits.assign(case, council), answers(q6="4"))
    audits.submit(audits.assign(case, police), answers(Q1="no", q6=""))
    assert moderation_sheet(case=case).disagreements == ["Q1", "Q6"]
    moderation = moderation_record(
        case=case,
        values=answers(Q1="no", q6="4"),
        rationales={"Q1": "The plan was a draft, never agreed."},
        user=scrutineer,
    )
    codes = set(moderation.agreed_response.answers.values_list("question__code", flat=True))
    assert "Q6" not in codes and "Q1" in codes


# ---------------------------------------------------------------------------------------------
# End to end: the agreed response counts in the scores and the contributions do not.


def test_scores_count_the_agreed_response_not_the_contributions(audits, case, council, scrutineer):
    # Case C-0042 (the fixture): the council grades the plan (Q6, SF1) Outstanding = 1, the
    # police Inadequate = 0; both grade multi-agency working (G1, SF2) Good = 2/3.
    # Case C-0043: the council alone: Q6 Requires improvement = 1/3, G1 Inadequate = 0.
    other = audits.case("C-0043")
    audits.submit(audits.assign(other, council), answers(q6="2", g1="1"))

    before = scrutiny_scores(scrutiny=audits.scrutiny)
    audit = Source.FILE_AUDIT
    # Before moderation every contribution counts:
    # SF1: (1 + 0 + 1/3) / 3 = 4/9, n = 3.  SF2: (2/3 + 2/3 + 0) / 3 = 4/9, n = 3.
    assert before.factor("SF1").sources[audit].score == pytest.approx(4 / 9, abs=1e-12)
    assert before.factor("SF1").sources[audit].n == 3
    assert before.factor("SF2").sources[audit].score == pytest.approx(4 / 9, abs=1e-12)

    # The meeting agrees Good (2/3) for the plan and Good (2/3) for the working together.
    moderation_record(
        case=case, values=agreed(q6="3", g1="3"), rationales={"Q6": "Agreed."}, user=scrutineer
    )
    after = scrutiny_scores(scrutiny=audits.scrutiny)
    # Counting now: the agreed response of C-0042 and the council's audit of C-0043.
    # SF1: (2/3 + 1/3) / 2 = 1/2, n = 2.  SF2: (2/3 + 0) / 2 = 1/3, n = 2.
    sf1, sf2 = after.factor("SF1"), after.factor("SF2")
    assert sf1.sources[audit].score == pytest.approx(1 / 2, abs=1e-12)
    assert sf1.sources[audit].n == 2
    assert sf2.sources[audit].score == pytest.approx(1 / 3, abs=1e-12)
    assert sf2.n == 2
    # The agreed response has no agency: the council's cell is its own audit of C-0043 alone,
    # and the police, whose only audit is superseded, have no cell.
    assert sf1.agencies["FHC"].score == pytest.approx(1 / 3, abs=1e-12)
    assert sf1.agencies["FHC"].n == 1
    assert "POL" not in sf1.agencies
    # C-0042 is in area NTH, C-0043 in none: the area's cell is the agreed response alone.
    assert (sf1.areas["NTH"].score, sf1.areas["NTH"].n) == (pytest.approx(2 / 3, abs=1e-12), 1)


def test_the_file_audit_score_is_exactly_the_agreed_responses(audits, case, scrutineer):
    # Contributions 1 (Outstanding) and 0 (Inadequate); agreed Good: S(file_audit, SF1) = 2/3.
    moderation_record(case=case, values=agreed(q6="3"), rationales={"Q6": "."}, user=scrutineer)
    cell = scrutiny_scores(scrutiny=audits.scrutiny).factor("SF1").sources[Source.FILE_AUDIT]
    assert (cell.score, cell.n) == (pytest.approx(2 / 3, abs=1e-12), 1)
