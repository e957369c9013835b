"""Small-number suppression (SCORING.md §9) and redaction of free text (§10)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.disclosure import (
    REMOVED,
    Redactor,
    distribution_shown,
    distributions_for_publication,
    distributions_protected,
    nhs_number_is_valid,
    question_score_shown,
    redact,
    rows_coarsen,
    scores_for_publication,
    suppressed_codes,
    upn_check_letter,
    upn_is_valid,
)
from scrutiny.scoring import (
    Cell,
    FactorScores,
    OptionCount,
    QuestionDistribution,
    Rating,
    ScrutinyScores,
    question_distributions,
    question_score,
    scrutiny_scores,
)
from tests.scrutiny.test_scoring_builders import (
    Evidence,
    Q,
    build_worked_example,
    make_instrument,
    make_scrutiny,
)

# §9 Suppression ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # Nothing below 5: nothing hidden. 5 itself is not below 5.
        ({"POL": 9, "EDU": 5, "FHC": 12}, set()),
        # EDU alone below 5; POL has the next smallest n, so it goes too.
        ({"POL": 9, "EDU": 3, "FHC": 12}, {"EDU", "POL"}),
        # Two below 5 already protect each other: nothing more.
        ({"POL": 2, "EDU": 3, "FHC": 12}, {"POL", "EDU"}),
        # A tie for the next smallest goes to the code that sorts first.
        ({"POL": 7, "EDU": 4, "FHC": 7, "AVH": 9}, {"EDU", "FHC"}),
        # A breakdown of one cell has nothing else to hide.
        ({"POL": 1}, {"POL"}),
        ({}, set()),
    ],
)
def test_primary_and_secondary_suppression(counts, hidden):
    assert suppressed_codes(counts, threshold=5) == hidden


def reference_suppression(counts: dict[str, int], threshold: int) -> set[str]:
    """§9 in plain words: hide the small cells; if exactly one is hidden, hide the next smallest
    too, the first code in order winning a tie."""
    hidden = [code for code in counts if counts[code] < threshold]
    if len(hidden) == 1:
        rest = [code for code in sorted(counts) if code not in hidden]
        if rest:
            smallest = min(counts[code] for code in rest)
            hidden.append(next(code for code in rest if counts[code] == smallest))
    return set(hidden)


@given(
    counts=st.dictionaries(
        st.sampled_from(["AVH", "EDU", "FHC", "NBC", "POL", "PRB", "VOL"]),
        st.integers(1, 12),
        max_size=7,
    ),
    threshold=st.integers(1, 10),
)
def test_suppression_matches_the_rule(counts, threshold):
    hidden = suppressed_codes(counts, threshold=threshold)
    assert hidden == reference_suppression(counts, threshold)
    assert {code for code, n in counts.items() if n < threshold} <= hidden
    if len(counts) >= 2:
        assert len(hidden) != 1  # no single hidden cell to be worked out from the rest


def _scores(**cells: dict[str, Cell]) -> ScrutinyScores:
    factor = FactorScores(
        code="SF1",
        statement="Learning reaches practice",
        score=0.5,
        display=50.0,
        rating=Rating.SOME,
        n=40,
        sources=cells.get("sources", {}),
        agencies=cells.get("agencies", {}),
        areas=cells.get("areas", {}),
    )
    return ScrutinyScores(slug="s", title="S", factors=(factor,))


@pytest.mark.django_db
def test_suppressed_cells_keep_neither_score_nor_n(partnership):
    scrutiny = make_scrutiny(partnership, suppression_threshold=10)
    scores = _scores(
        sources={"file_audit": Cell(0.25, 3), "practitioner_survey": Cell(0.75, 37)},
        agencies={"POL": Cell(0.7, 9), "EDU": Cell(0.1, 2), "FHC": Cell(0.5, 29)},
        areas={"NTH": Cell(0.6, 10), "STH": Cell(0.4, 30)},
    )
    factor = scores_for_publication(scores, scrutiny=scrutiny)["factors"][0]
    # With a threshold of 10: EDU (2) and POL (9, the next smallest) are hidden.
    assert factor["agencies"] == {
        "EDU": {"suppressed": True},
        "FHC": {"score": 50.0, "n": 29},
        "POL": {"suppressed": True},
    }
    assert factor["areas"] == {"NTH": {"score": 60.0, "n": 10}, "STH": {"score": 40.0, "n": 30}}
    # Sources are not a breakdown of people: shown however small (see scrutiny.disclosure).
    assert factor["sources"] == {
        "file_audit": {"score": 25.0, "n": 3},
        "practitioner_survey": {"score": 75.0, "n": 37},
    }
    assert list(factor) == [
        "code",
        "statement",
        "score",
        "rating",
        "n",
        "sources",
        "agencies",
        "areas",
    ]


@pytest.mark.django_db
def test_publication_of_real_evidence_is_plain_json(partnership):
    scrutiny = build_worked_example(partnership)
    published = scores_for_publication(scrutiny_scores(scrutiny=scrutiny), scrutiny=scrutiny)
    assert json.loads(json.dumps(published)) == published
    assert published["factors"][1]["score"] is None


# §9 Row-level outputs -----------------------------------------------------------------------------


def test_rows_share_what_they_show_coarsest_kept_longest():
    # Threshold 3, (agency, area, role, day).
    counts = {
        ("POL", "NTH", "SW", "d1"): 3,  # 3 rows share it: shown whole
        ("POL", "NTH", "SW", "d2"): 1,  # without the day: POL NTH SW 1, POL NTH TM 2, too few;
        ("POL", "NTH", "TM", "d2"): 2,  # without the role too: POL NTH 3, shown so
        ("EDU", "STH", "SW", "d1"): 2,  # EDU STH 2 and EDU NTH 1 are too few until only
        ("EDU", "NTH", "TM", "d3"): 1,  # the agency is left: EDU 3
    }
    assert rows_coarsen(counts, threshold=3) == {
        ("POL", "NTH", "SW", "d1"): ("POL", "NTH", "SW", "d1"),
        ("POL", "NTH", "SW", "d2"): ("POL", "NTH", None, None),
        ("POL", "NTH", "TM", "d2"): ("POL", "NTH", None, None),
        ("EDU", "STH", "SW", "d1"): ("EDU", None, None, None),
        ("EDU", "NTH", "TM", "d3"): ("EDU", None, None, None),
    }


def test_a_lone_blank_row_takes_the_smallest_group_with_it():
    # AVH's one row has nothing it can show; one blank row among rows that show their agency
    # would be AVH's by elimination, so the smallest group shown (FHC, 3) is blanked too.
    counts = {
        ("POL", "NTH", "SW", "d1"): 4,
        ("FHC", "NTH", "SW", "d1"): 3,
        ("AVH", "STH", "SW", "d1"): 1,
    }
    assert rows_coarsen(counts, threshold=3) == {
        ("POL", "NTH", "SW", "d1"): ("POL", "NTH", "SW", "d1"),
        ("FHC", "NTH", "SW", "d1"): (None, None, None, None),
        ("AVH", "STH", "SW", "d1"): (None, None, None, None),
    }


def test_rows_join_rows_already_shown_the_same_and_too_few_rows_show_nothing():
    # Three rows have no role and no day: they show POL NTH, and the lone POL NTH SW row, once
    # it loses its role and day, shows the same among them.
    counts = {("POL", "NTH", None, None): 3, ("POL", "NTH", "SW", "d2"): 1}
    assert set(rows_coarsen(counts, threshold=3).values()) == {("POL", "NTH", None, None)}
    assert rows_coarsen({("POL", "NTH", "SW", "d1"): 2}, threshold=3) == {
        ("POL", "NTH", "SW", "d1"): (None, None, None, None)
    }
    assert rows_coarsen({}, threshold=5) == {}


@given(
    counts=st.dictionaries(
        st.tuples(
            st.sampled_from(["POL", "EDU", "FHC", None]),
            st.sampled_from(["NTH", "STH", None]),
            st.sampled_from(["SW", "TM"]),
            st.sampled_from(["d1", "d2", "d3"]),
        ),
        st.integers(1, 6),
        max_size=20,
    ),
    threshold=st.integers(1, 8),
)
def test_every_combination_shown_is_shared_by_the_threshold(counts, threshold):
    shown = rows_coarsen(counts, threshold=threshold)
    assert set(shown) == set(counts)
    rows: dict[tuple, int] = {}
    for key, n in counts.items():
        show = shown[key]
        # What is shown is the combination with its finest fields blanked, nothing else.
        assert any(show == key[:k] + (None,) * (4 - k) for k in range(5)), (key, show)
        rows[show] = rows.get(show, 0) + n
    total = sum(counts.values())
    for show, n in rows.items():
        assert n >= threshold or total < threshold, (show, n)


# §9 Distributions -------------------------------------------------------------------------------


def _distribution(**counts: int) -> QuestionDistribution:
    options = tuple(OptionCount(value, f"Option {value}", None, n) for value, n in counts.items())
    return QuestionDistribution("BQ", 1, "B1", "single", "Question", sum(counts.values()), options)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # 3 and 2 are below 5 and protect each other; 0 is not a count of people.
        ({"g4": 6, "g3": 3, "g2": 2, "g1": 0}, {"g3", "g2"}),
        # 2 alone below 5: the next smallest chosen (g4, 7) goes with it, not the 0.
        ({"g4": 7, "g3": 2, "g2": 9, "g1": 0}, {"g3", "g4"}),
        # The only answer chosen, 3 times: "3 answered" would give it away, so the first
        # answer nobody chose reads "fewer than 5" as well (true of 0).
        ({"g4": 0, "g3": 3, "g2": 0, "g1": 0}, {"g3", "g1"}),
        # 5 is not below 5.
        ({"g4": 5, "g3": 0, "g2": 12, "g1": 0}, set()),
    ],
)
def test_small_counts_of_a_protected_question_read_fewer_than(counts, hidden):
    shown = distribution_shown(_distribution(**counts), threshold=5, protected=True)
    assert {o.value for o in shown.options if o.suppressed} == hidden
    assert all(o.count is None for o in shown.options if o.suppressed)
    assert {o.value: o.count for o in shown.options if not o.suppressed} == {
        value: n for value, n in counts.items() if value not in hidden
    }
    assert shown.answered == sum(counts.values())  # the total is shown, as a source's n is
    plain = distribution_shown(_distribution(**counts), threshold=5, protected=False)
    assert {o.value: o.count for o in plain.options} == counts


@pytest.mark.django_db
def test_which_instruments_are_protected(partnership, django_assert_num_queries):
    scrutiny = make_scrutiny(partnership)
    evidence = Evidence(scrutiny)
    instruments = {
        "BQ": ("board_questionnaire", 25),  # answered by name: protected however many
        "PS": ("practitioner_survey", 20),  # 20 responses: not protected
        "PX": ("practitioner_survey", 19),  # fewer than 20: protected
        "PZ": ("practitioner_survey", 0),  # nothing to protect
    }
    for code, (kind, n) in instruments.items():
        compiled = make_instrument(scrutiny, code=code, kind=kind, questions=[Q("Q1")])
        evidence.submit_many(compiled, [{"Q1": "4"}] * (n - 3) + [{"Q1": "3"}] * 3 if n else [])
    distributions = question_distributions(scrutiny=scrutiny)
    caches["evidence"].clear()
    # The evidence stamp, the counts by version (scrutiny/kept.py) and the factors' links.
    with django_assert_num_queries(3):
        protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
    assert protection.versions == {("BQ", 1), ("PX", 1)}
    with django_assert_num_queries(2):  # the stamp and the links: the counts are kept
        distributions_protected(scrutiny=scrutiny, distributions=distributions)
    with django_assert_num_queries(0):
        shown = distributions_for_publication(
            distributions, scrutiny=scrutiny, protection=protection
        )
    counts = {d.instrument_code: {o.value: o.count for o in d.options} for d in shown}
    assert counts["BQ"]["3"] is None and counts["PX"]["3"] is None
    assert counts["PS"]["3"] == 3 and counts["PZ"]["3"] == 0
    # Scores are unaffected: the distribution itself still holds every count.
    assert {o.value: o.count for o in distributions[0].options}["3"] == 3


# A distribution beside the sums it adds to (§9: "suppression changes what is shown, never the
# sums"): the fixes of a red-team review (scrutiny/disclosure/distributions.py).

GRADE_POINTS = {"4": 4.0, "3": 3.0, "2": 2.0, "1": 1.0, "na": None}


def _graded(**counts: int) -> QuestionDistribution:
    """A question on the four-point grade (scores 0, 1/3, 2/3, 1) and "na", counts by value."""
    options = tuple(
        OptionCount(value, f"Grade {value}", points, counts.get(f"g{value}", 0))
        for value, points in GRADE_POINTS.items()
    )
    return QuestionDistribution("BQ", 1, "B1", "single", "Question", sum(counts.values()), options)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        # 2 below 5 takes 6 with it, and "75.0, n 8" beside zeros would give both back: every
        # count reads "fewer than 5", the zeros too.
        ({"g4": 6, "g1": 2}, {"4", "3", "2", "1", "na"}),
        # Nothing below 5: nothing to give back, all shown.
        ({"g4": 6, "g1": 5}, set()),
    ],
)
def test_a_question_a_sources_score_gives_back_hides_every_count_once_one_is(counts, hidden):
    shown = distribution_shown(_graded(**counts), threshold=5, protected=True, exposed=True)
    assert {o.value for o in shown.options if o.suppressed} == hidden
    assert shown.answered == sum(counts.values())
    # Not protected (20 responses or more of a practitioner survey or audits): nothing hidden.
    plain = distribution_shown(_graded(**counts), threshold=5, protected=False, exposed=True)
    assert not plain.suppressed


@pytest.mark.parametrize(
    "counts",
    [
        # Six Outstanding, one Inadequate, one Requires improvement: 1 and 1 read "fewer than
        # 5", and (6 + 1/3)/8 = 79.2 from n 8 would give them back. Likewise 70.4 and 74.1, n 9.
        {"g4": 6, "g1": 1, "g2": 1},
        {"g4": 6, "g1": 2, "g2": 1},
        {"g4": 6, "g1": 1, "g2": 2},
        # The Not applicable's 1 and the next smallest (Good, 6) hidden: a score shown with its
        # n (12) beside the answered (13) and 6 Outstanding would give both back.
        {"g4": 6, "g3": 6, "gna": 1},
    ],
)
def test_a_question_score_is_not_shown_beside_a_suppressed_count(counts):
    distribution = _graded(**counts)
    shown = distribution_shown(distribution, threshold=5, protected=True)
    assert shown.suppressed and any(not o.suppressed and o.count for o in shown.options)
    assert question_score_shown(distribution, shown) is None
    # Shown whole, the question's score is shown as every score is.
    whole = distribution_shown(distribution, threshold=5, protected=False)
    assert question_score_shown(distribution, whole) == question_score(distribution)
    assert question_score(distribution) is not None


BOARD = [
    Q("B1", factors="SF1"),
    Q("B2", factors="SF1"),
    Q("B3", factors="SF2"),
    Q("B4", factors="SF2"),
]


@pytest.mark.django_db
def test_only_the_one_question_with_a_count_hidden_among_its_sources_hides_every_count(
    partnership,
):
    """Eight board members. SF1 rests on B1 and B2, each 6 Outstanding, 1 Inadequate and 1
    Requires improvement: both have counts hidden, so the board's 79.2 (n 8) for SF1 is one
    sum of four hidden counts, and each shows its 6. SF2 rests on B3 (6 Outstanding, 2
    Inadequate: 2 and 6 hidden) and B4 (8 Outstanding, shown whole): the board's score for SF2
    less B4's would be B3's own, so every count of B3 reads "fewer than 5". No question with a
    count hidden is named in a drafted finding, with its score and n; B4 is."""
    from scrutiny.findings import findings_drafted

    scrutiny = make_scrutiny(partnership)
    board = make_instrument(scrutiny, code="BQ", kind="board_questionnaire", questions=BOARD)
    same = {"B1": "4", "B2": "4", "B3": "4", "B4": "4"}
    Evidence(scrutiny).submit_many(
        board,
        [same] * 6
        + [
            {"B1": "1", "B2": "2", "B3": "1", "B4": "4"},
            {"B1": "2", "B2": "1", "B3": "1", "B4": "4"},
        ],
    )
    protection = distributions_protected(scrutiny=scrutiny)
    assert protection.exposed == {("BQ", 1, "B3")}
    shown = {
        d.code: {o.value: o.count for o in d.options}
        for d in distributions_for_publication(
            question_distributions(scrutiny=scrutiny), scrutiny=scrutiny
        )
    }
    assert shown["B1"] == shown["B2"] == {"4": 6, "3": 0, "2": None, "1": None, "na": 0}
    assert shown["B3"] == dict.fromkeys(GRADE_POINTS)
    assert shown["B4"] == {"4": 8, "3": 0, "2": 0, "1": 0, "na": 0}
    drafted = {f.factor.code: f.drafted for f in findings_drafted(scrutiny=scrutiny)}
    # The sources' scores and n are shown, as §6 to §8 require.
    assert "By source: Board questionnaire 79.2 (n 8)." in drafted["SF1"]
    assert "Strongest question" not in drafted["SF1"]
    assert "Strongest question: “Question B4” (Instrument BQ: 100.0, n 8" in drafted["SF2"]
    assert "B3" not in drafted["SF2"] and "Weakest question" not in drafted["SF2"]


@pytest.mark.django_db
def test_protection_is_decided_version_by_version(partnership):
    """A practitioner survey of 21 responses: 1 to its first version, 20 to its second. Its
    distributions are counted version by version, so the first version's are those of one
    response, protected as such; the second's, of 20, are not."""
    scrutiny = make_scrutiny(partnership)
    evidence = Evidence(scrutiny)
    # Linked to no factor: no source's score rests on them (the test above).
    questions = [Q("P1", factors=""), Q("P2", factors="")]
    first = make_instrument(
        scrutiny, code="PS", kind="practitioner_survey", questions=questions[:1]
    )
    evidence.submit(first, {"P1": "1"})
    second = make_instrument(scrutiny, code="PS", kind="practitioner_survey", questions=questions)
    evidence.submit_many(second, [{"P1": "4", "P2": "3"}] * 19 + [{"P1": "2", "P2": "3"}])
    distributions = question_distributions(scrutiny=scrutiny)
    protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
    assert protection.versions == {("PS", 1)}
    shown = {
        (d.version, d.code): {o.value: o.count for o in d.options if o.count != 0}
        for d in distributions_for_publication(
            distributions, scrutiny=scrutiny, protection=protection
        )
    }
    assert shown[(1, "P1")] == {"2": None, "1": None}  # the 1, and an option nobody chose
    assert shown[(2, "P1")] == {"4": 19, "2": 1}
    assert shown[(2, "P2")] == {"3": 20}


