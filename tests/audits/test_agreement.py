"""Agreement between first and independent second auditors: percent agreement and Cohen's
kappa, worked by hand, then read from the database per question and per audit tool."""

from __future__ import annotations

from fractions import Fraction

import pytest

from audits.agreement import (
    NOTHING_COMPARED,
    agreement_of,
    agreement_pooled,
    agreement_statistics,
    kappa_words,
)
from audits.models import Assignment
from tests.audits.conftest_moderation import answers, make_audits
from tests.audits.conftest_moderation import audits as audits

FIRST, SECOND = Assignment.Role.FIRST, Assignment.Role.SECOND

# ---------------------------------------------------------------------------------------------
# The pure functions, with numbers worked on paper.


def test_two_by_two_table_worked_by_hand():
    # Ten case files, first auditor down, second auditor across:
    #
    #                  second: yes   second: no   first's total
    #   first: yes          4             1             5
    #   first: no           2             3             5
    #   second's total      6             4            10
    #
    # po = (4 + 3) / 10 = 7/10
    # pe = P1(yes)·P2(yes) + P1(no)·P2(no) = 5/10 · 6/10 + 5/10 · 4/10 = 30/100 + 20/100 = 1/2
    # kappa = (7/10 - 1/2) / (1 - 1/2) = (2/10) / (1/2) = 2/5 = 0.4
    pairs = [("yes", "yes")] * 4 + [("yes", "no")] * 1 + [("no", "yes")] * 2 + [("no", "no")] * 3
    result = agreement_of(pairs)
    assert (result.pairs, result.agreed) == (10, 7)
    assert result.observed == Fraction(7, 10)
    assert result.expected == Fraction(1, 2)
    assert result.kappa_exact == Fraction(2, 5)
    assert result.kappa == 0.4
    assert result.percent == 70.0
    assert result.kappa_words == "Fair"


def test_three_grades_worked_by_hand():
    # Six pairs (first, second): (G,G) (G,G) (G,RI) (RI,RI) (I,I) (I,G).
    # Agreed: 4 of 6, po = 2/3.
    # First's answers: G 3, RI 1, I 2. Second's: G 3, RI 2, I 1.
    # pe = (3·3 + 1·2 + 2·1) / 36 = 13/36.
    # kappa = (2/3 - 13/36) / (1 - 13/36) = (24/36 - 13/36) / (23/36) = 11/23.
    pairs = [("G", "G"), ("G", "G"), ("G", "RI"), ("RI", "RI"), ("I", "I"), ("I", "G")]
    result = agreement_of(pairs)
    assert result.observed == Fraction(2, 3)
    assert result.expected == Fraction(13, 36)
    assert result.kappa_exact == Fraction(11, 23)
    assert result.kappa_words == "Moderate"  # 0.478


def test_complete_agreement_over_two_answers_is_one():
    # po = 1; pe = 1/2·1/2 + 1/2·1/2 = 1/2; kappa = (1 - 1/2) / (1 - 1/2) = 1.
    result = agreement_of([("yes", "yes"), ("no", "no")])
    assert result.kappa_exact == 1
    assert result.kappa_words == "Almost perfect"


def test_complete_disagreement_is_minus_one():
    # po = 0; pe = 1/2·1/2 + 1/2·1/2 = 1/2; kappa = (0 - 1/2) / (1/2) = -1.
    result = agreement_of([("yes", "no"), ("no", "yes")])
    assert (result.percent, result.kappa_exact) == (0.0, -1)
    assert result.kappa_words == "Less than chance"


def test_answers_one_side_never_gives_expect_no_chance_agreement():
    # The first always says a, the second always b: po = 0, pe = 0 (no answer in common),
    # kappa = (0 - 0) / (1 - 0) = 0.
    result = agreement_of([("a", "b"), ("a", "b")])
    assert (result.observed, result.expected, result.kappa_exact) == (0, 0, 0)


def test_pe_of_one_leaves_kappa_undefined():
    # Both always "yes": po = 1 and pe = 1·1 = 1, so kappa = 0/0. Not defined (None), beside
    # 100% agreement: chance alone would have agreed as often.
    result = agreement_of([("yes", "yes")] * 5)
    assert (result.percent, result.expected) == (100.0, 1)
    assert result.kappa is None
    assert result.kappa_words == "Not defined"


def test_nothing_compared():
    assert agreement_of([]) == NOTHING_COMPARED
    assert (NOTHING_COMPARED.percent, NOTHING_COMPARED.kappa) == (None, None)
    assert agreement_pooled([]) == NOTHING_COMPARED
    assert agreement_pooled([NOTHING_COMPARED]) == NOTHING_COMPARED


def test_pooled_over_questions_worked_by_hand():
    # The 2x2 question (n = 10, 7 agreed, pe = 1/2) and the grades (n = 6, 4 agreed,
    # pe = 13/36), pooled weighting by pairs:
    # po = (7 + 4) / 16 = 11/16
    # pe = (10·1/2 + 6·13/36) / 16 = (5 + 13/6) / 16 = 43/96
    # kappa = (11/16 - 43/96) / (1 - 43/96) = (66/96 - 43/96) / (53/96) = 23/53
    a = agreement_of([("y", "y")] * 4 + [("y", "n")] + [("n", "y")] * 2 + [("n", "n")] * 3)
    b = agreement_of([("G", "G"), ("G", "G"), ("G", "RI"), ("RI", "RI"), ("I", "I"), ("I", "G")])
    pooled = agreement_pooled([a, b, NOTHING_COMPARED])
    assert (pooled.pairs, pooled.agreed) == (16, 11)
    assert pooled.expected == Fraction(43, 96)
    assert pooled.kappa_exact == Fraction(23, 53)


