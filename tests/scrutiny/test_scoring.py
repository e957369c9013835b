"""Hand-worked examples of every rule of SCORING.md, section by section.

Each test builds its evidence through the core services and states the arithmetic it expects in
its comments, with exact fractions, so that anyone can check the numbers with pencil and paper.
"""

from __future__ import annotations

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.instruments import OptionDef
from scrutiny.models import Answer, Question, Source
from scrutiny.scoring import (
    Cell,
    Rating,
    display_score,
    percent,
    question_distributions,
    rating_for,
    scrutiny_scores,
)
from tests.scrutiny.test_scoring_builders import (
    AGREE,
    GRADE,
    Evidence,
    Q,
    make_instrument,
    make_scrutiny,
    supersede,
)

AUDIT = Source.FILE_AUDIT
SURVEY = Source.PRACTITIONER_SURVEY
BOARD = Source.BOARD_QUESTIONNAIRE

pytestmark = pytest.mark.django_db


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-12)


# §1 Scored questions ----------------------------------------------------------------------------


def test_1_single_choice_with_two_different_points_is_scored(partnership):
    scrutiny = make_scrutiny(partnership)
    yes_no = (OptionDef("yes", "Yes", 1), OptionDef("no", "No", 0), OptionDef("dk", "Not sure"))
    compiled = make_instrument(
        scrutiny,
        code="PS1",
        kind=SURVEY,
        questions=[
            Q("P1", "yes_no"),  # two options with different points: scored
            Q("P2", "grade", factors=""),  # scored even when mapped to no factor
            Q("P3", "yes_no", factors="", type="multiple"),  # multiple choice: never scored
            Q("P4", "", factors="", type="text"),
        ],
        option_lists={"yes_no": yes_no, "grade": GRADE},
    )
    assert {code: q.is_scored for code, q in compiled.questions.items()} == {
        "P1": True,
        "P2": True,
        "P3": False,
        "P4": False,
    }
    response = Evidence(scrutiny).submit(
        compiled, {"P1": "yes", "P2": "na", "P3": "yes;no", "P4": "Briefings"}
    )
    scores = dict(Answer.objects.filter(response=response).values_list("question__code", "score"))
    # P1 yes: (1 - 0) / (1 - 0) = 1. P2 "Not applicable" has no points: counted, not scored.
    assert scores == {"P1": 1.0, "P2": None, "P3": None, "P4": None}


def test_1_only_one_distinct_points_value_is_not_scored_and_cannot_count(partnership):
    scrutiny = make_scrutiny(partnership)
    same = (OptionDef("a", "Seen", 1), OptionDef("b", "Also seen", 1), OptionDef("c", "N/A"))
    compiled = make_instrument(
        scrutiny,
        code="A1",
        kind=AUDIT,
        questions=[Q("Q1", "same", factors="")],
        option_lists={"same": same},
    )
    assert not compiled.questions["Q1"].is_scored
    response = Evidence(scrutiny).submit(compiled, {"Q1": "a"})
    assert Answer.objects.get(response=response).score is None
    # §3: mapping it to a factor is a configuration error, reported when it is saved.
    with pytest.raises(ApplicationError, match="Q1 is not scored"):
        make_instrument(
            scrutiny,
            code="A2",
            kind=AUDIT,
            questions=[Q("Q1", "same", factors="SF1")],
            option_lists={"same": same},
        )


# §2 Answer score --------------------------------------------------------------------------------


