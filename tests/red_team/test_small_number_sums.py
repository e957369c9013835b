"""Small counts given back by the sums beside them, tried as a reader of the pack would
(SCORING.md §9; scrutiny/disclosure/distributions.py).

A red-team review found three ways round the suppression of a distribution's small counts:

- a board questionnaire's grades "6, fewer than 5, fewer than 5", with the drafted finding's
  "Strongest question … 79.2, n 8", gave both hidden counts back (1 and 1);
- with both chosen grades hidden and the others shown as 0, the board's own score for the
  factor, "Board questionnaire 75.0 (n 8)", gave them back (6 and 2);
- a practitioner survey of 21 responses was not protected, so the one response still on its
  first version showed its every choice as a count of 1.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from scrutiny.evidence import response_submit
from scrutiny.instruments import instrument_current_version, instrument_save, version_compile
from scrutiny.models import Instrument, Response, Source
from scrutiny.packs.data import FactorPack, pack_data
from tests.scrutiny.test_questionnaires import sample_definition

pytestmark = pytest.mark.django_db


def _submit(instrument: Instrument, grades: tuple[str, ...]) -> None:
    compiled = version_compile(instrument_current_version(instrument))
    for grade in grades:
        response_submit(
            compiled=compiled,
            values={"Q1": "yes", "Q2": "A plan", "Q6": grade},
            channel=Response.Channel.API,
        )


def _sf1(factors: tuple[FactorPack, ...]) -> FactorPack:
    return next(factor for factor in factors if factor.row.code == "SF1")


@pytest.mark.parametrize("few", [("1", "2"), ("1", "1", "2"), ("1", "2", "2")])
def test_no_question_score_gives_back_a_board_members_grade(board_tool, survey_scrutiny, few):
    _submit(board_tool, ("4",) * 6 + few)
    data = pack_data(scrutiny=survey_scrutiny)
    (q6,) = [d for _, d in data.distributions if d.code == "Q6"]
    assert {o.value for o in q6.options if o.suppressed} >= {"1", "2"}
    drafted = _sf1(data.factors).drafted
    assert "Strongest question" not in drafted and "BQ Q6" not in drafted
    # The factor's score and n are shown, and the board's: §9 never changes the sums.
    assert re.search(rf"By source: Board questionnaire [\d.]+ \(n {6 + len(few)}\)", drafted)


def test_a_sources_score_resting_on_one_question_shows_none_of_its_counts(
    board_tool, survey_scrutiny
):
    _submit(board_tool, ("4",) * 6 + ("1", "1"))
    data = pack_data(scrutiny=survey_scrutiny)
    (q6,) = [d for _, d in data.distributions if d.code == "Q6"]
    factor = _sf1(data.factors)
    assert [(bar.label, bar.score, bar.n) for bar in factor.row.sources] == [
        ("Board questionnaire", 75.0, 8)
    ]
    # The 2 Inadequate and the 6 Outstanding were hidden, Good and Requires improvement shown as
    # 0: with 75.0 from 8 they gave both back. Now no count of Q6 is shown, in the appendix or
    # with the factor's evidence.
    assert all(option.suppressed for option in q6.options)
    ((_, evidence, _),) = factor.questions
    assert all(option.suppressed for option in evidence.options)
    assert q6.answered == 8


def test_a_lone_response_to_an_earlier_version_is_protected(survey_tool, survey_scrutiny):
    _submit(survey_tool, ("1",))
    definition = dataclasses.replace(
        sample_definition("PS", extra_questions=1),
        kind=Source.PRACTITIONER_SURVEY,
        title="Practitioner survey",
    )
    instrument_save(scrutiny=survey_scrutiny, definition=definition)
    _submit(survey_tool, ("4",) * 20)
    first, second = [
        {o.value: o.count for o in d.options}
        for _, d in pack_data(scrutiny=survey_scrutiny).distributions
        if d.code == "Q1"
    ]
    assert first == {"yes": None, "no": None}  # one response: "fewer than 5"
    assert second == {"yes": 20, "no": 0}  # twenty: shown
