"""The one rule for drafting an action (scrutiny.plan.drafting), for the event pack and the
plan alike, worked by hand on the scrutiny of tests.scrutiny.test_workspace: SF1 is limited
(46.8 from 15: the case-file audit 16.7 from 2, the practitioner survey 76.9 from 13), SF2
insufficient (nothing linked)."""

from __future__ import annotations

import pytest

from scrutiny import findings
from scrutiny import plan as actions
from scrutiny.plan.drafting import SourceScore, action_drafted, score_evidence
from tests.scrutiny.test_workspace import scrutiny as scrutiny

SURVEY = SourceScore("Practitioner survey", 82.4, 17)
BOARD = SourceScore("Board questionnaire", 60.0, 1)


def _draft(rating: str, improvements: tuple[str, ...] = (), score: float | None = 78.2):
    return action_drafted(
        code="SF3",
        statement="  Children's plans\nare reviewed. ",
        rating=rating,
        score=score,
        n=18,
        sources=[SURVEY, BOARD],
        improvements=improvements,
    )


def test_a_strong_factor_needs_an_action_only_with_areas_for_improvement():
    assert _draft("strong") is None
    assert _draft("strong", ("", "  ")) is None  # blank lines are no area for improvement
    drafted = _draft("strong", ("Reviews  slip in summer.", "", "Chairs change often."))
    assert drafted is not None
    assert (drafted.code, drafted.statement, drafted.rating) == (
        "SF3",
        "Children's plans are reviewed.",
        "Strong evidence",
    )
    assert drafted.evidence == "Reviews slip in summer. Chairs change often."
    assert drafted.factor == "SF3 Children's plans are reviewed."
    assert "“Children's plans are reviewed.” holds for every child" in drafted.text


def test_below_strong_the_evidence_is_the_score_with_each_sources():
    drafted = _draft("some")
    assert drafted is not None
    # 78.2 from 18: the survey's 82.4 from 17 and the board's 60.0 from 1.
    assert drafted.evidence == (
        "Some evidence, 78.2 from 18 responses "
        "(practitioner survey 82.4 from 17; board questionnaire 60.0 from 1)."
    )
    assert drafted.text == (
        "Agree at the scrutiny event what would make “Children's plans are reviewed.” true "
        "for every child, who will lead it and by when."
    )


def test_the_score_in_words_for_one_response_and_for_none():
    assert (
        score_evidence(rating="Insufficient evidence", score=50.0, n=1, sources=[BOARD])
        == "Insufficient evidence, 50.0 from 1 response (board questionnaire 60.0 from 1)."
    )
    assert (
        score_evidence(rating="Insufficient evidence", score=None, n=0, sources=[])
        == "Insufficient evidence, with no response giving evidence for it yet."
    )


@pytest.mark.django_db
def test_the_plans_drafted_actions_say_which_factor_and_what_the_evidence_showed(
    scrutiny, scrutineer
):
    drafted = {f.factor.code: f for f in findings.findings_ensure(scrutiny=scrutiny)}
    findings.finding_update(
        finding=drafted["SF1"], strengths="Briefings land.", improvements="", user=scrutineer
    )
    findings.finding_update(
        finding=drafted["SF2"],
        strengths="",
        improvements="Learning misses schools.",
        user=scrutineer,
    )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    sf1, sf2 = actions.actions_draft(scrutiny=scrutiny)
    assert sf1.text == (
        "Agree at the scrutiny event what would make “Plans are good.” true for every child, "
        "who will lead it and by when. What the evidence showed: Limited evidence, 46.8 from "
        "15 responses (multi-agency case-file audit 16.7 from 2; practitioner survey 76.9 "
        "from 13)."
    )
    assert sf1.outcome.text == "SF1 Plans are good."
    assert sf2.text == "Learning misses schools."


@pytest.mark.django_db
def test_the_plan_drafts_an_action_for_a_strong_factor_with_areas_for_improvement(
    scrutiny, scrutineer
):
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding,
            strengths="Strong.",
            improvements="Keep the audit cycle." if finding.factor.code == "SF2" else "",
            user=scrutineer,
        )
    for finding in findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer):
        finding.frozen["row"]["rating"] = "strong"
        finding.save()
    # SF1 is strong with nothing to improve: no action. SF2 is strong but names one.
    (drafted,) = actions.actions_draft(scrutiny=scrutiny)
    assert (drafted.factor.code, drafted.text) == ("SF2", "Keep the audit cycle.")