# §10 Redaction ----------------------------------------------------------------------------------


def test_nhs_numbers_pass_modulus_11():
    # 9·10 + 4·9 + 3·8 + 4·7 + 7·6 + 6·5 + 5·4 + 9·3 + 1·2 = 299; 299 mod 11 = 2; 11 - 2 = 9. ✓
    assert nhs_number_is_valid("9434765919")
    # 9·10 + 9·9 + 9·8 + 1·7 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 = 320; 320 mod 11 = 1; 11 - 1 = 10:
    # no valid number starts 999123456.
    assert not nhs_number_is_valid("9991234560")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")


def test_upn_check_letter():
    # D999000012345: 9·2 + 9·3 + 9·4 + 0·5 + 0·6 + 0·7 + 0·8 + 1·9 + 2·10 + 3·11 + 4·12 + 5·13
    # = 256; 256 mod 23 = 3; the fourth of ABCDEFGHJKLMNPQRTUVWXYZ is D.
    assert upn_check_letter("999000012345") == "D"
    assert upn_is_valid("D999000012345")
    assert not upn_is_valid("E999000012345")
    # A temporary UPN ends in a letter, counted by its place: A = 0. 9·2 + 9·3 + 9·4 + 1·9
    # + 2·10 + 3·11 + 4·12 + 0·13 = 191; 191 mod 23 = 7: H.
    assert upn_is_valid("H99900001234A")
    # The DfE's own published example.
    assert upn_is_valid("B801200005001")
    assert not upn_is_valid("A801200005001")