def test_2_four_point_grade_scores_0_one_third_two_thirds_1(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    compiled = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    evidence = Evidence(scrutiny)
    for grade in ("1", "2", "3", "4"):
        evidence.submit(compiled, {"Q1": grade})
    by_grade = dict(
        Answer.objects.filter(question__code="Q1").values_list("option__label", "score")
    )
    # lo = 1, hi = 4: (p - 1) / 3.
    assert by_grade == {
        "Inadequate": 0.0,
        "Requires improvement": approx(1 / 3),
        "Good": approx(2 / 3),
        "Outstanding": 1.0,
    }
    # The mean of 0, 1/3, 2/3 and 1 is 1/2.
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert (sf1.score, sf1.display, sf1.n) == (approx(0.5), 50.0, 4)


def test_2_points_need_not_start_at_1(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    scale = (
        OptionDef("lo", "Not met", -2),
        OptionDef("mid", "Partly", 1),
        OptionDef("hi", "Met", 4),
    )
    compiled = make_instrument(
        scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1", "s")], option_lists={"s": scale}
    )
    response = Evidence(scrutiny).submit(compiled, {"Q1": "mid"})
    # lo = -2, hi = 4: (1 - -2) / 6 = 1/2.
    assert Answer.objects.get(response=response).score == 0.5


# §3 and §4 Mapping with weights, a response's score for a factor ---------------------------------


def test_3_4_weighted_response_score_with_not_applicable_answers(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    compiled = make_instrument(
        scrutiny,
        code="A1",
        kind=AUDIT,
        questions=[Q("Q1", factors="SF1:2"), Q("Q2", factors="SF1; SF2:3")],
    )
    evidence = Evidence(scrutiny)
    # r1: Q1 Good (2/3, weight 2), Q2 Inadequate (0, weight 1):
    #     s(r1, SF1) = (2·2/3 + 1·0) / (2 + 1) = 4/9;  s(r1, SF2) = 3·0 / 3 = 0.
    evidence.submit(compiled, {"Q1": "3", "Q2": "1"})
    # r2: Q1 Not applicable, Q2 Outstanding (1): Q1's weight leaves the denominator too:
    #     s(r2, SF1) = 1·1 / 1 = 1;  s(r2, SF2) = 1.
    evidence.submit(compiled, {"Q1": "na", "Q2": "4"})
    # r3: both Not applicable: r3 does not count for SF1 or SF2 at all.
    evidence.submit(compiled, {"Q1": "na", "Q2": "na"})
    # r4: Q1 unanswered, Q2 Not applicable: no scored answer, does not count.
    evidence.submit(compiled, {"Q2": "na"})

    scores = scrutiny_scores(scrutiny=scrutiny)
    sf1, sf2 = scores.factor("SF1"), scores.factor("SF2")
    # S(SF1) = (4/9 + 1) / 2 = 13/18 = 0.72222… → 72.2
    assert (sf1.score, sf1.display, sf1.n) == (approx(13 / 18), 72.2, 2)
    # S(SF2) = (0 + 1) / 2 = 1/2 → 50.0
    assert (sf2.score, sf2.display, sf2.n) == (approx(0.5), 50.0, 2)


def test_3_a_factor_with_no_evidence_has_no_score(partnership):
    scrutiny = make_scrutiny(partnership)
    compiled = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    Evidence(scrutiny).submit(compiled, {"Q1": "4"})
    sf2 = scrutiny_scores(scrutiny=scrutiny).factor("SF2")
    assert (sf2.score, sf2.display, sf2.n, sf2.rating) == (None, None, 0, Rating.INSUFFICIENT)
    assert (sf2.sources, sf2.agencies, sf2.areas) == ({}, {}, {})


# §5 Which responses count -----------------------------------------------------------------------


def test_5_drafts_and_superseded_contributions_do_not_count(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    compiled = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    evidence = Evidence(scrutiny)
    evidence.submit(compiled, {"Q1": "4"})  # 1
    evidence.submit(compiled, {"Q1": "1"}, draft=True)  # a draft: never counts
    # Two agencies audit case C-1 on their own: Inadequate (0) and Requires improvement (1/3);
    # moderation agrees Good (2/3). The agreed response counts, the contributions do not.
    police = evidence.submit(compiled, {"Q1": "1"}, case_ref="C-1")
    council = evidence.submit(compiled, {"Q1": "2"}, case_ref="C-1")
    agreed = evidence.submit(compiled, {"Q1": "3"}, case_ref="C-1")
    supersede([police, council], agreed=agreed)

    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # (1 + 2/3) / 2 = 5/6 → 83.3, from 2 responses.
    assert (sf1.score, sf1.display, sf1.n) == (approx(5 / 6), 83.3, 2)


# §6 Source score ------------------------------------------------------------------------------


def test_6_source_score_is_the_plain_mean_of_its_responses(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    audit = make_instrument(
        scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1"), Q("Q2", factors="SF1:3")]
    )
    survey = make_instrument(scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree")])
    evidence = Evidence(scrutiny)
    # Audits: s = 1;  s = (1·0 + 3·1)/4 = 3/4;  s = 2/3 (Q2 not applicable).
    evidence.submit(audit, {"Q1": "4", "Q2": "na"})
    evidence.submit(audit, {"Q1": "1", "Q2": "4"})
    evidence.submit(audit, {"Q1": "3", "Q2": "na"})
    # Survey: Agree 3/4, Disagree 1/4; Don't know does not count.
    evidence.submit(survey, {"P1": "4"})
    evidence.submit(survey, {"P1": "2"})
    evidence.submit(survey, {"P1": "dk"})

    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # Every response weighs the same: (1 + 3/4 + 2/3) / 3 = 29/36 = 0.80555… → 80.6
    assert sf1.sources[AUDIT] == Cell(approx(29 / 36), 3)
    assert sf1.sources[AUDIT].display == 80.6
    # (3/4 + 1/4) / 2 = 1/2
    assert sf1.sources[SURVEY] == Cell(approx(0.5), 2)
    assert list(sf1.sources) == [AUDIT, SURVEY]  # kinds in their fixed order, empty ones left out


# §7 Triangulation -----------------------------------------------------------------------------


@pytest.fixture
def twelve_audits_and_three_hundred_returns(partnership):
    def build(source_weights):
        scrutiny = make_scrutiny(partnership, source_weights=source_weights)
        audit = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
        survey = make_instrument(scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree")])
        evidence = Evidence(scrutiny)
        # 12 audits: 4 Inadequate (0), 4 Requires improvement (1/3), 4 Good (2/3): mean 1/3.
        evidence.submit_many(audit, [{"Q1": grade} for grade in "123" for _ in range(4)])
        # 300 returns: 200 Agree (3/4), 100 Strongly agree (1): mean (150 + 100)/300 = 5/6.
        evidence.submit_many(survey, [{"P1": "4"}] * 200 + [{"P1": "5"}] * 100)
        return scrutiny_scores(scrutiny=scrutiny).factor("SF1")

    return build


def test_7_each_source_speaks_with_its_own_weight(twelve_audits_and_three_hundred_returns):
    sf1 = twelve_audits_and_three_hundred_returns({})
    assert sf1.sources == {AUDIT: Cell(approx(1 / 3), 12), SURVEY: Cell(approx(5 / 6), 300)}
    # Equal weights: (1/3 + 5/6) / 2 = 7/12 = 0.58333… → 58.3, n = 312.
    # (A plain mean over all 312 responses would be (4 + 250)/312 = 81.4: the survey would drown
    # the audits.)
    assert (sf1.score, sf1.display, sf1.n, sf1.rating) == (approx(7 / 12), 58.3, 312, "some")


def test_7_source_weights(twelve_audits_and_three_hundred_returns):
    sf1 = twelve_audits_and_three_hundred_returns({"file_audit": 2})
    # (2·1/3 + 1·5/6) / (2 + 1) = (4/6 + 5/6) / 3 = 1/2 → 50.0: exactly the some threshold.
    assert (sf1.score, sf1.display, sf1.n, sf1.rating) == (approx(0.5), 50.0, 312, "some")


def test_7_sources_without_responses_take_no_weight(partnership):
    scrutiny = make_scrutiny(
        partnership, source_weights={"board_questionnaire": 5}, min_responses=1
    )
    audit = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    make_instrument(scrutiny, code="B1", kind=BOARD, questions=[Q("B1")])  # nobody answered
    Evidence(scrutiny).submit(audit, {"Q1": "3"})
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    assert (sf1.score, sf1.n, list(sf1.sources)) == (approx(2 / 3), 1, [AUDIT])


# Rounding for display -------------------------------------------------------------------------


def test_display_rounds_half_up_to_one_decimal():
    assert display_score(0.6225) == 62.3  # 62.25 → 62.3, never to even (62.2)
    assert display_score(0.6224999999999999) == 62.3  # floating-point noise of a true 62.25
    assert display_score(0.62249) == 62.2
    assert display_score(1 / 3) == 33.3
    assert display_score(2 / 3) == 66.7
    assert display_score(0.0) == 0.0
    assert display_score(1.0) == 100.0
    assert display_score(0.00049) == 0.0
    assert display_score(0.0005) == 0.1


def test_display_rounding_of_a_true_43_75_computed_in_floating_point(partnership):
    """The true score is 43.75; binary floating point computes 43.74999999999999; shown 43.8."""
    scrutiny = make_scrutiny(partnership, min_responses=1)
    audit = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    survey = make_instrument(scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree")])
    evidence = Evidence(scrutiny)
    # Audits Good (2/3) and Outstanding (1): mean 5/6.
    evidence.submit_many(audit, [{"Q1": "3"}, {"Q1": "4"}])
    # Survey: five Strongly disagree (0), one Disagree (1/4): mean 1/24.
    evidence.submit_many(survey, [{"P1": "1"}] * 5 + [{"P1": "2"}])
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # (5/6 + 1/24) / 2 = 21/48 = 7/16 = 0.4375 → 43.75 → 43.8
    assert sf1.score == approx(7 / 16)
    assert sf1.score != 7 / 16  # the float really is off…
    assert round(100 * sf1.score, 1) == 43.7  # …so rounding it naively would show 43.7
    assert percent(sf1.score) == percent(7 / 16)
    assert sf1.display == 43.8


# §8 Rating ------------------------------------------------------------------------------------


def _rated(partnership, points: float, *, count: int = 5, **settings) -> object:
    """A factor whose every one of `count` responses scores `points`/100."""
    scale = (OptionDef("0", "None", 0), OptionDef("x", "Some", points), OptionDef("1", "All", 100))
    scrutiny = make_scrutiny(partnership, **settings)
    compiled = make_instrument(
        scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1", "s")], option_lists={"s": scale}
    )
    Evidence(scrutiny).submit_many(compiled, [{"Q1": "x"}] * count)
    return scrutiny_scores(scrutiny=scrutiny).factor("SF1")


@pytest.mark.parametrize(
    ("points", "display", "rating"),
    [
        (100, 100.0, "strong"),
        (75, 75.0, "strong"),  # exactly the strong threshold
        (74.99, 75.0, "some"),  # shown as 75.0 but below the threshold unrounded
        (50, 50.0, "some"),
        (49.99, 50.0, "limited"),
        (0.01, 0.0, "limited"),
    ],
)
def test_8_ratings_compare_the_unrounded_score(partnership, points, display, rating):
    sf1 = _rated(partnership, points)
    assert (sf1.display, sf1.rating, sf1.n) == (display, rating, 5)


def test_8_fewer_responses_than_the_minimum_is_insufficient(partnership):
    sf1 = _rated(partnership, 100, count=4)  # default minimum 5
    assert (sf1.display, sf1.rating, sf1.n) == (100.0, Rating.INSUFFICIENT, 4)


def test_8_the_scrutiny_sets_minimum_and_thresholds(partnership):
    sf1 = _rated(partnership, 75, count=3, min_responses=3, strong=80, some=75)
    assert (sf1.display, sf1.rating) == (75.0, "some")


def test_8_rating_for():
    common = {"strong": 75, "some": 50, "minimum": 5}
    assert rating_for(score=0.75, n=5, **common) == Rating.STRONG
    assert rating_for(score=0.7499, n=5, **common) == Rating.SOME
    assert rating_for(score=0.5, n=5, **common) == Rating.SOME
    assert rating_for(score=0.4999, n=5, **common) == Rating.LIMITED
    assert rating_for(score=1.0, n=4, **common) == Rating.INSUFFICIENT
    assert rating_for(score=None, n=0, **common) == Rating.INSUFFICIENT
    # A true 0.75 computed as 0.7499999999999999 is still strong.
    assert rating_for(score=0.7499999999999999, n=5, **common) == Rating.STRONG
    assert Rating.STRONG.label == "Strong evidence"


# §9 Breakdowns --------------------------------------------------------------------------------


def test_9_breakdowns_triangulate_each_agency_and_area_alone(partnership):
    scrutiny = make_scrutiny(
        partnership,
        source_weights={"file_audit": 2},
        agencies=["POL", "EDU", "FHC"],
        areas=["NTH", "STH"],
    )
    audit = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    survey = make_instrument(scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree")])
    evidence = Evidence(scrutiny)
    evidence.submit(audit, {"Q1": "4"}, agency="POL", area="NTH")  # 1
    evidence.submit(audit, {"Q1": "2"}, agency="POL", area="STH")  # 1/3
    evidence.submit(audit, {"Q1": "3"}, agency="EDU")  # 2/3, no area
    evidence.submit(survey, {"P1": "5"}, agency="POL", area="NTH")  # 1
    evidence.submit(survey, {"P1": "3"}, agency="EDU", area="NTH")  # 1/2
    evidence.submit(survey, {"P1": "2"}, area="STH")  # 1/4, no agency
    evidence.submit(survey, {"P1": "dk"}, agency="FHC", area="STH")  # counts for nothing

    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # POL: audits (1 + 1/3)/2 = 2/3, survey 1: (2·2/3 + 1)/3 = 7/9 → 77.8, n = 3.
    # EDU: audits 2/3, survey 1/2: (2·2/3 + 1/2)/3 = 11/18 → 61.1, n = 2.
    # FHC answered only Don't know: n = 0, left out.
    assert sf1.agencies == {"EDU": Cell(approx(11 / 18), 2), "POL": Cell(approx(7 / 9), 3)}
    assert list(sf1.agencies) == ["EDU", "POL"]
    assert [c.display for c in sf1.agencies.values()] == [61.1, 77.8]
    # NTH: audits 1, survey (1 + 1/2)/2 = 3/4: (2 + 3/4)/3 = 11/12 → 91.7, n = 3.
    # STH: audits 1/3, survey 1/4: (2/3 + 1/4)/3 = 11/36 → 30.6, n = 2.
    assert sf1.areas == {"NTH": Cell(approx(11 / 12), 3), "STH": Cell(approx(11 / 36), 2)}
    # The whole: audits (1 + 1/3 + 2/3)/3 = 2/3, survey (1 + 1/2 + 1/4)/3 = 7/12:
    # (2·2/3 + 7/12)/3 = 23/36 → 63.9, n = 6.
    assert (sf1.score, sf1.display, sf1.n) == (approx(23 / 36), 63.9, 6)


# Distributions --------------------------------------------------------------------------------


def test_question_distributions_count_each_option_of_counting_responses(partnership):
    scrutiny = make_scrutiny(partnership)
    survey = make_instrument(
        scrutiny,
        code="PS1",
        kind=SURVEY,
        questions=[
            Q("P1", "agree"),
            Q("P2", "routes", factors="", type="multiple"),
            Q("P3", "", factors="", type="text"),
        ],
        option_lists={
            "agree": AGREE,
            "routes": (
                OptionDef("brief", "Briefings"),
                OptionDef("train", "Training"),
                OptionDef("sup", "Supervision"),
            ),
        },
    )
    audit = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    evidence = Evidence(scrutiny)
    evidence.submit(survey, {"P1": "5", "P2": "brief;sup", "P3": "x"})
    evidence.submit(survey, {"P1": "5", "P2": "sup"})
    evidence.submit(survey, {"P1": "dk"})
    evidence.submit(survey, {"P1": "1", "P2": "train"}, draft=True)  # a draft: not counted
    evidence.submit(audit, {"Q1": "na"})

    rows = question_distributions(scrutiny=scrutiny, instrument=survey_instrument(scrutiny))
    assert [(d.instrument_code, d.version, d.code, d.type, d.answered) for d in rows] == [
        ("PS1", 1, "P1", "single", 3),
        ("PS1", 1, "P2", "multiple", 2),
    ]
    assert [(o.label, o.count) for o in rows[0].options] == [
        ("Strongly agree", 2),
        ("Agree", 0),
        ("Neither agree nor disagree", 0),
        ("Disagree", 0),
        ("Strongly disagree", 0),
        ("Don't know", 1),
    ]
    # Multiple choice counts each chosen option: Briefings 1, Training 0, Supervision 2.
    assert [(o.value, o.count) for o in rows[1].options] == [("brief", 1), ("train", 0), ("sup", 2)]
    everything = question_distributions(scrutiny=scrutiny)
    assert [(d.instrument_code, d.code, d.answered) for d in everything] == [
        ("A1", "Q1", 1),
        ("PS1", "P1", 3),
        ("PS1", "P2", 2),
    ]
    assert everything[0].options[-1].points is None  # Not applicable


def survey_instrument(scrutiny):
    return scrutiny.instruments.get(code="PS1")


def test_distributions_query_count_is_flat(partnership, django_assert_num_queries):
    scrutiny = make_scrutiny(partnership)
    survey = make_instrument(
        scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree"), Q("P2", "agree")]
    )
    evidence = Evidence(scrutiny)
    evidence.submit(survey, {"P1": "5", "P2": "4"})
    # The questions, the options, the evidence stamp and the two counts (scrutiny/kept.py).
    with django_assert_num_queries(5):
        question_distributions(scrutiny=scrutiny)
    evidence.submit_many(survey, [{"P1": "5", "P2": "4"}] * 50)
    make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1"), Q("Q2")])
    with django_assert_num_queries(5):
        rows = question_distributions(scrutiny=scrutiny)
    assert [d.answered for d in rows] == [0, 0, 51, 51]


# Queries --------------------------------------------------------------------------------------


def test_scoring_takes_three_queries_however_much_evidence(partnership, django_assert_num_queries):
    scrutiny = make_scrutiny(partnership, agencies=["POL", "EDU"], areas=["NTH", "STH"])
    audit = make_instrument(
        scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1"), Q("Q2", factors="SF2")]
    )
    evidence = Evidence(scrutiny)
    evidence.submit(audit, {"Q1": "4", "Q2": "3"}, agency="POL", area="NTH")
    # The factors, the evidence stamp and the aggregate (scrutiny/kept.py).
    with django_assert_num_queries(3):
        scrutiny_scores(scrutiny=scrutiny)

    survey = make_instrument(scrutiny, code="PS1", kind=SURVEY, questions=[Q("P1", "agree")])
    evidence.submit_many(survey, [{"P1": "4"}] * 40, agency="EDU", area="STH")
    evidence.submit_many(audit, [{"Q1": "2", "Q2": "1"}] * 40, agency="POL")
    with django_assert_num_queries(3):
        scores = scrutiny_scores(scrutiny=scrutiny)
    assert scores.factor("SF1").n == 81
    assert Question.objects.filter(is_scored=True).count() == 3


def test_responses_to_every_version_count_and_distributions_keep_versions_apart(partnership):
    scrutiny = make_scrutiny(partnership, min_responses=1)
    v1 = make_instrument(scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1")])
    evidence = Evidence(scrutiny)
    evidence.submit(v1, {"Q1": "4"})  # 1
    # Version 2 adds Q2, weighted 3, for SF1.
    v2 = make_instrument(
        scrutiny, code="A1", kind=AUDIT, questions=[Q("Q1"), Q("Q2", factors="SF1:3")]
    )
    assert v2.number == 2
    evidence.submit(v2, {"Q1": "1", "Q2": "4"})  # (0 + 3·1)/4 = 3/4
    sf1 = scrutiny_scores(scrutiny=scrutiny).factor("SF1")
    # (1 + 3/4) / 2 = 7/8 → 87.5
    assert (sf1.score, sf1.display, sf1.n) == (approx(7 / 8), 87.5, 2)
    rows = question_distributions(scrutiny=scrutiny)
    assert [(d.version, d.code, d.answered) for d in rows] == [
        (1, "Q1", 1),
        (2, "Q1", 1),
        (2, "Q2", 1),
    ]
    assert [o.count for o in rows[1].options] == [0, 0, 0, 1, 0]