def test_pooled_pe_of_one_is_undefined():
    same = agreement_of([("yes", "yes")] * 2)
    assert agreement_pooled([same, same]).kappa is None


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (-0.1, "Less than chance"),
        (0.0, "Slight"),
        (0.2, "Slight"),
        (0.21, "Fair"),
        (0.4, "Fair"),
        (0.6, "Moderate"),
        (0.8, "Substantial"),
        (0.81, "Almost perfect"),
        (None, "Not defined"),
    ],
)
def test_kappa_words(kappa, words):
    assert kappa_words(kappa) == words


# ---------------------------------------------------------------------------------------------
# From the database


def paired(audits, case, agency, first, second, *, second_submitted=True):
    a = audits.assign(case, agency, role=FIRST)
    b = audits.assign(case, agency, role=SECOND)
    audits.submit(a, first)
    if second_submitted:
        audits.submit(b, second)
    else:
        audits.draft(b, second)
    return a, b


@pytest.mark.django_db
def test_statistics_per_question_and_tool_worked_by_hand(audits, council, police):
    c1, c2, c3, c4 = (audits.case(ref) for ref in ("C-001", "C-002", "C-003", "C-004"))
    # The council's first and second audits of three case files:
    paired(audits, c1, council, answers(q6="4", g1="3"), answers(q6="4", g1="2"))
    paired(audits, c2, council, answers(q6="3", g1="3"), answers(q6="2", g1="3"))
    # Case 3: the first auditor found no plan, so Q6 was not asked of them.
    paired(audits, c3, council, answers(Q1="no", q6="", g1="1"), answers(q6="1", g1="1"))
    # Not a pair: the second audit of case 4 is a draft; the police audited case 1 once.
    paired(audits, c4, council, answers(), answers(q6="1"), second_submitted=False)
    audits.submit(audits.assign(c1, police), answers(q6="1", g1="1"))

    (tool,) = agreement_statistics(scrutiny=audits.scrutiny)
    assert (tool.instrument_code, tool.audit_pairs) == ("MACFA", 3)
    by_code = {q.code: q.agreement for q in tool.questions}
    # Single-choice questions only, in the tool's order (Q3 is multiple choice).
    assert [q.code for q in tool.questions] == ["Q1", "Q6", "G1"]

    # Q1: (yes, yes) (yes, yes) (no, yes): po = 2/3. First: yes 2/3, no 1/3; second: yes 1.
    # pe = 2/3·1 = 2/3; kappa = (2/3 - 2/3) / (1/3) = 0.
    assert (by_code["Q1"].pairs, by_code["Q1"].observed) == (3, Fraction(2, 3))
    assert by_code["Q1"].kappa_exact == 0
    # Q6, compared only where both answered: (4, 4) (3, 2): po = 1/2.
    # First: 4 1/2, 3 1/2; second: 4 1/2, 2 1/2; pe = 1/2·1/2 = 1/4.
    # kappa = (1/2 - 1/4) / (3/4) = 1/3.
    assert (by_code["Q6"].pairs, by_code["Q6"].kappa_exact) == (2, Fraction(1, 3))
    # G1: (3, 2) (3, 3) (1, 1): po = 2/3. First: 3 2/3, 1 1/3; second: 2, 3, 1 each 1/3.
    # pe = 2/3·1/3 + 1/3·1/3 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 1/2.
    assert (by_code["G1"].pairs, by_code["G1"].kappa_exact) == (3, Fraction(1, 2))
    # The tool: po = (2 + 1 + 2) / 8 = 5/8; pe = (3·2/3 + 2·1/4 + 3·1/3) / 8 = 3.5/8 = 7/16;
    # kappa = (5/8 - 7/16) / (9/16) = (3/16) / (9/16) = 1/3.
    assert (tool.agreement.pairs, tool.agreement.agreed) == (8, 5)
    assert tool.agreement.expected == Fraction(7, 16)
    assert tool.agreement.kappa_exact == Fraction(1, 3)
    assert tool.agreement.percent == 62.5


@pytest.mark.django_db
def test_no_pairs_no_tools(audits, council):
    case = audits.case("C-001")
    audits.submit(audits.assign(case, council), answers())
    assert agreement_statistics(scrutiny=audits.scrutiny) == []


@pytest.mark.django_db
def test_other_scrutinies_are_left_out(audits, partnership, council):
    other = make_audits(partnership, slug="neglect")
    paired(other, other.case("N-001"), council, answers(), answers(g1="1"))
    assert agreement_statistics(scrutiny=audits.scrutiny) == []
    assert agreement_statistics(scrutiny=other.scrutiny)[0].audit_pairs == 1


@pytest.mark.django_db
def test_query_count_does_not_grow_with_pairs(audits, council, police, django_assert_num_queries):
    paired(audits, audits.case("C-000"), council, answers(), answers(g1="2"))
    with django_assert_num_queries(2):
        small = agreement_statistics(scrutiny=audits.scrutiny)
    for i in range(1, 9):
        case = audits.case(f"C-{i:03}")
        paired(audits, case, council, answers(q6="4"), answers(q6=str(1 + i % 4)))
        paired(audits, case, police, answers(g1="1"), answers(g1="1"))
    with django_assert_num_queries(2):
        large = agreement_statistics(scrutiny=audits.scrutiny)
    assert (small[0].audit_pairs, large[0].audit_pairs) == (1, 17)