def nhs_check_digit(nine: str) -> int:
    """10 means none: no NHS number starts with these nine digits."""
    check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


@given(
    nine=st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda t: t[0] != "0"),
    spaced=st.booleans(),
    wrong=st.integers(1, 9),
)
def test_every_valid_nhs_number_goes_and_no_invalid_one(nine, spaced, wrong):
    check = nhs_check_digit(nine)
    redactor = Redactor.for_terms([])
    for digit, valid in ((check, True), ((check + wrong) % 11, False)):
        if digit == 10:
            continue
        number = nine + str(digit)
        if spaced:
            number = f"{number[:3]} {number[3:6]} {number[6:]}"
        text = f"Seen by GP (NHS no. {number}), follow up."
        expected = f"Seen by GP (NHS no. {REMOVED}), follow up." if valid else text
        assert redactor.redact(text) == expected


@given(
    letter=st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZ"),
    eleven=st.text(alphabet="0123456789", min_size=11, max_size=11),
    last=st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"),
)
def test_a_upn_goes_exactly_when_its_check_letter_is_right(letter, eleven, last):
    upn = letter + eleven + last
    redacted = Redactor.for_terms([]).redact(f"UPN {upn} left")
    valid = upn_check_letter(eleven + last) == letter
    assert redacted == (f"UPN {REMOVED} left" if valid else f"UPN {upn} left")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS number 943 476 5919 on file", f"NHS number {REMOVED} on file"),
        ("NHS 9434765919.", f"NHS {REMOVED}."),
        ("NHS 943-476-5919", f"NHS {REMOVED}"),
        ("ref 999 123 4560 stays", "ref 999 123 4560 stays"),  # fails modulus 11
        ("UPN D999000012345 moved school", f"UPN {REMOVED} moved school"),
        ("UPN H99900001234A (temporary)", f"UPN {REMOVED} (temporary)"),
        ("UPN E999000012345 is not one", "UPN E999000012345 is not one"),
        ("mum emailed jo.bloggs+school@example.org.uk", f"mum emailed {REMOVED}"),
        ("call 01632 960 123 today", f"call {REMOVED} today"),
        ("mobile +44 7700 900123", f"mobile {REMOVED}"),
        ("mobile 07700900123", f"mobile {REMOVED}"),
        ("office 020 7946 0000", f"office {REMOVED}"),
        ("office (01632) 960123", f"office {REMOVED}"),
        ("office +44 (0)20 7946 0000", f"office {REMOVED}"),
        ("lives at NE1 4ST now", f"lives at {REMOVED} now"),
        ("moved to SW1A 1AA.", f"moved to {REMOVED}."),
        ("moved to sw1a1aa", f"moved to {REMOVED}"),
        ("M1 1AE", REMOVED),
        # Ordinary numbers and words are left alone.
        ("Year 10 pupil, 12 cases, Section 11 on 2023-01-15 at 10:30", None),
        ("Reviewed 3 times in 2 weeks; score 4/5", None),
    ],
)
def test_identifiers_are_removed(text, expected):
    assert Redactor.for_terms([]).redact(text) == (text if expected is None else expected)


