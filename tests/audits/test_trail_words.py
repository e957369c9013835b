"""The audit trail's sentences as data (audits.trail_words): English unchanged, Welsh composed."""

from __future__ import annotations

import pytest
from django.utils import translation

from audits.trail_words import words_compose, words_parse

DETAILS = [
    "Draft saved",
    "Draft saved; resumes at page 2, “About the case”",
    "Draft saved; resumes at the check of the answers",
    "Immediate concern 7 raised; the safeguarding lead is emailed.",
    "Agreed answers changed; took in the audits submitted since by POL and HLT; "
    "disagreements settled on Q1, Q3.",
    "3 case files drawn from 40 in cases.csv (SHA-256 ab12): 1 per area, seed 4821, "
    "filters area in (North; South), team in (A). It replaces the earlier draw.",
    "1 case file drawn from 9 in c.xlsx (SHA-256 ff): 1 per area, seed 1, filters none.",
    "POL: Ash Patel (independent second auditor), due 04/03/2025",
]


@pytest.mark.parametrize("detail", DETAILS)
def test_english_is_the_stored_sentence_and_welsh_is_composed(detail):
    params = words_parse(detail)
    assert params["parts"]
    with translation.override("en"):
        assert words_compose(detail, params) == detail
        assert words_compose(detail, {}) == detail  # an old row, parsed when shown
    with translation.override("cy"):
        assert words_compose(detail, params) != detail


def test_a_persons_words_are_shown_as_written():
    reason = "Wrong case file; answers belong to CF-1"
    assert words_parse(reason) == {}
    with translation.override("cy"):
        assert words_compose(reason, {}) == reason


def test_the_page_title_is_the_readers():
    detail = "Draft saved; resumes at page 1, “About the case”"
    with translation.override("cy"):
        shown = words_compose(detail, words_parse(detail), titles=["Am yr achos"])
    assert "Am yr achos" in shown and "About" not in shown


def test_the_platforms_own_words_inside_a_sentence_are_the_readers_and_names_are_not():
    with translation.override("cy"):
        drawn = words_compose(DETAILS[6], {})
        assert "hidlyddion dim" in drawn and "filters none" not in drawn
        took_in = words_compose(DETAILS[4], {})
        assert "POL a HLT" in took_in and " and " not in took_in
        nobody = words_compose("POL: nobody (auditor), due 04/03/2025", {})
        assert "neb" in nobody and "nobody" not in nobody
        # A name that holds "and" is a name: only the agencies' list is a list of ours.
        named = words_compose("POL: Sand Anderson and Co (auditor), due 04/03/2025", {})
        assert "Sand Anderson and Co" in named