@pytest.mark.django_db
def test_case_references_and_the_redaction_list(partnership, django_assert_num_queries):
    scrutiny = make_scrutiny(partnership)
    scrutiny.redaction_terms = "Jayden\nFernhill  Academy\n\n  Ms Okafor \n"
    scrutiny.save()
    audit = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(audit, {"Q1": "3"}, case_ref="C-1042")
    other = make_scrutiny(partnership, slug="another")
    other_audit = make_instrument(other, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(other).submit(other_audit, {"Q1": "3"}, case_ref="C-9999")

    with django_assert_num_queries(1):
        redactor = Redactor.for_scrutiny(scrutiny)
    comments = [
        "C-1042: JAYDEN's plan names fernhill academy; see c-1042 again",
        # Every case reference the partnership holds goes, another scrutiny's too (issue 12).
        "Ms  Okafor chaired. Jaydenson and C-10421 are not on the list; C-9999 is another's.",
        "Nothing to remove.",
    ]
    with django_assert_num_queries(0):
        redacted = [redactor.redact(comment) for comment in comments]
    assert redacted == [
        f"{REMOVED}: {REMOVED}'s plan names {REMOVED}; see {REMOVED} again",
        f"{REMOVED} chaired. Jaydenson and C-10421 are not on the list; {REMOVED} is another's.",
        "Nothing to remove.",
    ]
    assert redact("Jayden at NE1 4ST", scrutiny=scrutiny) == f"{REMOVED} at {REMOVED}"


@pytest.mark.django_db
def test_the_example_of_the_documentation(partnership):
    from pathlib import Path

    scrutiny = make_scrutiny(partnership)
    scrutiny.redaction_terms = "Jayden"
    scrutiny.save()
    audit = make_instrument(scrutiny, code="A1", kind="file_audit", questions=[Q("Q1")])
    Evidence(scrutiny).submit(audit, {"Q1": "3"}, case_ref="C-1042")
    comment = "C-1042: Jayden's mum (07700 900123) moved to NE1 4ST"
    redacted = "[removed]: [removed]'s mum ([removed]) moved to [removed]"
    assert redact(comment, scrutiny=scrutiny) == redacted
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert f'"{comment}" leaves the screen as\n"{redacted}"' in doc
